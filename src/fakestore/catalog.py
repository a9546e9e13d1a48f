"""The products a generated store sells: simple and variable products, variations and categories.

Modelled on the real lab store behind the captures (same kinds of names, non-ASCII included, sale prices,
a draft and an out-of-stock product) so that generated line items look like the real ones. Records are REST
JSON without `_links`; dates are UTC seconds (see serializers).
"""

from __future__ import annotations

import html
import re
import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal

from .money import fmt

CATEGORIES: list[tuple[str, str]] = [
    ("Accessories", "accessories"),
    ("Apparel", "apparel"),
    ("Books", "books"),
    ("Digital", "digital"),
    ("Hoodies", "hoodies"),
    ("Home & Kitchen", "home-kitchen"),
    ("T-Shirts", "t-shirts"),
    ("Électronique", "electronique"),
    ("東京 Specials", "tokyo-specials"),
]

# name, sku, regular price, sale price or None, categories, status, stock_status, virtual
SIMPLE: list[tuple[str, str, str, str | None, tuple[str, ...], str, str, bool]] = [
    ("Canvas Tote Bag", "ACC-TOTE", "24.00", None, ("Accessories",), "publish", "instock", False),
    ("Leather Wallet", "ACC-WALLET", "59.00", "49.00", ("Accessories",), "publish", "instock", False),
    ('Sunglasses "Aviator"', "ACC-AVIATOR", "89.95", None, ("Accessories",), "publish", "instock", False),
    ("Wool Beanie", "ACC-BEANIE", "19.50", "15.00", ("Accessories",), "publish", "instock", False),
    ("Enamel Mug", "HK-MUG", "14.00", None, ("Home & Kitchen",), "publish", "instock", False),
    ("Pour-Over Coffee Set", "HK-POUROVER", "72.00", None, ("Home & Kitchen",), "publish", "instock", False),
    ('Chef Knife 8"', "HK-KNIFE", "129.00", None, ("Home & Kitchen",), "publish", "instock", False),
    ("Bamboo Cutting Board", "HK-BOARD", "34.99", None, ("Home & Kitchen",), "publish", "instock", False),
    ("Linen Apron", "HK-APRON", "42.00", "36.00", ("Home & Kitchen",), "publish", "instock", False),
    ("The Pragmatic Shopkeeper (Hardcover)", "BK-SHOP", "39.90", None, ("Books",), "publish", "instock", False),
    ("Café Stories — Paperback", "BK-CAFE", "16.99", "12.99", ("Books",), "publish", "instock", False),
    ("東京 Travel Guide", "BK-TOKYO", "27.50", None, ("東京 Specials",), "publish", "instock", False),
    ("Matcha Whisk Set 茶筅", "HK-MATCHA", "38.00", None, ("東京 Specials",), "publish", "instock", False),
    ("Écouteurs sans fil", "EL-EARBUDS", "149.00", "119.00", ("Électronique",), "publish", "instock", False),
    ("USB-C Charger 65W", "EL-CHARGER", "45.00", None, ("Électronique",), "publish", "instock", False),
    ("Smart Plug (2-pack)", "EL-PLUG", "29.99", None, ("Électronique",), "publish", "instock", False),
    ("Gift Card $50", "DG-GIFT50", "50.00", None, ("Digital",), "publish", "instock", True),
    ("E-book: WooCommerce Analytics 101", "DG-EBOOK", "9.99", None, ("Digital",), "publish", "instock", True),
    ("Premium Support (1 hour)", "DG-SUPPORT", "120.00", None, ("Digital",), "publish", "instock", True),
    ("Free Sticker Pack", "ACC-STICKERS", "0.00", None, ("Accessories",), "publish", "instock", False),
    ("Limited Poster (out of stock)", "HK-POSTER", "25.00", None, ("Home & Kitchen",), "publish", "outofstock", False),
    ("Discontinued Scarf (draft)", "ACC-SCARF", "35.00", None, ("Accessories",), "draft", "instock", False),
]

# name, sku, categories, attributes (name -> options), regular prices per first option, sale price or None
VARIABLE: list[tuple[str, str, tuple[str, ...], dict[str, list[str]], dict[str, str], str | None]] = [
    (
        "Classic T-Shirt",
        "TS-CLASSIC",
        ("T-Shirts",),
        {"Size": ["S", "M", "L", "XL"], "Color": ["Red", "Blue", "Black"]},
        {"S": "22.00", "M": "22.00", "L": "24.00", "XL": "24.00"},
        "18.00",
    ),
    (
        "Organic V-Neck Tee",
        "TS-VNECK",
        ("T-Shirts",),
        {"Size": ["S", "M", "L"]},
        {"S": "28.00", "M": "28.00", "L": "30.00"},
        None,
    ),
    (
        "Zip Hoodie",
        "HD-ZIP",
        ("Hoodies",),
        {"Size": ["M", "L", "XL"], "Color": ["Black", "Grün"]},
        {"M": "52.00", "L": "55.00", "XL": "58.00"},
        None,
    ),
    (
        "Pullover Hoodie",
        "HD-PULL",
        ("Hoodies",),
        {"Size": ["S", "M", "L", "XL"]},
        {"S": "59.00", "M": "59.00", "L": "62.00", "XL": "62.00"},
        None,
    ),
    ("Ceramic Mug (color)", "HK-CMUG", ("Home & Kitchen",), {"Color": ["Red", "Blue", "Black", "Grün"]}, {}, None),
    ("Baseball Cap", "ACC-CAP", ("Accessories",), {"Color": ["Blue", "Black", "Red"]}, {}, None),
    (
        "Running Socks 3-pack",
        "ACC-SOCKS",
        ("Accessories", "Apparel"),
        {"Size": ["S", "M", "L"]},
        {"S": "12.00", "M": "12.00", "L": "12.00"},
        None,
    ),
    (
        "Hoodie 東京 Edition",
        "HD-TOKYO",
        ("Hoodies", "東京 Specials"),
        {"Size": ["S", "M", "L"]},
        {"S": "79.00", "M": "79.00", "L": "84.00"},
        None,
    ),
]
_DEFAULT_VARIABLE_PRICE = {"Ceramic Mug (color)": "16.00", "Baseball Cap": "17.50"}

ATTRIBUTE_IDS = {"Size": 1, "Color": 2}


def slugify(text: str) -> str:
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "item"


def attr_slug(option: str) -> str:
    return slugify(option) if option.isascii() else option.lower()


@dataclass
class Sellable:
    """What an order line needs to know about a simple product or a variation."""

    product_id: int
    variation_id: int
    name: str  # line item name: "Classic T-Shirt - M, Blue"
    parent_name: str | None
    sku: str
    price: Decimal
    virtual: bool
    attributes: list[tuple[str, str]] = field(default_factory=list)  # (attribute name, option)


@dataclass
class Catalog:
    products: dict[int, dict]
    variations: dict[int, dict]  # variation id -> record (with parent_id)
    categories: list[dict]
    sellables: list[Sellable]
    next_id: int


def _price_html(price: str, regular: str, on_sale: bool) -> str:
    def amount(v: str) -> str:
        return (
            '<span class="woocommerce-Price-amount amount"><bdi><span class="woocommerce-Price-currencySymbol">'
            f"&#36;</span>{v}</bdi></span>"
        )

    if on_sale:
        return f'<del aria-hidden="true">{amount(regular)}</del> <ins aria-hidden="true">{amount(price)}</ins>'
    return amount(price)


def _product_record(
    pid: int,
    name: str,
    sku: str,
    ptype: str,
    status: str,
    price: str,
    regular: str,
    sale: str,
    categories: list[dict],
    created: int,
    home_url: str,
    *,
    virtual: bool = False,
    stock_status: str = "instock",
    attributes: list[dict] | None = None,
    variations: list[int] | None = None,
    price_html: str = "",
    on_sale: bool = False,
) -> dict:
    slug = slugify(name)
    return {
        "id": pid,
        "name": name,
        "slug": slug,
        "permalink": f"{home_url}/product/{slug}/",
        "date_created": created,
        "date_created_gmt": created,
        "date_modified": created,
        "date_modified_gmt": created,
        "type": ptype,
        "status": status,
        "featured": False,
        "catalog_visibility": "visible",
        "description": f"<p>{html.escape(name, quote=False)}</p>\n",
        "short_description": "",
        "sku": sku,
        "price": price,
        "regular_price": regular,
        "sale_price": sale,
        "date_on_sale_from": None,
        "date_on_sale_from_gmt": None,
        "date_on_sale_to": None,
        "date_on_sale_to_gmt": None,
        "on_sale": on_sale,
        "purchasable": True,
        "total_sales": 0,
        "virtual": virtual,
        "downloadable": False,
        "downloads": [],
        "download_limit": -1,
        "download_expiry": -1,
        "external_url": "",
        "button_text": "",
        "tax_status": "taxable",
        "tax_class": "",
        "manage_stock": False,
        "stock_quantity": None,
        "backorders": "no",
        "backorders_allowed": False,
        "backordered": False,
        "low_stock_amount": None,
        "sold_individually": False,
        "weight": "",
        "dimensions": {"length": "", "width": "", "height": ""},
        "shipping_required": not virtual,
        "shipping_taxable": not virtual,
        "shipping_class": "",
        "shipping_class_id": 0,
        "reviews_allowed": True,
        "average_rating": "0.00",
        "rating_count": 0,
        "upsell_ids": [],
        "cross_sell_ids": [],
        "parent_id": 0,
        "purchase_note": "",
        "categories": categories,
        "brands": [],
        "tags": [],
        "images": [],
        "attributes": attributes or [],
        "default_attributes": [],
        "variations": variations or [],
        "grouped_products": [],
        "menu_order": 0,
        "price_html": price_html,
        "related_ids": [],
        "meta_data": [],
        "stock_status": stock_status,
        "has_options": ptype == "variable",
        "post_password": "",
        "global_unique_id": "",
    }


def _variation_record(
    vid: int,
    parent: dict,
    options: list[tuple[str, str]],
    price: str,
    regular: str,
    sale: str,
    created: int,
) -> dict:
    query = "&".join(f"attribute_pa_{slugify(a)}={attr_slug(o)}" for a, o in options)
    return {
        "id": vid,
        "type": "variation",
        "date_created": created,
        "date_created_gmt": created,
        "date_modified": created,
        "date_modified_gmt": created,
        "description": "",
        "permalink": f"{parent['permalink']}?{query}",
        "sku": parent["sku"] + "-" + "-".join(attr_slug(o).upper() for _, o in options),
        "global_unique_id": "",
        "price": price,
        "regular_price": regular,
        "sale_price": sale,
        "date_on_sale_from": None,
        "date_on_sale_from_gmt": None,
        "date_on_sale_to": None,
        "date_on_sale_to_gmt": None,
        "on_sale": bool(sale),
        "status": "publish",
        "purchasable": True,
        "virtual": False,
        "downloadable": False,
        "downloads": [],
        "download_limit": -1,
        "download_expiry": -1,
        "tax_status": "taxable",
        "tax_class": "",
        "manage_stock": False,
        "stock_quantity": None,
        "stock_status": "instock",
        "backorders": "no",
        "backorders_allowed": False,
        "backordered": False,
        "low_stock_amount": None,
        "weight": "",
        "dimensions": {"length": "", "width": "", "height": ""},
        "shipping_class": "",
        "shipping_class_id": 0,
        "image": None,
        "gallery_image_ids": [],  # WooCommerce 11 (not in 9.9): a variation's own gallery
        "attributes": [
            {"id": ATTRIBUTE_IDS.get(a, 0), "name": a, "slug": f"pa_{slugify(a)}", "option": o} for a, o in options
        ],
        "menu_order": 0,
        "meta_data": [],
        "name": ", ".join(o for _, o in options),
        "parent_id": parent["id"],
    }


def build_catalog(first_id: int, created: int, home_url: str) -> Catalog:
    """Ids are handed out in order from `first_id`, like WordPress posts: products, then their variations."""
    next_id = first_id
    categories = [
        {"id": 15 + i, "name": html.escape(name, quote=False), "slug": slug}
        for i, (name, slug) in enumerate(CATEGORIES)
    ]
    by_name = {name: c for (name, _), c in zip(CATEGORIES, categories, strict=True)}
    products: dict[int, dict] = {}
    variations: dict[int, dict] = {}
    sellables: list[Sellable] = []
    for name, sku, regular, sale, cats, status, stock, virtual in SIMPLE:
        pid = next_id
        next_id += 1
        price = sale or regular
        rec = _product_record(
            pid,
            name,
            sku,
            "simple",
            status,
            price,
            regular,
            sale or "",
            [dict(by_name[c]) for c in cats],
            created,
            home_url,
            virtual=virtual,
            stock_status=stock,
            price_html=_price_html(price, regular, bool(sale)),
            on_sale=bool(sale),
        )
        products[pid] = rec
        if status == "publish" and stock == "instock":
            sellables.append(Sellable(pid, 0, name, None, sku, Decimal(price), virtual))
    for name, sku, cats, attrs, prices, sale in VARIABLE:
        pid = next_id
        next_id += 1
        attr_names = list(attrs)
        combos: list[list[tuple[str, str]]] = [[]]
        for a in attr_names:
            combos = [[*c, (a, o)] for c in combos for o in attrs[a]]
        var_ids = list(range(next_id, next_id + len(combos)))
        next_id += len(combos)
        attributes = [
            {
                "id": ATTRIBUTE_IDS.get(a, 0),
                "name": a,
                "slug": f"pa_{slugify(a)}",
                "position": i,
                "visible": True,
                "variation": True,
                "options": sorted(attrs[a]),
            }
            for i, a in enumerate(attr_names)
        ]
        parent = _product_record(
            pid,
            name,
            sku,
            "variable",
            "publish",
            "",
            "",
            "",
            [dict(by_name[c]) for c in cats],
            created,
            home_url,
            attributes=attributes,
            variations=var_ids,
            on_sale=bool(sale),
        )
        low = None
        high = None
        for vid, combo in zip(var_ids, combos, strict=True):
            regular = prices.get(combo[0][1], _DEFAULT_VARIABLE_PRICE.get(name, "20.00"))
            # Only the first option value's variations are on sale, so some lines of the same product differ.
            on_sale = bool(sale) and combo[-1][1] == attrs[attr_names[-1]][0]
            price = sale if on_sale and sale else regular
            var = _variation_record(vid, parent, combo, price, regular, sale if on_sale and sale else "", created)
            variations[vid] = var
            low = price if low is None or Decimal(price) < Decimal(low) else low
            high = price if high is None or Decimal(price) > Decimal(high) else high
            label = ", ".join(o for _, o in combo)
            sellables.append(Sellable(pid, vid, f"{name} - {label}", name, var["sku"], Decimal(price), False, combo))
        parent["price"] = fmt(low or "0")
        parent["price_html"] = _price_html(fmt(low or "0"), fmt(high or "0"), False)
        products[pid] = parent
    return Catalog(products, variations, categories, sellables, next_id)
