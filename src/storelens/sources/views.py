"""The data sources pages: list and add stores, connect/reconnect through WooCommerce, manual keys, check, remove.

Every view that names a source reads it through `get_workspace_object_or_404`, so another workspace's id is a 404.
The one exception is the wc-auth callback, which the store calls without a session: its one-time token is the
credential (see connect.py).
"""

from __future__ import annotations

import json
import logging
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.html import format_html
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from storelens.accounts.scoping import get_workspace_object_or_404, scoped, workspace_required
from storelens.sources import adding, connect, figure_settings, store_access
from storelens.sources.forms import AddStoreForm, ConnectForm, ManualKeysForm
from storelens.sources.models import Source
from storelens.sources.presenting import card_context
from storelens.sources.removal import remove_source
from storelens.sources.tasks import verify_keys
from storelens.woocommerce.errors import StoreError

log = logging.getLogger(__name__)


def _source(request: HttpRequest, source_id: int) -> Source:
    return get_workspace_object_or_404(request, Source, pk=source_id)


def _list_context(request: HttpRequest, **extra: Any) -> dict[str, Any]:
    sources = list(scoped(request, Source))
    return {
        "sources": [card_context(request, s, compact=True) for s in sources],
        "add_form": AddStoreForm(),
        **extra,
    }


@workspace_required
@require_GET
def source_list(request: HttpRequest) -> HttpResponse:
    return render(request, "sources/list.html", _list_context(request))


@workspace_required
def add(request: HttpRequest) -> HttpResponse:
    """GET: the list with the add form in focus. POST: discover the store and create its source."""
    if request.method != "POST":
        return render(request, "sources/list.html", _list_context(request, focus_add=True))
    form = AddStoreForm(request.POST)
    if not form.is_valid():
        return render(request, "sources/list.html", _list_context(request, add_form=form, focus_add=True), status=400)
    entered = form.cleaned_data["url"]
    try:
        site = store_access.discover_site(entered)
    except StoreError as err:
        context = _list_context(request, add_form=form, focus_add=True, add_error=err)
        return render(request, "sources/list.html", context, status=400)
    existing = adding.existing_source(request.workspace, site)  # type: ignore[attr-defined]
    if existing is not None:
        messages.info(request, f"{existing} is already one of your stores.")
        return redirect("sources:detail", source_id=existing.pk)
    source = adding.create_source(request.workspace, entered, site)  # type: ignore[attr-defined]
    return redirect("sources:detail", source_id=source.pk)


@workspace_required
@require_GET
def detail(request: HttpRequest, source_id: int) -> HttpResponse:
    """The source's page; also WooCommerce's return_url (`?success=1|0&user_id=<token>`)."""
    source = _source(request, source_id)
    context = card_context(request, source)
    context.update(connect_form=ConnectForm(), keys_form=ManualKeysForm(), **_figures_context(source))
    return render(request, "sources/detail.html", context)


def _figures_context(source: Source) -> dict[str, Any]:
    return {
        "figures": figure_settings.shown_all(source),
        "figure_statuses": figure_settings.STATUS_CHOICES,
    }


@workspace_required
@require_GET
def card(request: HttpRequest, source_id: int) -> HttpResponse:
    """The onboarding/status card alone: htmx polls it every second while something is in progress."""
    source = _source(request, source_id)
    return render(request, "sources/_live.html", card_context(request, source))


def _return_url(request: HttpRequest, source: Source) -> str:
    return request.build_absolute_uri(reverse("sources:detail", kwargs={"source_id": source.pk}))


@workspace_required
@require_POST
def start_connect(request: HttpRequest, source_id: int) -> HttpResponse:
    """Connect Store and Reconnect Store: send the browser to the store's approval screen (or say why not)."""
    source = _source(request, source_id)
    form = ConnectForm(request.POST)
    scope = form.cleaned_data["scope"] if form.is_valid() else "read_write"
    if source.plain_permalinks:
        messages.error(
            request,
            "Your store uses plain permalinks, so WooCommerce's approval screen cannot send keys to Storelens. "
            "Fix: in WordPress go to Settings → Permalinks, choose Post name and Save, then Check connection. "
            "Or paste keys below.",
        )
        return redirect("sources:detail", source_id=source.pk)
    problem = connect.callback_problem_for(source)
    if problem is not None:
        messages.error(request, f"{problem.message} {problem.fix}")
        return redirect("sources:detail", source_id=source.pk)
    query_form = not store_access.wc_auth_path_served(source.home_url)
    _, token = connect.start(source, request.user, scope)
    target = connect.authorize_url(source, token, scope, _return_url(request, source), query_form=query_form)
    return HttpResponseRedirect(target)


@csrf_exempt
@require_POST
def callback(request: HttpRequest) -> HttpResponse:
    """WooCommerce posts the new key here (server to server). Answer fast; verification is a job afterwards."""
    try:
        payload = json.loads(request.body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        return JsonResponse({"ok": False, "message": "The body must be JSON."}, status=400)
    result = connect.accept_callback(payload, on_stored=verify_keys)
    if result.status != 200:
        log.info("wc-auth callback refused (%s): %s", result.status, result.message)
    return JsonResponse({"ok": result.status == 200, "message": result.message}, status=result.status)


@workspace_required
@require_POST
def manual_keys(request: HttpRequest, source_id: int) -> HttpResponse:
    source = _source(request, source_id)
    form = ManualKeysForm(request.POST)
    error: StoreError | None = None
    if form.is_valid():
        key, secret = form.cleaned_data["consumer_key"], form.cleaned_data["consumer_secret"]
        try:
            site = store_access.discover_site(source.home_url)
            details = store_access.describe_with_keys(site, key, secret)
        except StoreError as err:
            error = err
        else:
            adding.apply_site(source, site)
            adding.save_manual_keys(source, key, secret, details)
            scope = "read and write" if details.permissions == "read_write" else (details.permissions or "unknown")
            messages.success(request, f"The keys work ({scope} access). Storelens is importing your store.")
            return redirect("sources:detail", source_id=source.pk)
    context = card_context(request, source)
    context.update(connect_form=ConnectForm(), keys_form=form, keys_error=error, open_keys=True)
    context.update(_figures_context(source))
    return render(request, "sources/detail.html", context, status=400)


@workspace_required
@require_POST
def check(request: HttpRequest, source_id: int) -> HttpResponse:
    """Check connection: the same checks as `storelens doctor` (storelens.health), recorded on the source's status."""
    from storelens.health.runner import check_source  # health owns the checks; this view only shows them
    from storelens.health.templatetags.health import help_url

    source = _source(request, source_id)
    report = check_source(source)
    kept = {w.get("code") for w in source.data_warnings if isinstance(w, dict)}
    for problem in report.problems:
        if problem.severity == "warning" and problem.code in kept:
            continue  # listed under "Worth fixing on your store" on the page, with its help link
        if problem.code == "analytics_settings_assumed":
            continue  # "How figures are counted" on the page says it, and what the owner chose instead
        link = help_url(problem.code)
        more = format_html(' <a href="{}">More help</a>', link) if link else ""
        add = messages.error if problem.severity == "error" else messages.warning
        add(request, format_html("{} <strong>What to do:</strong> {}{}", problem.message, problem.fix, more))
    if not report.errors:
        if report.details is not None:
            worth = " Some things are worth fixing: see below." if kept & set(report.codes()) else ""
            messages.success(request, f"Your store answers and Storelens's keys work.{worth}")
        elif not source.consumer_key_enc:
            messages.success(request, "Your store answers. Connect it to let Storelens read its orders.")
    return redirect("sources:detail", source_id=source.pk)


@workspace_required
@require_POST
def sync_now(request: HttpRequest, source_id: int) -> HttpResponse:
    source = _source(request, source_id)
    if not source.keys_verified_at:
        messages.error(request, "Connect the store first: Storelens has no working keys for it yet.")
        return redirect("sources:detail", source_id=source.pk)
    from storelens.sync import tasks as sync_tasks

    sync_tasks.sync_now(source.pk)
    messages.success(request, "Sync started.")
    return redirect("sources:detail", source_id=source.pk)


def _back(request: HttpRequest, source: Source) -> HttpResponse:
    """Back to the page the form was on: the store's page, or the workspace Settings page."""
    if request.POST.get("next") == "settings":
        return redirect(reverse("dashboard:settings") + f"#figures-{source.pk}")
    return redirect(reverse("sources:detail", kwargs={"source_id": source.pk}) + "#figures")


@workspace_required
@require_POST
def figure_setting(request: HttpRequest, source_id: int) -> HttpResponse:
    """Set one figure setting (date basis or excluded statuses) by hand, or hand it back to the store's own."""
    source = _source(request, source_id)
    setting = request.POST.get("setting", "")
    if setting not in figure_settings.SETTINGS:
        messages.error(request, "Choose which setting to change: the date orders count by, or the excluded statuses.")
        return _back(request, source)
    if request.POST.get("action") == "store":
        figure_settings.use_store_setting(source, setting)
        now = figure_settings.shown(source, setting)
        messages.success(request, f"{source}: {now.label.lower()} {now.value_words}, {now.origin_words}.")
        return _back(request, source)
    if setting == "date_basis":
        basis = request.POST.get("date_basis", "")
        if basis not in figure_settings.BASIS_WORDS:
            messages.error(request, "Choose the date orders count by: created, paid or completed.")
            return _back(request, source)
        figure_settings.set_by_owner(source, date_basis=basis)
    else:
        chosen = request.POST.getlist("excluded")
        unknown = [s for s in chosen if s not in figure_settings.STATUS_CHOICES]
        if unknown:
            messages.error(request, f"Unknown order status: {', '.join(unknown)}.")
            return _back(request, source)
        figure_settings.set_by_owner(source, excluded=chosen)
    now = figure_settings.shown(source, setting)
    messages.success(
        request,
        f"{source}: {now.label.lower()} {now.value_words}. Every figure uses it from now on; your store's own setting "
        "is not followed until you choose “Use the store's setting”.",
    )
    return _back(request, source)


@workspace_required
def remove(request: HttpRequest, source_id: int) -> HttpResponse:
    """GET: the confirmation page. POST (confirmed): delete webhooks on the store, forget keys, delete data."""
    source = _source(request, source_id)
    if request.method != "POST":
        return render(request, "sources/remove.html", {"source": source})
    if request.POST.get("confirm") != "yes":
        return render(request, "sources/remove.html", {"source": source, "need_confirm": True}, status=400)
    report = remove_source(source)
    for i, line in enumerate(report.lines()):
        (messages.warning if report.webhook_problem and i == 1 else messages.success)(request, line)
    return redirect("sources:list")
