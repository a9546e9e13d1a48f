"""Live activity: new orders and refunds pushed to the page as server-sent events."""

from __future__ import annotations

import asyncio
import json
from typing import Any

from asgiref.sync import sync_to_async
from django.http import HttpRequest, StreamingHttpResponse
from django.template.loader import render_to_string

from storelens.accounts.scoping import workspace_required
from storelens.analytics.reports.activity import activity, latest_ids
from storelens.dashboard.insights_scope import scope_of

LIVE_POLL_SECONDS = 1.0


async def _live_events(
    stores: list[Any], after: tuple[int, int], once: bool, fetch: Any = None, render: Any = None
) -> Any:
    """Server-sent events: a new order or refund in our copy is on the page within ~1 s of its write (the page polls
    nothing; this loop reads the newest ids once a second, which also sees writes made by other processes)."""
    fetch = fetch or sync_to_async(activity)
    render = render or sync_to_async(render_to_string)
    last_order, last_refund = after
    yield "retry: 2000\n\n"
    while True:
        items = await fetch(stores, last_order, last_refund)
        if items:
            last_order = max([last_order] + [a.pk for a in items if a.kind == "order"])
            last_refund = max([last_refund] + [a.pk for a in items if a.kind == "refund"])
            html = await render("insights/_activity_items.html", {"activity": items})
            payload = json.dumps({"html": html, "after": f"{last_order}-{last_refund}"})
            yield f"event: activity\ndata: {payload}\n\n"
        else:
            yield ": keep-alive\n\n"
        if once:
            return
        await asyncio.sleep(LIVE_POLL_SECONDS)


@workspace_required
def live(request: HttpRequest) -> StreamingHttpResponse:
    scope = scope_of(request)
    try:
        o, r = (int(x) for x in (request.GET.get("after") or "0-0").split("-", 1))
    except ValueError:
        o, r = latest_ids(scope.stores)
    response = StreamingHttpResponse(
        _live_events(scope.stores, (o, r), request.GET.get("once") == "1"),
        content_type="text/event-stream",
    )
    response["Cache-Control"] = "no-cache"
    response["X-Accel-Buffering"] = "no"
    return response
