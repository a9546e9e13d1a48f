"""`wc/v3` customers, products, variations, coupons and webhooks controllers."""

from __future__ import annotations

from typing import Any

from ..books import CODE
from ..phpquery import as_list
from ..serializers import customer as customer_view
from ..serializers import filter_fields, parse_fields, simple, variation
from ..serializers import webhook as webhook_view
from ..store import StoreError
from .http import Reply, RestError, RestRequest
from .orders import fold, from_store_error, sorted_positions
from .params import ListQuery, ListSpec, bool_value, page_slice, pagination

CUSTOMER_LIST = ListSpec(
    orderby=["id", "include", "name", "registered_date"], default_orderby="name", default_order="asc", dates=False
)
PRODUCT_LIST = ListSpec(
    orderby=["date", "modified", "id", "include", "title", "slug", "price", "popularity", "rating", "menu_order"],
    booleans=("on_sale", "featured"),
)
VARIATION_LIST = ListSpec(orderby=["date", "modified", "id", "include", "title", "slug", "menu_order"])
COUPON_LIST = ListSpec(orderby=["date", "id", "include", "title", "slug", "modified"])
WEBHOOK_LIST = ListSpec(orderby=["date", "id", "title"], dates=True, modified=False)
PRODUCT_STATUSES = ["any", "future", "trash", "draft", "pending", "private", "publish"]
CUSTOMER_ROLES = ["all", "administrator", "editor", "author", "contributor", "subscriber", "customer", "shop_manager"]


# --- customers -----------------------------------------------------------------------------------------------


def list_customers(req: RestRequest, q: ListQuery) -> Reply:
    store = req.store
    role = req.get.get("role", "customer")
    if not isinstance(role, str) or role not in CUSTOMER_ROLES:
        from .http import invalid_params
        from .params import enum_text

        raise invalid_params({"role": ("rest_not_in_enum", f"role is not one of {enum_text(CUSTOMER_ROLES)}.")})
    book = store.customers
    statuses = None if role == "all" else ({CODE[role]} if role in CODE else set())
    positions = book.positions(
        statuses,
        include=set(q.include) if q.include else None,
        exclude=set(q.exclude) if q.exclude else None,
    )
    email = req.get.get("email")
    if q.search or isinstance(email, str):
        term = fold(q.search)

        def keep(p: int) -> bool:
            rec = book.record_at(p)
            if isinstance(email, str) and rec["email"].lower() != email.lower():
                return False
            if term:
                hay = (rec["email"], rec["username"], rec["first_name"], rec["last_name"], store.customer_names[p])
                return any(term in fold(h) for h in hay)
            return True

        positions = [p for p in positions if keep(p)]
    reverse = q.order == "desc"
    ids = book.ids
    if q.orderby == "name":
        names = store.customer_names
        positions.sort(key=lambda p: (fold(names[p]), ids[p]), reverse=reverse)
    elif q.orderby == "registered_date":
        positions.sort(key=lambda p: (book.created[p], ids[p]), reverse=reverse)
    elif q.orderby == "include" and q.include:
        rank = {i: n for n, i in enumerate(q.include)}
        positions.sort(key=lambda p: rank.get(ids[p], 0))
    else:
        positions.sort(key=lambda p: ids[p], reverse=reverse)
    page, total = page_slice(positions, q)
    mask = parse_fields(q.fields)
    data = [filter_fields(customer_view(book.record_at(p), req.view), mask) for p in page]
    return Reply(200, data, pagination(req, "wc/v3/customers", q, total, len(data), crud=False, booleans=()))


def get_customer(req: RestRequest, q: ListQuery, customer_id: str) -> Reply:
    rec = req.store.customers.get(int(customer_id))
    if rec is None:
        raise RestError(404, "woocommerce_rest_invalid_id", "Invalid resource ID.")
    return Reply(200, filter_fields(customer_view(rec, req.view), parse_fields(q.fields)))


def create_customer(req: RestRequest, q: ListQuery) -> Reply:
    try:
        rec = req.store.create_customer(dict(req.body or {}))
    except StoreError as err:
        raise from_store_error(err) from err
    return Reply(201, customer_view(rec, req.view), {"Location": req.view.rest(f"wc/v3/customers/{rec['id']}")})


def update_customer(req: RestRequest, q: ListQuery, customer_id: str) -> Reply:
    try:
        rec = req.store.update_customer(int(customer_id), dict(req.body or {}))
    except StoreError as err:
        raise from_store_error(err) from err
    return Reply(200, customer_view(rec, req.view))


def delete_customer(req: RestRequest, q: ListQuery, customer_id: str) -> Reply:
    if bool_value(req.param("force")) is not True:
        raise RestError(501, "woocommerce_rest_trash_not_supported", "Customers do not support trashing.")
    try:
        rec = req.store.delete_customer(int(customer_id))
    except StoreError as err:
        raise from_store_error(err) from err
    return Reply(200, customer_view(rec, req.view))


# --- products and variations ---------------------------------------------------------------------------------


def _product_status(req: RestRequest) -> set[int] | None:
    raw = req.get.get("status", "any")
    status = raw if isinstance(raw, str) else "any"
    if status not in PRODUCT_STATUSES:
        from .http import invalid_params
        from .params import enum_text

        raise invalid_params({"status": ("rest_not_in_enum", f"status is not one of {enum_text(PRODUCT_STATUSES)}.")})
    if status == "any":
        return {code for name, code in CODE.items() if name not in ("trash", "deleted", "auto-draft")}
    return {CODE[status]} if status in CODE else set()


def list_products(req: RestRequest, q: ListQuery) -> Reply:
    book = req.store.products
    statuses = _product_status(req)
    checks = []
    key = []
    for name in ("type", "sku", "category"):
        value = req.get.get(name)
        if isinstance(value, str) and value:
            key.append((name, value))
    ptype, sku, category = (req.get.get(n) for n in ("type", "sku", "category"))
    if isinstance(ptype, str) and ptype:
        checks.append(lambda r: r["type"] == ptype)
    if isinstance(sku, str) and sku:
        skus = set(as_list(sku))
        checks.append(lambda r: r["sku"] in skus)
    if isinstance(category, str) and category:
        cats = {int(c) for c in as_list(category) if c.isdigit()}
        checks.append(lambda r: any(c["id"] in cats for c in r["categories"]))
    on_sale = bool_value(req.get.get("on_sale")) if req.get.get("on_sale") is not None else None
    if on_sale is not None:
        key.append(("on_sale", on_sale))
        checks.append(lambda r: bool(r["on_sale"]) == on_sale)
    if q.search:
        term = fold(q.search)
        key.append(("search", term))
        checks.append(lambda r: term in fold(r["name"]) or term in fold(r.get("sku", "")))
    record_filter = (lambda r: all(c(r) for c in checks)) if checks else None
    positions = sorted_positions(book, q, statuses=statuses, record_filter=record_filter, filter_key=tuple(key))
    page, total = page_slice(positions, q)
    mask = parse_fields(q.fields)
    data = [filter_fields(simple(book.record_at(p), req.view, "products"), mask) for p in page]
    return Reply(200, data, pagination(req, "wc/v3/products", q, total, len(data), booleans=("on_sale", "featured")))


def get_product(req: RestRequest, q: ListQuery, product_id: str) -> Reply:
    """A variation's id answers too, as a product of type "variation": WooCommerce's CRUD `get_item` loads the id with
    `wc_get_product()`, which returns variations as well, and its own product.updated webhook payload for a variation
    is built from exactly this route (`WC_Webhook::get_wp_api_payload`: `/wc/v3/products/<id>`). Only the write routes
    refuse a variation ("To manipulate product variations you should use …")."""
    pid = int(product_id)
    rec = req.store.products.get(pid)
    if rec is None:
        var = req.store.variations.get(pid)
        parent = req.store.products.get(var["parent_id"]) if var is not None else None
        if var is None or parent is None:
            raise RestError(404, "woocommerce_rest_product_invalid_id", "Invalid ID.")
        return Reply(200, filter_fields(variation_as_product(var, parent, req.view), parse_fields(q.fields)))
    return Reply(200, filter_fields(simple(rec, req.view, "products"), parse_fields(q.fields)))


def variation_as_product(var: dict, parent: dict, view: Any) -> dict:
    """The products controller's view of a variation: the product schema, `type` "variation", `parent_id`, the full
    name ("Parent - S, Red"), `attributes` as {id, name, option}, no variations of its own, and `up` to the parent."""
    # Product-only fields a variation lacks come from its parent, as WC_Product_Variation reads them there
    # (categories, tags, shipping flags, catalogue visibility); the variation's own fields win.
    out = dict(parent)
    own = {k: v for k, v in var.items() if k not in ("attributes", "image", "name", "gallery_image_ids")}
    out.update(own)
    options = [a.get("option", "") for a in var.get("attributes") or []]
    out.update(
        {
            "name": f"{parent['name']} - {', '.join(options)}" if options else parent["name"],
            "slug": "-".join([parent["slug"], *(str(o).lower().replace(" ", "-") for o in options)]),
            "type": "variation",
            "parent_id": parent["id"],
            "featured": False,
            "short_description": "",
            "images": [var["image"]] if var.get("image") else [],
            "attributes": [
                {"id": a.get("id", 0), "name": a.get("name", ""), "option": a.get("option", "")}
                for a in var.get("attributes") or []
            ],
            "default_attributes": [],
            "variations": [],
            "grouped_products": [],
            "upsell_ids": [],
            "cross_sell_ids": [],
            "related_ids": [],
            "has_options": False,
            "total_sales": 0,
            "price_html": "",
        }
    )
    shown = simple(out, view, "products")
    shown["_links"]["up"] = [{"href": view.rest(f"wc/v3/products/{parent['id']}")}]
    return shown


def update_product(req: RestRequest, q: ListQuery, product_id: str) -> Reply:
    if req.store.products.get(int(product_id)) is None and req.store.variations.get(int(product_id)) is not None:
        raise RestError(  # the write routes do refuse a variation (ProductRequestPreparationTrait)
            404,
            "woocommerce_rest_product_invalid_id",
            "To manipulate product variations you should use the "
            "/products/&lt;product_id&gt;/variations/&lt;id&gt; endpoint.",
        )
    try:
        rec = req.store.update_product(int(product_id), dict(req.body or {}))
    except StoreError as err:
        raise from_store_error(err) from err
    return Reply(200, simple(rec, req.view, "products"))


def list_variations(req: RestRequest, q: ListQuery, product_id: str) -> Reply:
    pid = int(product_id)
    if req.store.products.get(pid) is None:
        raise RestError(404, "woocommerce_rest_product_invalid_id", "Invalid ID.")
    book = req.store.variations
    positions = sorted_positions(book, q, statuses=None, owner=pid)
    page, total = page_slice(positions, q)
    mask = parse_fields(q.fields)
    data = [filter_fields(variation(book.record_at(p), req.view), mask) for p in page]
    return Reply(200, data, pagination(req, f"wc/v3/products/{pid}/variations", q, total, len(data)))


def get_variation(req: RestRequest, q: ListQuery, product_id: str, variation_id: str) -> Reply:
    rec = req.store.variations.get(int(variation_id))
    if rec is None or rec["parent_id"] != int(product_id):
        raise RestError(404, "woocommerce_rest_product_variation_invalid_id", "Invalid ID.")
    return Reply(200, filter_fields(variation(rec, req.view), parse_fields(q.fields)))


# --- coupons -------------------------------------------------------------------------------------------------


def list_coupons(req: RestRequest, q: ListQuery) -> Reply:
    book = req.store.coupons
    statuses = {code for name, code in CODE.items() if name not in ("trash", "deleted", "auto-draft")}
    code = req.get.get("code")
    record_filter = None
    if isinstance(code, str) and code:
        wanted = code.lower()

        def record_filter(r: dict) -> bool:
            return r["code"].lower() == wanted

    positions = sorted_positions(book, q, statuses=statuses, record_filter=record_filter, filter_key=("code", code))
    page, total = page_slice(positions, q)
    mask = parse_fields(q.fields)
    data = [filter_fields(simple(book.record_at(p), req.view, "coupons"), mask) for p in page]
    return Reply(200, data, pagination(req, "wc/v3/coupons", q, total, len(data)))


def get_coupon(req: RestRequest, q: ListQuery, coupon_id: str) -> Reply:
    rec = req.store.coupons.get(int(coupon_id))
    if rec is None:
        raise RestError(404, "woocommerce_rest_shop_coupon_invalid_id", "Invalid ID.")
    return Reply(200, filter_fields(simple(rec, req.view, "coupons"), parse_fields(q.fields)))


def create_coupon(req: RestRequest, q: ListQuery) -> Reply:
    try:
        rec = req.store.create_coupon(dict(req.body or {}))
    except StoreError as err:
        raise from_store_error(err) from err
    return Reply(201, simple(rec, req.view, "coupons"), {"Location": req.view.rest(f"wc/v3/coupons/{rec['id']}")})


def update_coupon(req: RestRequest, q: ListQuery, coupon_id: str) -> Reply:
    try:
        rec = req.store.update_coupon(int(coupon_id), dict(req.body or {}))
    except StoreError as err:
        raise from_store_error(err) from err
    return Reply(200, simple(rec, req.view, "coupons"))


# --- webhooks ------------------------------------------------------------------------------------------------


def list_webhooks(req: RestRequest, q: ListQuery) -> Reply:
    status = req.get.get("status", "all")
    hooks = list(req.store.webhooks.values())
    if isinstance(status, str) and status != "all":
        hooks = [h for h in hooks if h.status == status]
    if q.include:
        hooks = [h for h in hooks if h.id in q.include]
    if q.exclude:
        hooks = [h for h in hooks if h.id not in q.exclude]
    if q.search:
        term = fold(q.search)
        hooks = [h for h in hooks if term in fold(h.name)]
    if q.created_after is not None:
        hooks = [h for h in hooks if h.date_created > q.created_after]
    if q.created_before is not None:
        hooks = [h for h in hooks if h.date_created < q.created_before]
    if q.orderby == "id":
        hooks.sort(key=lambda h: h.id, reverse=q.order == "desc")
    elif q.orderby == "title":
        hooks.sort(key=lambda h: (fold(h.name), h.id), reverse=q.order == "desc")
    else:
        # same-second rows come back in id order whatever the direction, as captured
        sign = -1 if q.order == "desc" else 1
        hooks.sort(key=lambda h: (sign * h.date_created, h.id))
    page, total = page_slice(hooks, q)
    mask = parse_fields(q.fields)
    data = [filter_fields(webhook_view(h.as_rest(), req.view), mask) for h in page]
    return Reply(200, data, pagination(req, "wc/v3/webhooks", q, total, len(data)))


# WC_REST_Webhooks_V1_Controller words for an unknown id, which differ by method (measured on WooCommerce 11.0.1).
WEBHOOK_INVALID_ID = "woocommerce_rest_shop_webhook_invalid_id"
# The create route's `required` arguments, in the schema's order: the router answers rest_missing_callback_param for
# them before permissions, which is what Storelens's permission probe (an empty POST) meets.
WEBHOOK_REQUIRED = ("topic", "delivery_url")


def _webhook(req: RestRequest, webhook_id: str, status: int = 404, message: str = "ID is invalid."):
    hook = req.store.webhooks.get(int(webhook_id))
    if hook is None:
        raise RestError(status, WEBHOOK_INVALID_ID, message)
    return hook


def get_webhook(req: RestRequest, q: ListQuery, webhook_id: str) -> Reply:
    hook = _webhook(req, webhook_id)
    return Reply(200, filter_fields(webhook_view(hook.as_rest(), req.view), parse_fields(q.fields)))


def create_webhook(req: RestRequest, q: ListQuery) -> Reply:
    payload = dict(req.body or {})
    for key in ("name", "topic", "delivery_url", "secret", "status"):
        if key not in payload and isinstance(req.post.get(key), str):
            payload[key] = req.post[key]
    try:
        hook = req.store.create_webhook(payload, user_id=req.user.id if req.user else 1)
    except StoreError as err:
        raise from_store_error(err) from err
    return Reply(201, webhook_view(hook.as_rest(), req.view), {"Location": req.view.rest(f"wc/v3/webhooks/{hook.id}")})


def update_webhook(req: RestRequest, q: ListQuery, webhook_id: str) -> Reply:
    _webhook(req, webhook_id, status=400)
    try:
        hook = req.store.update_webhook(int(webhook_id), dict(req.body or {}))
    except StoreError as err:
        raise from_store_error(err) from err
    return Reply(200, webhook_view(hook.as_rest(), req.view))


def delete_webhook(req: RestRequest, q: ListQuery, webhook_id: str) -> Reply:
    if bool_value(req.param("force")) is not True:  # asked before the webhook is looked up
        raise RestError(501, "woocommerce_rest_trash_not_supported", "Webhooks do not support trashing.")
    _webhook(req, webhook_id, message="Invalid ID.")
    hook = req.store.delete_webhook(int(webhook_id))
    return Reply(200, webhook_view(hook.as_rest(), req.view))
