"""The fixed values generated stores are drawn from: gateways, channels, coupons, fees, refund reasons, notes,
currencies and order statuses, weighted like the lab store."""

from __future__ import annotations

from .books import STATUSES

DAY = 86_400
WC_VERSION = "9.9.5"

PAYMENT_METHODS: list[tuple[str, str, int, bool]] = [  # id, title, weight, paid online at checkout
    ("stripe", "Credit Card (Stripe)", 44, True),
    ("ppcp-gateway", "PayPal", 25, True),
    ("cod", "Cash on delivery", 10, False),
    ("bacs", "Direct bank transfer", 10, False),
    ("cheque", "Check payments", 6, False),
    ("woocommerce_payments", "WooPayments", 4, True),
]
PM_WEIGHTS = [p[2] for p in PAYMENT_METHODS]
CREATED_VIA = [("checkout", 55), ("store-api", 33), ("admin", 8), ("rest-api", 4)]
VIA_WEIGHTS = [v[1] for v in CREATED_VIA]

COUPONS: list[tuple[str, str, str, bool]] = [  # code, discount_type, amount, free_shipping
    ("welcome10", "percent", "10.00", False),
    ("save5", "fixed_cart", "5.00", False),
    ("freeship", "fixed_cart", "0.00", True),
    ("tshirt3", "fixed_product", "3.00", False),
    ("blackfriday25", "percent", "25.00", False),
    ("été20", "percent", "20.00", False),
    ("vip15", "percent", "15.00", False),
    ("bigspender", "fixed_cart", "20.00", False),
]
USABLE_COUPONS = [0, 1, 4, 5, 6, 7]  # generated orders use these (percent and fixed_cart)

FEES: list[tuple[str, str, bool]] = [
    ("Payment surcharge", "4.99", True),
    ("Gift wrapping", "3.50", True),
    ("Express handling", "4.99", True),
    ("Loyalty discount", "-10.00", False),
]
FULL_REFUND_REASONS = ["Customer returned everything", "Order never arrived", "Duplicate order", ""]
PARTIAL_REFUND_REASONS = ["Price adjustment", "Goodwill credit", "Late delivery 🙁", "Order never arrived", ""]
CUSTOMER_NOTES = [
    "",
    "",
    "",
    "",
    "",
    "",
    "Please leave at the door 🚪",
    "Geschenk — bitte ohne Rechnung",
    "配達前に電話してください",
]
USER_AGENTS = [
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15 Safari/605.1.15",
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 Chrome/126.0 Safari/537.36",
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 Mobile/15E148",
]
CURRENCY_SYMBOLS = {
    "USD": "$",
    "EUR": "€",
    "GBP": "£",
    "JPY": "¥",
    "CAD": "$",
    "AUD": "$",
    "CHF": "CHF",
    "SEK": "kr",
    "NOK": "kr",
    "DKK": "kr",
    "PLN": "zł",
    "BRL": "R$",
    "INR": "₹",
    "CNY": "¥",
    "MXN": "$",
    "NZD": "$",
}
CURRENCY_ENTITIES = {"USD": "&#36;", "EUR": "&euro;", "GBP": "&pound;", "JPY": "&yen;", "CAD": "&#36;", "AUD": "&#36;"}

# Order statuses, weighted like the lab store; unfinished states only stay unfinished for recent orders.
OLD_STATUSES = [
    ("completed", 740),
    ("cancelled", 90),
    ("refunded", 68),
    ("failed", 50),
    ("pending", 12),
    ("on-hold", 12),
    ("processing", 4),
    ("checkout-draft", 1),
    ("trash", 6),
]
EVERY_STATUS = STATUSES[: STATUSES.index("trash") + 1]  # every status a generated order can have
RECENT_STATUSES = [  # the last 30 days
    ("completed", 380),
    ("processing", 120),
    ("on-hold", 110),
    ("pending", 100),
    ("cancelled", 60),
    ("refunded", 30),
    ("failed", 50),
    ("checkout-draft", 12),
    ("trash", 4),
]
PAID_STATUSES = {"processing", "completed", "refunded"}
SUBSCRIPTION_STATUSES = [
    ("active", 60),
    ("on-hold", 8),
    ("cancelled", 12),
    ("expired", 8),
    ("pending-cancel", 5),
    ("pending", 4),
    ("switched", 3),
]


def currency_symbol(code: str) -> str:
    return CURRENCY_SYMBOLS.get(code, code)


def other_currency(store_currency: str) -> str:
    return "USD" if store_currency == "EUR" else "EUR"
