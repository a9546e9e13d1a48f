"""WP_REST_Server for the fake: match the route, authenticate like WooCommerce, validate, check permissions.

Order of checks as in WordPress: REST disabled by a plugin; WooCommerce authentication errors (before any
route is matched, so no `Allow`); no route → 404 `rest_no_route` (also for a method the route lacks); parameter
validation (400, before permissions); permission callbacks (401 anonymous, 403 logged in); the handler.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from starlette.requests import Request
from starlette.responses import Response

from .. import phpquery
from ..restauth import AuthResult, authenticate
from ..serializers import View
from . import connector, orders, resources, site
from .http import NO_ROUTE, Reply, RestError, RestRequest, render
from .params import ListQuery, ListSpec, parse_list

if TYPE_CHECKING:
    from ..store import FakeStore

Handler = Callable[..., Reply]

PERMISSION_ERRORS = {
    "list": ("woocommerce_rest_cannot_view", "Sorry, you cannot list resources."),
    "view": ("woocommerce_rest_cannot_view", "Sorry, you cannot view this resource."),
    "create": ("woocommerce_rest_cannot_create", "Sorry, you are not allowed to create resources."),
    "edit": ("woocommerce_rest_cannot_edit", "Sorry, you are not allowed to edit this resource."),
    "delete": ("woocommerce_rest_cannot_delete", "Sorry, you are not allowed to delete this resource."),
}


@dataclass
class Method:
    handler: Handler
    permission: str | None  # None: public; else a PERMISSION_ERRORS key
    spec: ListSpec | None = None  # collection parameters to validate
    required: tuple[str, ...] = ()  # arguments WordPress requires before any permission check (its `required`)


@dataclass
class Endpoint:
    path: str  # WordPress route regex, as the index lists it
    methods: dict[str, Method]
    available: Callable[[FakeStore], bool] = lambda store: True
    allow: list[str] = field(default_factory=list)
    regex: re.Pattern[str] = field(init=False)

    def __post_init__(self) -> None:
        self.regex = re.compile("^" + self.path + "$", re.IGNORECASE)
        if not self.allow:
            self.allow = list(self.methods)


def _wc(store: FakeStore) -> bool:
    return not store.config.has("no-woocommerce")


def _not_legacy(store: FakeStore) -> bool:
    return _wc(store) and not store.config.has("legacy-woocommerce")


def _subscriptions(store: FakeStore) -> bool:
    return _wc(store) and store.subscriptions is not None


def _connector(store: FakeStore) -> bool:
    return _wc(store) and store.config.has("storelens-connector")


def _item(get: Handler, update: Handler | None, delete: Handler | None, get_perm: str = "view") -> dict[str, Method]:
    methods = {"GET": Method(get, get_perm)}
    if update is not None:
        for m in ("POST", "PUT", "PATCH"):
            methods[m] = Method(update, "edit")
    if delete is not None:
        methods["DELETE"] = Method(delete, "delete")
    return methods


ID = r"(?P<id>[\d]+)"
ENDPOINTS: list[Endpoint] = [
    Endpoint("/", {"GET": Method(site.site_index, None)}),
    Endpoint("/wc/v3", {"GET": Method(site.wc_index, None)}, _wc),
    Endpoint(
        "/wc/v3/orders",
        {"GET": Method(orders.list_orders, "list", orders.ORDER_LIST), "POST": Method(orders.create_order, "create")},
        _wc,
    ),
    Endpoint(f"/wc/v3/orders/{ID}", _item(orders.get_order, orders.update_order, orders.delete_order), _wc),
    Endpoint(
        r"/wc/v3/orders/(?P<order_id>[\d]+)/refunds",
        {
            "GET": Method(orders.list_order_refunds, "list", orders.REFUND_LIST),
            "POST": Method(orders.create_order_refund, "create"),
        },
        _wc,
    ),
    Endpoint(
        rf"/wc/v3/orders/(?P<order_id>[\d]+)/refunds/{ID}",
        {"GET": Method(orders.get_order_refund, "view"), "DELETE": Method(orders.delete_order_refund, "delete")},
        _wc,
    ),
    Endpoint("/wc/v3/refunds", {"GET": Method(orders.list_refunds, "list", orders.REFUND_LIST)}, _not_legacy),
    Endpoint(
        "/wc/v3/customers",
        {
            "GET": Method(resources.list_customers, "list", resources.CUSTOMER_LIST),
            "POST": Method(resources.create_customer, "create"),
        },
        _wc,
    ),
    Endpoint(
        f"/wc/v3/customers/{ID}",
        _item(resources.get_customer, resources.update_customer, resources.delete_customer),
        _wc,
    ),
    Endpoint(
        "/wc/v3/products",
        {"GET": Method(resources.list_products, "list", resources.PRODUCT_LIST)},
        _wc,
        ["GET", "POST"],
    ),
    Endpoint(
        f"/wc/v3/products/{ID}",
        _item(resources.get_product, resources.update_product, None),
        _wc,
        ["GET", "POST", "PUT", "PATCH", "DELETE"],
    ),
    Endpoint(
        r"/wc/v3/products/(?P<product_id>[\d]+)/variations",
        {"GET": Method(resources.list_variations, "list", resources.VARIATION_LIST)},
        _wc,
        ["GET", "POST"],
    ),
    Endpoint(
        rf"/wc/v3/products/(?P<product_id>[\d]+)/variations/{ID}",
        {"GET": Method(resources.get_variation, "view")},
        _wc,
        ["GET", "POST", "PUT", "PATCH", "DELETE"],
    ),
    Endpoint(
        "/wc/v3/coupons",
        {
            "GET": Method(resources.list_coupons, "list", resources.COUPON_LIST),
            "POST": Method(resources.create_coupon, "create"),
        },
        _wc,
    ),
    Endpoint(
        f"/wc/v3/coupons/{ID}",
        _item(resources.get_coupon, resources.update_coupon, None),
        _wc,
        ["GET", "POST", "PUT", "PATCH", "DELETE"],
    ),
    Endpoint(
        "/wc/v3/subscriptions",
        {"GET": Method(orders.list_subscriptions, "list", orders.SUBSCRIPTION_LIST)},
        _subscriptions,
        ["GET", "POST"],
    ),
    Endpoint("/wc/v3/subscriptions/statuses", {"GET": Method(orders.subscription_statuses, None)}, _subscriptions),
    Endpoint(
        f"/wc/v3/subscriptions/{ID}",
        {"GET": Method(orders.get_subscription, "view")},
        _subscriptions,
        ["GET", "POST", "PUT", "PATCH", "DELETE"],
    ),
    Endpoint(
        "/wc/v3/webhooks",
        {
            "GET": Method(resources.list_webhooks, "list", resources.WEBHOOK_LIST),
            "POST": Method(resources.create_webhook, "create", required=resources.WEBHOOK_REQUIRED),
        },
        _wc,
    ),
    Endpoint(
        f"/wc/v3/webhooks/{ID}", _item(resources.get_webhook, resources.update_webhook, resources.delete_webhook), _wc
    ),
    Endpoint("/wc/v3/settings/general", {"GET": Method(site.settings_general, "list")}, _wc),
    Endpoint("/wc/v3/data/currencies/current", {"GET": Method(site.currencies_current, "view")}, _wc),
    Endpoint("/wc/v3/settings/wc_admin", {"GET": Method(site.settings_wc_admin, "list")}, _wc),
    Endpoint(
        r"/wc/v3/settings/wc_admin/(?P<setting_id>[\w-]+)", {"GET": Method(site.settings_wc_admin_item, "view")}, _wc
    ),
    Endpoint("/wc/v3/system_status", {"GET": Method(site.system_status, "view")}, _wc),
    Endpoint("/wc/v3/reports/orders/totals", {"GET": Method(site.orders_totals, "list")}, _wc),
    Endpoint("/storelens/v1/settings", {"GET": Method(connector.settings, "view")}, _connector),
    Endpoint("/storelens/v1/census", {"GET": Method(connector.census, "list")}, _connector),
    Endpoint("/storelens/v1/orders", {"GET": Method(connector.connector_orders, "list")}, _connector),
    Endpoint("/wc-admin/options", {"GET": Method(site.wc_admin_options, "view")}, _wc),  # Allow: GET (WC 11)
]


def origin_for(store: FakeStore, ssl: bool) -> str:
    """Links use the WordPress home URL's host, and https whenever is_ssl()."""
    home = urlsplit(store.config.home_url)
    scheme = "https" if ssl else home.scheme
    return f"{scheme}://{home.netloc}{home.path.rstrip('/')}"


def api_root(store: FakeStore, ssl: bool) -> str:
    origin = origin_for(store, ssl)
    return origin + ("/index.php?rest_route=/" if store.config.has("plain-permalinks") else "/wp-json/")


def is_ssl(request: Request, store: FakeStore) -> bool:
    return request.url.scheme == "https" and not store.config.has("proxy-no-ssl")


def raw_request_uri(request: Request) -> str:
    scope = request.scope
    raw = scope.get("raw_path") or scope.get("path", "").encode()
    uri = raw.decode("latin-1") if isinstance(raw, bytes) else str(raw)
    query = scope.get("query_string", b"")
    if query:
        uri += "?" + query.decode("latin-1")
    return uri


async def serve(request: Request, store: FakeStore, route: str) -> Response:
    """Answer one REST request for `route` (already taken from /wp-json/… or ?rest_route=)."""
    ssl = is_ssl(request, store)
    root = api_root(store, ssl)
    if store.config.has("rest-disabled"):
        body = {
            "code": "rest_cannot_access",
            "message": "Only authenticated users can access the REST API.",
            "data": {"status": 401},
        }
        return render(None, 401, body, api_root=root)
    http_method = request.method.upper()
    query = request.scope.get("query_string", b"").decode("latin-1")
    get = phpquery.parse(query)
    raw_body = await request.body()
    content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    post: dict[str, Any] = {}
    body: dict[str, Any] = {}
    if content_type == "application/x-www-form-urlencoded" and raw_body:
        form = phpquery.parse(raw_body.decode("utf-8", "replace"))
        if http_method == "POST":
            post = form
        body = dict(form)
    elif raw_body and ("json" in content_type or raw_body[:1] in (b"{", b"[")):
        try:
            parsed = json.loads(raw_body)
        except ValueError:
            err = {
                "code": "rest_invalid_json",
                "message": "Invalid JSON body passed.",
                "data": {"status": 400, "json_error_code": 4, "json_error_message": "Syntax error"},
            }
            return render(None, 400, err, api_root=root)
        if isinstance(parsed, dict):
            body = parsed
    method = http_method
    override = (
        get.get("_method") if isinstance(get.get("_method"), str) else request.headers.get("x-http-method-override")
    )
    if override:
        method = str(override).upper()
    if method == "HEAD":
        method = "GET"
    authorization = None if store.config.has("strip-auth") else request.headers.get("authorization")
    auth: AuthResult = authenticate(
        store,
        method=http_method,
        raw_uri=raw_request_uri(request),
        path=request.url.path,
        get=get,
        post=post,
        authorization=authorization,
        ssl=ssl,
    )
    logged_in = auth.user is not None
    if auth.error is not None:
        err = RestError(auth.error.status, auth.error.code, auth.error.message)
        return render(None, err.status, err.body(), logged_in=logged_in, api_root=root)

    endpoint, args = _match(store, route, method)
    if endpoint is None:
        return render(None, 404, RestError(404, "rest_no_route", NO_ROUTE).body(), logged_in=logged_in, api_root=root)
    spec = endpoint.methods[method]
    can_manage = bool(auth.user is not None and auth.user.can_manage_woocommerce)
    allow = [
        m for m in endpoint.allow if can_manage or (m in endpoint.methods and endpoint.methods[m].permission is None)
    ]
    dp = 2
    dp_raw = get.get("dp")
    if isinstance(dp_raw, str) and dp_raw.strip().lstrip("-").isdigit():
        dp = max(0, int(dp_raw))
    view = View(origin=origin_for(store, ssl), rest_prefix=root, tz=store.timezone, dp=dp)
    req = RestRequest(
        store=store,
        method=method,
        http_method=http_method,
        route=route,
        get=get,
        post=post,
        body=body,
        ssl=ssl,
        raw_uri=raw_request_uri(request),
        view=view,
        auth=auth,
        api_root=root,
        url_args=args,
    )
    try:
        q = parse_list(req, spec.spec) if spec.spec is not None else _basic_query(req)
        missing = [name for name in spec.required if req.param(name) is None]
        if missing:
            # WP_REST_Request::has_valid_params, before permissions: even a visitor's empty POST hears about them.
            names = ", ".join(missing)
            raise RestError(400, "rest_missing_callback_param", f"Missing parameter(s): {names}", {"params": missing})
        if spec.permission is not None and not can_manage:
            code, message = PERMISSION_ERRORS[spec.permission]
            raise RestError(403 if logged_in else 401, code, message)
        with store.lock:
            reply = spec.handler(req, q, *args.values())
    except RestError as err:
        if err.status in (401, 403):
            # rest_send_allow_header lists the methods whose permission callback passes for this request: a method
            # refused here is not allowed (WooCommerce 11's wc-admin/options refusing an option answers no Allow).
            allow = [m for m in allow if m != method]
        return render(req, err.status, err.body(), logged_in=logged_in, allow=allow, api_root=root)
    return render(req, reply.status, reply.data, headers=reply.headers, logged_in=logged_in, allow=allow, api_root=root)


def _basic_query(req: RestRequest) -> ListQuery:
    q = ListQuery()
    fields = req.get.get("_fields")
    q.fields = fields if isinstance(fields, str) else None
    q.dp = req.view.dp
    return q


def _match(store: FakeStore, route: str, method: str) -> tuple[Endpoint | None, dict[str, str]]:
    path = route if route.startswith("/") else "/" + route
    if len(path) > 1:
        path = path.rstrip("/") or "/"
    for endpoint in ENDPOINTS:
        m = endpoint.regex.match(path)
        if m is None or method not in endpoint.methods or not endpoint.available(store):
            continue
        return endpoint, m.groupdict()
    return None, {}
