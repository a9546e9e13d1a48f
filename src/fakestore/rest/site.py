"""The REST index, the `wc/v3` namespace index, settings, system status, totals report and wc-admin options."""

from __future__ import annotations

import copy
import json
from importlib import resources
from typing import Any

from ..books import CODE
from ..clock import gmt_offset_hours
from ..serializers import filter_fields, parse_fields
from ..vocabulary import CURRENCY_ENTITIES, WC_VERSION
from .http import Reply, RestError, RestRequest
from .params import ListQuery

WP_NAMESPACES = ["oembed/1.0", "wp/v2", "wp-site-health/v1", "wp-block-editor/v1"]
WC_NAMESPACES = [
    "wc/v3",
    "wc/v1",
    "jetpack/v4",
    "wc-admin",
    "wc-analytics",
    "wc/store",
    "wc/store/v1",
    "wc/private",
    "wc/v2",
    "wc-admin-email",
    "wc-telemetry",
    "wccom-site/v3",
]
ORDER_STATUS_NAMES = [
    ("pending", "Pending payment"),
    ("processing", "Processing"),
    ("on-hold", "On hold"),
    ("completed", "Completed"),
    ("cancelled", "Cancelled"),
    ("refunded", "Refunded"),
    ("failed", "Failed"),
    ("checkout-draft", "Draft"),
]
SUBSCRIPTION_ROUTES = {
    "/wc/v3/subscriptions": ["GET", "POST"],
    "/wc/v3/subscriptions/(?P<id>[\\d]+)": ["GET", "POST", "PUT", "PATCH", "DELETE"],
    "/wc/v3/subscriptions/statuses": ["GET"],
    "/wc/v3/subscriptions/(?P<id>[\\d]+)/orders": ["GET"],
}

_wc_routes_cache: dict | None = None


def _wc_routes() -> dict:
    global _wc_routes_cache
    if _wc_routes_cache is None:
        text = resources.files("fakestore").joinpath("data", "wc-v3-routes.json").read_text(encoding="utf-8")
        _wc_routes_cache = json.loads(text)
    return _wc_routes_cache


def wc_route_table(req: RestRequest) -> dict:
    store = req.store
    routes: dict[str, Any] = {}
    for path, spec in _wc_routes().items():
        if path == "/wc/v3/refunds" and store.config.has("legacy-woocommerce"):
            continue
        routes[path] = spec
    if store.subscriptions is not None:
        for path, methods in SUBSCRIPTION_ROUTES.items():
            routes[path] = {"methods": methods, "endpoints": [{"methods": methods, "args": {}}]}
    legacy = store.config.has("legacy-woocommerce")
    out = {}
    for path, spec in routes.items():
        entry = {"namespace": "wc/v3", "methods": spec["methods"], "endpoints": copy.deepcopy(spec["endpoints"])}
        if legacy:  # WooCommerce before 5.8 has no modified_after/modified_before arguments
            for endpoint in entry["endpoints"]:
                args = endpoint.get("args")
                if isinstance(args, dict):
                    args.pop("modified_after", None)
                    args.pop("modified_before", None)
        if "(?P<" not in path:
            entry["_links"] = {"self": [{"href": req.view.rest(path.lstrip("/"))}]}
        out[path] = entry
    return out


def namespaces(req: RestRequest) -> list[str]:
    if req.store.config.has("no-woocommerce"):
        return list(WP_NAMESPACES)
    return ["oembed/1.0", *WC_NAMESPACES, "wp/v2", "wp-site-health/v1", "wp-block-editor/v1"]


def site_index(req: RestRequest, q: ListQuery) -> Reply:
    store = req.store
    origin = store.config.home_url.rstrip("/")
    routes: dict[str, Any] = {
        "/": {
            "namespace": "",
            "methods": ["GET"],
            "endpoints": [{"methods": ["GET"], "args": {"context": {"default": "view", "required": False}}}],
            "_links": {"self": [{"href": req.view.rest("")}]},
        }
    }
    if not store.config.has("no-woocommerce"):
        routes.update(wc_route_table(req))
    data = {
        "name": store.site_name,
        "description": store.site_description,
        "url": origin,
        "home": origin,
        "gmt_offset": gmt_offset_hours(store.timezone, store.now()),
        "timezone_string": store.timezone,
        "page_for_posts": 0,
        "page_on_front": 0,
        "show_on_front": "posts",
        "namespaces": namespaces(req),
        "authentication": {
            "application-passwords": {"endpoints": {"authorization": f"{origin}/wp-admin/authorize-application.php"}}
        },
        "routes": routes,
        "site_logo": 0,
        "site_icon": 0,
        "site_icon_url": "",
        "_links": {"help": [{"href": "https://developer.wordpress.org/rest-api/"}]},
    }
    return Reply(200, data)


def wc_index(req: RestRequest, q: ListQuery) -> Reply:
    routes = {
        "/wc/v3": {
            "namespace": "wc/v3",
            "methods": ["GET"],
            "endpoints": [
                {
                    "methods": ["GET"],
                    "args": {
                        "namespace": {"default": "wc/v3", "required": False},
                        "context": {"default": "view", "required": False},
                    },
                }
            ],
            "_links": {"self": [{"href": req.view.rest("wc/v3")}]},
        }
    }
    routes.update({k: v for k, v in wc_route_table(req).items() if k != "/wc/v3"})
    return Reply(200, {"namespace": "wc/v3", "routes": routes, "_links": {"up": [{"href": req.view.rest("")}]}})


def settings_general(req: RestRequest, q: ListQuery) -> Reply:
    data = []
    for setting in req.store.settings_general:
        item = dict(setting)
        item["_links"] = {
            "self": [
                {
                    "href": req.view.rest(f"wc/v3/settings/general/{setting['id']}"),
                    "targetHints": {"allow": ["GET", "POST", "PUT", "PATCH"]},
                }
            ],
            "collection": [{"href": req.view.rest("wc/v3/settings/general")}],
        }
        data.append(item)
    return Reply(200, data)


def system_status(req: RestRequest, q: ListQuery) -> Reply:
    store = req.store
    text = resources.files("fakestore").joinpath("data", "system-status.json").read_text(encoding="utf-8")
    data = json.loads(text)
    origin = store.config.home_url.rstrip("/")
    env = data["environment"]
    env["home_url"] = env["site_url"] = origin
    env["default_timezone"] = "UTC"
    settings = data["settings"]
    currency = store.config.currency
    settings["currency"] = currency
    settings["currency_symbol"] = CURRENCY_ENTITIES.get(currency, currency)
    if store.config.has("legacy-woocommerce"):
        env["version"] = "5.7.2"
        data["database"]["wc_database_version"] = "5.7.2"
        settings["HPOS_enabled"] = False
        settings["order_datastore"] = "WC_Order_Data_Store_CPT"
        for plugin in data.get("active_plugins", []):
            if plugin.get("plugin") == "woocommerce/woocommerce.php":
                plugin["version"] = "5.7.2"
    else:
        env["version"] = WC_VERSION
    env["wp_environment_type"] = store.config.environment_type
    if store.subscriptions is not None:
        data.setdefault("active_plugins", []).append(
            {
                "plugin": "woocommerce-subscriptions/woocommerce-subscriptions.php",
                "name": "WooCommerce Subscriptions",
                "version": "7.0.0",
                "version_latest": "7.0.0",
                "url": "https://woocommerce.com/products/woocommerce-subscriptions/",
                "author_name": "WooCommerce",
                "author_url": "https://woocommerce.com/",
                "network_activated": False,
            }
        )
    return Reply(200, filter_fields(data, parse_fields(q.fields)))  # `_fields=environment`: that section alone


def currencies_current(req: RestRequest, q: ListQuery) -> Reply:
    """/data/currencies/current: the store currency as WC_REST_Data_Currencies_Controller shows it."""
    code = req.store.config.currency
    label = next(
        (
            str(s.get("options", {}).get(code, ""))
            for s in req.store.settings_general
            if s.get("id") == "woocommerce_currency"
        ),
        "",
    )
    name = label.split(" (", 1)[0] if label else code  # "Euro (&euro;) — EUR"
    data = {
        "code": code,
        "name": name,
        "symbol": CURRENCY_ENTITIES.get(code, code),
        "_links": {
            "self": [{"href": req.view.rest(f"wc/v3/data/currencies/{code}"), "targetHints": {"allow": ["GET"]}}],
            "collection": [{"href": req.view.rest("wc/v3/data/currencies")}],
        },
    }
    return Reply(200, filter_fields(data, parse_fields(q.fields)))


def orders_totals(req: RestRequest, q: ListQuery) -> Reply:
    """reports/orders/totals: counts per status, trash excluded (OrderUtil::get_count_for_type)."""
    book = req.store.orders
    counts = {slug: 0 for slug, _ in ORDER_STATUS_NAMES}
    names = {code: name for name, code in CODE.items()}
    for code in book.status:
        name = names.get(code)
        if name in counts:
            counts[name] += 1
    return Reply(200, [{"slug": slug, "name": label, "total": counts[slug]} for slug, label in ORDER_STATUS_NAMES])


# Automattic\WooCommerce\Admin\API\Options::get_default_option_permissions (WooCommerce 11): the frozen allow-list,
# as far as the fake knows the options. Off the list, only a `production` site answers (to a manage_options user).
OPTIONS_ALLOW_LIST = frozenset({"woocommerce_date_type", "date_format", "time_format", "blogname"})
ANALYTICS_STATUSES_DEFAULT = ["pending", "cancelled", "failed"]  # Internal\Admin\Settings::add_settings's order


def _analytics_options(req: RestRequest) -> dict[str, Any]:
    config = req.store.config
    return {
        "woocommerce_date_type": config.analytics_date_type if config.analytics_date_type else False,
        "woocommerce_excluded_report_order_statuses": (
            list(config.analytics_excluded_statuses) if config.analytics_excluded_statuses is not None else False
        ),
    }


def wc_admin_options(req: RestRequest, q: ListQuery) -> Reply:
    """Analytics settings are `false` until the merchant saves them, as on a real store.

    Every option named must be allowed or the whole request is refused (get_item_permissions_check), as WooCommerce
    11 does outside `production` (`wp_get_environment_type()`)."""
    raw = req.get.get("options")
    names = [n for n in (raw.split(",") if isinstance(raw, str) else []) if n]
    if not names:
        raise RestError(500, "woocommerce_rest_cannot_view", "You must supply an array of options.")
    # Off the list: a production site, and a user with manage_options (administrators; not shop managers).
    production = req.store.config.environment_type == "production"
    admin = req.auth.user is not None and req.auth.user.role == "administrator"
    if any(name not in OPTIONS_ALLOW_LIST for name in names) and not (production and admin):
        raise RestError(403, "woocommerce_rest_cannot_view", "Sorry, you cannot view these options.")
    known = _analytics_options(req)
    return Reply(200, {name: known.get(name, False) for name in names})


def _wc_admin_settings(req: RestRequest) -> list[dict[str, Any]]:
    r"""The `wc_admin` settings group (Internal\Admin\Settings::add_settings): saved value, else the default."""
    options = _analytics_options(req)
    statuses = dict(ORDER_STATUS_NAMES)  # measured on WooCommerce 11.0.1: every status, checkout-draft as "Draft"
    excluded = options["woocommerce_excluded_report_order_statuses"]
    date_type = options["woocommerce_date_type"]
    return [
        {
            "id": "woocommerce_excluded_report_order_statuses",
            "label": "Excluded report order statuses",
            "description": "Statuses that should not be included when calculating report totals.",
            "default": ANALYTICS_STATUSES_DEFAULT,
            "type": "multiselect",
            "options": statuses,
            "value": excluded if excluded is not False else ANALYTICS_STATUSES_DEFAULT,
        },
        {
            "id": "woocommerce_actionable_order_statuses",
            "label": "Actionable order statuses",
            "description": "Statuses that require extra action on behalf of the store admin.",
            "default": ["processing", "on-hold"],
            "type": "multiselect",
            "options": statuses,
            "value": ["processing", "on-hold"],
        },
        {
            "id": "woocommerce_default_date_range",
            "label": "Default Date Range",
            "description": "Default Date Range",
            "default": "period=month&compare=previous_year",
            "type": "text",
            "value": "period=month&compare=previous_year",
        },
        {
            "id": "woocommerce_date_type",
            "label": "Date Type",
            "description": "Database date field considered for Revenue and Orders reports",
            "type": "select",
            "options": {d: d for d in ("date_created", "date_paid", "date_completed")},
            "value": date_type if date_type is not False else "",
        },
    ]


def _setting_view(req: RestRequest, setting: dict[str, Any], group: str) -> dict[str, Any]:
    """As WooCommerce 11.0.1 answers it (measured): the setting's keys, then group_id and links."""
    out = {**setting, "group_id": group}
    out["_links"] = {
        "self": [
            {
                "href": req.view.rest(f"wc/v3/settings/{group}/{setting['id']}"),
                "targetHints": {"allow": ["GET", "POST", "PUT", "PATCH"]},
            }
        ],
        "collection": [{"href": req.view.rest(f"wc/v3/settings/{group}")}],
    }
    return out


def _settings_api_allowed(req: RestRequest) -> None:
    """`settings_api_refused`: the `wc_admin` settings group refuses this store's keys as the settings API's own
    permission check does (403 woocommerce_rest_cannot_view), while orders and the general settings still read."""
    if req.store.config.settings_api_refused:
        raise RestError(403, "woocommerce_rest_cannot_view", "Sorry, you cannot list resources.")


def settings_wc_admin(req: RestRequest, q: ListQuery) -> Reply:
    _settings_api_allowed(req)
    return Reply(200, [_setting_view(req, s, "wc_admin") for s in _wc_admin_settings(req)])


def settings_wc_admin_item(req: RestRequest, q: ListQuery, setting_id: str) -> Reply:
    _settings_api_allowed(req)
    for setting in _wc_admin_settings(req):
        if setting["id"] == setting_id:
            return Reply(200, _setting_view(req, setting, "wc_admin"))
    raise RestError(404, "rest_setting_setting_invalid", "Invalid setting.")
