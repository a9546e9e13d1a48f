"""Help pages: one per problem code, in plain words for a store owner. They name no workspace object, so anyone
signed in may read them (and the doctor links to them)."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from storelens.stores.problems import CATALOGUE, entry_for


@login_required
@require_GET
def index(request: HttpRequest) -> HttpResponse:
    return render(request, "doctor/index.html", {"entries": list(CATALOGUE.values())})


@login_required
@require_GET
def help_page(request: HttpRequest, code: str) -> HttpResponse:
    entry = entry_for(code)
    if entry is None:
        raise Http404("No help page for this code.")
    egress_ip = getattr(settings, "STORELENS_EGRESS_IP", "") or ""
    return render(request, "doctor/help.html", {"entry": entry, "egress_ip": egress_ip})
