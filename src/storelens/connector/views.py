"""The addresses the plugin and its owner use: start (signed in), back (WooCommerce's return), exchange, status and
disconnect (the plugin, server to server, with its code or token), the zip download and "I've installed the plugin".

The server-to-server ones answer JSON and are exempt from CSRF: the one-time code or the token is the credential.
"""

from __future__ import annotations

import logging
from urllib.parse import urlsplit

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from storelens.accounts.scoping import workspace_required
from storelens.connector import links
from storelens.connector.package import PLUGIN_SLUG, PluginMissing, build_zip
from storelens.woocommerce.fastjson import UnreadableJson, loads_body

log = logging.getLogger(__name__)

ADMIN_PAGE = "wp-admin/admin.php?page=storelens-connector"


def _public_base(request: HttpRequest) -> str:
    return settings.STORELENS_PUBLIC_URL or request.build_absolute_uri("/").rstrip("/")


def _store_url(request: HttpRequest, store_id: int) -> str:
    return _public_base(request) + reverse("stores:detail", kwargs={"store_id": store_id})


@workspace_required
def start(request: HttpRequest) -> HttpResponse:
    """GET: "Connect this store to <workspace>?" POST: find or add the store and go to its approval screen."""
    source = request.POST if request.method == "POST" else request.GET
    site, return_url, state = source.get("site", ""), source.get("return", ""), source.get("state", "")
    context = {"site": site, "return_url": return_url, "state": state, "workspace": request.workspace}  # type: ignore[attr-defined]
    try:
        links.check_request(site, return_url, state)
    except links.ConnectProblem as problem:
        return render(request, "connector/start.html", {**context, "problem": problem, "return_url": ""}, status=400)
    context["store"] = links.find_store(request.workspace, site)  # type: ignore[attr-defined]
    if request.method != "POST":
        return render(request, "connector/start.html", context)
    try:
        store = links.find_or_add_store(request.workspace, site)  # type: ignore[attr-defined]
        back = _public_base(request) + reverse("connector:back")
        target = links.begin(store, request.user, return_url, state, back)
    except links.ConnectProblem as problem:
        return render(request, "connector/start.html", {**context, "problem": problem}, status=400)
    return HttpResponseRedirect(target)


@require_GET
def back(request: HttpRequest) -> HttpResponse:
    """WooCommerce's return_url (`?success=1|0&user_id=<token>`): on to wp-admin with the plugin's one-time code."""
    target = links.return_address(request.GET.get("user_id", ""), request.GET.get("success", ""))
    if target is None:
        problem = links.ConnectProblem(
            "Storelens does not know this connection.",
            "Start again from your store's wp-admin: WooCommerce → Storelens → Connect Store.",
        )
        return render(request, "connector/start.html", {"problem": problem}, status=404)
    return HttpResponseRedirect(target)


def _json_body(request: HttpRequest) -> dict[str, object]:
    try:
        body = loads_body(request.body or b"{}")
    except UnreadableJson:  # also nested too deeply (a RecursionError, which answered 500)
        return {}
    return body if isinstance(body, dict) else {}


def _version(request: HttpRequest, body: dict[str, object] | None = None) -> str:
    value = (body or {}).get("version") or request.headers.get("X-Storelens-Connector-Version", "")
    return str(value).strip()[:32]


@csrf_exempt
@require_POST
def exchange(request: HttpRequest) -> HttpResponse:
    """The plugin's one-time code for its token and the secret that signs its change notices."""
    body = _json_body(request)
    done = links.exchange(str(body.get("code") or ""), str(body.get("site") or ""), _version(request, body))
    if done is None:
        message = "This connection code is unknown, used or expired: click Connect Store again in wp-admin."
        return JsonResponse({"ok": False, "message": message}, status=400)
    return JsonResponse(
        {
            "ok": True,
            "store": done.store.public_id,
            "token": done.token,
            "secret": done.secret,
            "store_url": _store_url(request, done.store.pk),
            "store_name": str(done.store),
        }
    )


def _token(request: HttpRequest) -> str:
    header = request.headers.get("Authorization", "")
    return header[7:].strip() if header.lower().startswith("bearer ") else ""


@require_GET
def status(request: HttpRequest) -> HttpResponse:
    """What the plugin shows: connected, or what needs attention and the button that fixes it (410: removed)."""
    link = links.link_for_token(_token(request))
    if link is None:
        return JsonResponse(links.REMOVED, status=410)
    links.seen(link, _version(request))
    return JsonResponse(links.status_of(link.store, _store_url(request, link.store.pk)))


@csrf_exempt
@require_POST
def disconnect(request: HttpRequest) -> HttpResponse:
    """Disconnect in wp-admin: the plugin's token stops working here too."""
    link = links.link_for_token(_token(request))
    if link is None:
        return JsonResponse({"ok": True, "message": "Already disconnected."}, status=200)
    links.disconnect(link)
    return JsonResponse({"ok": True, "message": "Disconnected."})


@workspace_required
@require_GET
def download(request: HttpRequest) -> HttpResponse:
    """The plugin's zip with this Storelens's address in it."""
    try:
        data = build_zip(_public_base(request))
    except PluginMissing as missing:
        log.error("%s", missing)
        return HttpResponse(f"{missing}\n", status=404, content_type="text/plain")
    response = HttpResponse(data, content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="{PLUGIN_SLUG}.zip"'
    return response


@workspace_required
def installed(request: HttpRequest) -> HttpResponse:
    """ "I've installed the plugin": what to do next, and a button to the plugin's page on the owner's store."""
    address = request.POST.get("url", "").strip() if request.method == "POST" else ""
    error = ""
    if request.method == "POST":
        if "://" not in address:
            address = "https://" + address
        parts = urlsplit(address)
        if parts.scheme in ("http", "https") and parts.hostname:
            path = parts.path.split("/wp-admin")[0].rstrip("/")
            return HttpResponseRedirect(f"{parts.scheme}://{parts.netloc}{path}/{ADMIN_PAGE}")
        error = "Type your store's address, such as shop.example.com."
    return render(
        request, "connector/installed.html", {"error": error, "address": address}, status=400 if error else 200
    )
