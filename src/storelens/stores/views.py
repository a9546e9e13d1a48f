"""The data sources pages: list and add stores, connect/reconnect through WooCommerce, manual keys, check, remove.

Every view that names a source reads it through `get_workspace_object_or_404`, so another workspace's id is a 404.
The one exception is the wc-auth callback, which the store calls without a session: its one-time token is the
credential (see connect.py).
"""

from __future__ import annotations

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
from storelens.stores import adding, client, connect, figure_settings, hooks, problems
from storelens.stores.forms import AddStoreForm, ConnectForm, ManualKeysForm
from storelens.stores.models import Store
from storelens.stores.presenting import card_context
from storelens.stores.removal import remove_store
from storelens.stores.reporting import ORDER_STATUSES
from storelens.stores.tasks import verify_keys
from storelens.stores.templatetags.stores_extras import help_url
from storelens.woocommerce.errors import StoreError
from storelens.woocommerce.fastjson import UnreadableJson, loads_body

log = logging.getLogger(__name__)


def _store(request: HttpRequest, store_id: int) -> Store:
    return get_workspace_object_or_404(request, Store, pk=store_id)


def _list_context(request: HttpRequest, **extra: Any) -> dict[str, Any]:
    stores = list(scoped(request, Store))
    return {
        "stores": [card_context(request, s, compact=True) for s in stores],
        "add_form": AddStoreForm(),
        **extra,
    }


@workspace_required
@require_GET
def store_list(request: HttpRequest) -> HttpResponse:
    return render(request, "stores/list.html", _list_context(request))


@workspace_required
def add(request: HttpRequest) -> HttpResponse:
    """GET: the list with the add form in focus. POST: discover the store and create its source."""
    if request.method != "POST":
        return render(request, "stores/list.html", _list_context(request, focus_add=True))
    form = AddStoreForm(request.POST)
    if not form.is_valid():
        return render(request, "stores/list.html", _list_context(request, add_form=form, focus_add=True), status=400)
    entered = form.cleaned_data["url"]
    try:
        site = client.discover_site(entered)
    except StoreError as err:
        context = _list_context(request, add_form=form, focus_add=True, add_error=err)
        return render(request, "stores/list.html", context, status=400)
    existing = adding.existing_store(request.workspace, site)  # type: ignore[attr-defined]
    if existing is not None:
        messages.info(request, f"{existing} is already one of your stores.")
        return redirect("stores:detail", store_id=existing.pk)
    store = adding.create_store(request.workspace, entered, site)  # type: ignore[attr-defined]
    return redirect("stores:detail", store_id=store.pk)


@workspace_required
@require_GET
def detail(request: HttpRequest, store_id: int) -> HttpResponse:
    """The source's page; also WooCommerce's return_url (`?success=1|0&user_id=<token>`)."""
    store = _store(request, store_id)
    context = card_context(request, store)
    context.update(connect_form=ConnectForm(), keys_form=ManualKeysForm(), **_figures_context(store))
    return render(request, "stores/detail.html", context)


def _figures_context(store: Store) -> dict[str, Any]:
    return {
        "figures": figure_settings.shown_all(store),
        "figure_statuses": ORDER_STATUSES,
    }


@workspace_required
@require_GET
def card(request: HttpRequest, store_id: int) -> HttpResponse:
    """The onboarding/status card alone: htmx polls it every second while something is in progress."""
    store = _store(request, store_id)
    return render(request, "stores/_live.html", card_context(request, store))


def _return_url(request: HttpRequest, store: Store) -> str:
    return request.build_absolute_uri(reverse("stores:detail", kwargs={"store_id": store.pk}))


@workspace_required
@require_POST
def start_connect(request: HttpRequest, store_id: int) -> HttpResponse:
    """Connect Store and Reconnect Store: send the browser to the store's approval screen (or say why not)."""
    store = _store(request, store_id)
    form = ConnectForm(request.POST)
    scope = form.cleaned_data["scope"] if form.is_valid() else "read_write"
    if store.plain_permalinks:
        messages.error(
            request,
            "Your store uses plain permalinks, so WooCommerce's approval screen cannot send keys to Storelens. "
            "Fix: in WordPress go to Settings → Permalinks, choose Post name and Save, then Check connection. "
            "Or paste keys below.",
        )
        return redirect("stores:detail", store_id=store.pk)
    problem = connect.callback_problem_for(store)
    if problem is not None:
        messages.error(request, f"{problem.message} {problem.fix}")
        return redirect("stores:detail", store_id=store.pk)
    query_form = not client.wc_auth_path_served(store.home_url)
    _, token = connect.start(store, request.user, scope)
    target = connect.authorize_url(store, token, scope, _return_url(request, store), query_form=query_form)
    return HttpResponseRedirect(target)


@csrf_exempt
@require_POST
def callback(request: HttpRequest) -> HttpResponse:
    """WooCommerce posts the new key here (server to server). Answer fast; verification is a job afterwards."""
    try:
        payload = loads_body(request.body)
    except UnreadableJson as exc:  # also a body nested too deeply to read (a RecursionError answered 500)
        return JsonResponse(
            {"ok": False, "message": f"The body must be JSON, as WooCommerce posts the key: {exc}"}, status=400
        )
    result = connect.accept_callback(payload, on_stored=verify_keys)
    if result.status != 200:
        log.info("wc-auth callback refused (%s): %s", result.status, result.message)
    return JsonResponse({"ok": result.status == 200, "message": result.message}, status=result.status)


@workspace_required
@require_POST
def manual_keys(request: HttpRequest, store_id: int) -> HttpResponse:
    store = _store(request, store_id)
    form = ManualKeysForm(request.POST)
    error: StoreError | None = None
    if form.is_valid():
        key, secret = form.cleaned_data["consumer_key"], form.cleaned_data["consumer_secret"]
        try:
            site = client.discover_site(store.home_url)
            details = client.describe_with_keys(site, key, secret)
        except StoreError as err:
            error = err
        else:
            adding.apply_site(store, site)
            adding.save_manual_keys(store, key, secret, details)
            scope = "read and write" if details.permissions == "read_write" else (details.permissions or "unknown")
            messages.success(request, f"The keys work ({scope} access). Storelens is importing your store.")
            return redirect("stores:detail", store_id=store.pk)
    context = card_context(request, store)
    context.update(connect_form=ConnectForm(), keys_form=form, keys_error=error, open_keys=True)
    context.update(_figures_context(store))
    return render(request, "stores/detail.html", context, status=400)


@workspace_required
@require_POST
def check(request: HttpRequest, store_id: int) -> HttpResponse:
    """Check connection: the same checks as `storelens doctor` (storelens.doctor), recorded on the source's status."""
    store = _store(request, store_id)
    report = hooks.check_store(store)  # the doctor owns the checks; this view only shows them
    kept = {w.get("code") for w in store.data_warnings if isinstance(w, dict)}
    for problem in report.problems:
        if problem.severity == "warning" and problem.code in kept:
            continue  # listed under "Worth fixing on your store" on the page, with its help link
        if problem.code == "analytics_settings_assumed":
            continue  # "How figures are counted" on the page says it, and what the owner chose instead
        if report.failure is not None and problem.code == problems.problem_code(report.failure.code):
            continue  # the store's status at the top of the page says it, with what to do
        link = help_url(problem.code)
        more = format_html(' <a href="{}">More help</a>', link) if link else ""
        add = messages.error if problem.severity == "error" else messages.warning
        add(request, format_html("{} <strong>What to do:</strong> {}{}", problem.message, problem.fix, more))
    if not report.errors:
        if report.details is not None:
            worth = " Some things are worth fixing: see below." if kept & set(report.codes()) else ""
            messages.success(request, f"Your store answers and Storelens's keys work.{worth}")
        elif not store.consumer_key_enc:
            messages.success(request, "Your store answers. Connect it to let Storelens read its orders.")
    return redirect("stores:detail", store_id=store.pk)


@workspace_required
@require_POST
def sync_now(request: HttpRequest, store_id: int) -> HttpResponse:
    store = _store(request, store_id)
    if not store.keys_verified_at:
        messages.error(request, "Connect the store first: Storelens has no working keys for it yet.")
        return redirect("stores:detail", store_id=store.pk)
    hooks.sync_now(store.pk)
    messages.success(request, "Sync started.")
    return redirect("stores:detail", store_id=store.pk)


def _back(request: HttpRequest, store: Store) -> HttpResponse:
    """Back to the page the form was on: the store's page, or the workspace Settings page."""
    if request.POST.get("next") == "settings":
        return redirect(reverse("dashboard:settings") + f"#figures-{store.pk}")
    return redirect(reverse("stores:detail", kwargs={"store_id": store.pk}) + "#figures")


@workspace_required
@require_POST
def figure_setting(request: HttpRequest, store_id: int) -> HttpResponse:
    """Set one figure setting (date basis or excluded statuses) by hand, or hand it back to the store's own."""
    store = _store(request, store_id)
    setting = request.POST.get("setting", "")
    if setting not in figure_settings.SETTINGS:
        messages.error(request, "Choose which setting to change: the date orders count by, or the excluded statuses.")
        return _back(request, store)
    if request.POST.get("action") == "store":
        figure_settings.use_store_setting(store, setting)
        now = figure_settings.shown(store, setting)
        messages.success(request, f"{store}: {now.label.lower()} {now.value_words}, {now.origin_words}.")
        return _back(request, store)
    if setting == "date_basis":
        basis = request.POST.get("date_basis", "")
        if basis not in figure_settings.BASIS_WORDS:
            messages.error(request, "Choose the date orders count by: created, paid or completed.")
            return _back(request, store)
        figure_settings.set_by_owner(store, date_basis=basis)
    else:
        chosen = request.POST.getlist("excluded")
        unknown = [s for s in chosen if s not in ORDER_STATUSES]
        if unknown:
            messages.error(request, f"Unknown order status: {', '.join(unknown)}.")
            return _back(request, store)
        figure_settings.set_by_owner(store, excluded=chosen)
    now = figure_settings.shown(store, setting)
    messages.success(
        request,
        f"{store}: {now.label.lower()} {now.value_words}. Every figure uses it from now on; your store's own setting "
        "is not followed until you choose “Use the store's setting”.",
    )
    return _back(request, store)


@workspace_required
def remove(request: HttpRequest, store_id: int) -> HttpResponse:
    """GET: the confirmation page. POST (confirmed): delete webhooks on the store, forget keys, delete data."""
    store = _store(request, store_id)
    if request.method != "POST":
        return render(request, "stores/remove.html", {"store": store})
    if request.POST.get("confirm") != "yes":
        return render(request, "stores/remove.html", {"store": store, "need_confirm": True}, status=400)
    report = remove_store(store)
    for i, line in enumerate(report.lines()):
        (messages.warning if report.webhook_problem and i == 1 else messages.success)(request, line)
    return redirect("stores:list")
