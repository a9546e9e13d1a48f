"""The banner every page shows while one of the workspace's stores needs attention."""

from __future__ import annotations

from django.http import HttpRequest

from storelens.stores.models import Store
from storelens.stores.status import PROBLEM_STATUSES, STATUS_LABELS


def attention(request: HttpRequest) -> dict[str, object]:
    workspace = getattr(request, "workspace", None)
    user = getattr(request, "user", None)
    if workspace is None or user is None or not user.is_authenticated:
        return {}
    stores = Store.objects.filter(workspace=workspace, status__in=PROBLEM_STATUSES).order_by("pk")
    match = getattr(request, "resolver_match", None)
    if match is not None and match.namespace == "stores" and "store_id" in match.kwargs:
        # The source's own page tells the whole story in its card; a banner pointing at it would only repeat it.
        stores = stores.exclude(pk=match.kwargs["store_id"])
    return {
        "attention_stores": [
            {"store": s, "label": STATUS_LABELS.get(s.status, s.status), "code": s.status_code} for s in stores
        ]
    }
