"""A deterministic WooCommerce store: same seed and settings, same data, byte for byte.

Generation keeps only index columns per order (status, dates, customer, refunds, coupon); the full order JSON
is built on demand from (seed, order id) by `OrderFactory.build`, so 100k orders take seconds and megabytes.
Everything is shaped on the real lab store (captures and dataset): line items with per-line taxes, shipping,
fees (some negative), coupons, several gateways, partial and full refunds with WooCommerce's signs.

Layout: `vocabulary` (what the data are drawn from), `order_factory` (full records on demand, with
`customer_records`, `subscription_records` and `refund_lines`); this module draws the index of a whole store.
"""

from __future__ import annotations

import random
import secrets
import string
from bisect import bisect_right
from dataclasses import dataclass
from datetime import UTC, date, datetime

from .books import STATUSES, Book
from .catalog import Catalog, build_catalog
from .order_factory import OrderFactory, RefundSpec
from .vocabulary import (
    COUPONS,
    DAY,
    EVERY_STATUS,
    OLD_STATUSES,
    PAID_STATUSES,
    PAYMENT_METHODS,
    PM_WEIGHTS,
    RECENT_STATUSES,
    SUBSCRIPTION_STATUSES,
    USABLE_COUPONS,
)

TAX_PROFILES = ("us", "eu")


def history_end_ts(history_end: str | None) -> int:
    """Midnight UTC that closes the generated history: the given date, else today (so data stay in the past)."""
    day = date.fromisoformat(history_end) if history_end else datetime.now(UTC).date()
    return int(datetime(day.year, day.month, day.day, tzinfo=UTC).timestamp())


@dataclass
class Generated:
    catalog: Catalog
    coupons: Book
    customers: Book
    customer_names: list[str]  # display names aligned with customer positions (orderby=name)
    orders: Book
    refunds: Book
    subscriptions: Book | None
    refunds_of: dict[int, list[int]]
    next_id: int
    history_start: int
    history_end: int
    factory: OrderFactory


def _spread(seed: int, salt: int, after: int, before: int) -> int:
    """A time in (after, before) for an event whose drawn delay would pass the end of history.

    Clamping such events to the end put every recent payment, completion and refund on the history's last minute,
    so a demo opened with "Today −$545.27"; a real store's recent events fall at any time since the order. A side
    generator keyed by `salt` keeps the main sequence, and so every other order, exactly as it was.
    """
    room = before - 1 - after
    if room <= 0:
        return after
    return after + random.Random(seed * 1_000_003 + salt).randint(1, room)


def _pick_status(rng: random.Random, age_days: float) -> str:
    table = RECENT_STATUSES if age_days < 30 else OLD_STATUSES
    return rng.choices([s for s, _ in table], weights=[w for _, w in table])[0]


def generate(
    *,
    seed: int,
    orders: int,
    months: int,
    currency: str = "USD",
    subscriptions: bool = False,
    history_end: int,
    shared_email_guests: float = 0.0,
    mixed_case_emails: float = 0.0,
    tax_profile: str = "us",
) -> Generated:
    """The whole store's index; nothing here depends on the clock except through `history_end`."""
    if tax_profile not in TAX_PROFILES:
        raise ValueError(f"unknown tax profile {tax_profile!r}; known: {', '.join(TAX_PROFILES)}")
    rng = random.Random(seed)
    end = history_end
    start = end - int(months * 30.44 * DAY)
    catalog = build_catalog(first_id=10, created=start - 14 * DAY, home_url="")
    next_id = catalog.next_id
    factory = OrderFactory(seed=seed, currency=currency, catalog=catalog, tax_profile=tax_profile)
    for pid, product in catalog.products.items():  # the products the `eu` profile sells at the reduced rate
        if factory.tax_class_of(pid):
            product["tax_class"] = factory.tax_class_of(pid)

    coupon_book = Book(builder=lambda cid, pos: factory.build_coupon(cid, pos, coupon_book), cache_size=16)
    for _ in COUPONS:
        coupon_book.append(next_id, "publish", start - 14 * DAY, start - 14 * DAY)
        next_id += 1
    factory.coupon_book = coupon_book

    # customers: WordPress users 2..n+1 (1 is the administrator); registrations spread before and over history
    n_customers = max(5, min(orders // 10, 50_000))
    reg = sorted(
        (start - rng.randint(0, 180 * DAY)) if rng.random() < 0.25 else rng.randint(start, end - 1)
        for _ in range(n_customers)
    )
    customers = Book(builder=lambda cid, pos: factory.build_customer(cid, pos, customers), cache_size=4096)
    customers.append(1, "administrator", start - 30 * DAY, start - 30 * DAY)
    names = ["admin"]
    from .people import customer_identity

    for i, t in enumerate(reg):
        cid = i + 2
        customers.append(cid, "customer", t, min(end - 1, t + rng.randint(0, 30 * DAY)))
        first, last, _ = customer_identity(seed, cid, i)
        names.append(f"{first} {last}")
    factory.customer_paying = bytearray(n_customers + 2)

    # orders, with their refunds right after them in the shared id sequence
    order_book = Book(builder=factory.build_order, cache_size=1024)
    refund_book = Book(builder=lambda rid, pos: factory.build_refund(rid, pos, refund_book), cache_size=1024)
    factory.orders = order_book
    created_times = sorted(rng.randint(start, end - 120) for _ in range(orders))
    refunds_of: dict[int, list[int]] = {}
    rand = rng.random
    randint = rng.randint
    # Every status appears at least once whenever the store is big enough to hold them all.
    forced: dict[int, str] = {}
    if orders >= 4 * len(EVERY_STATUS):
        recent = [i for i, t in enumerate(created_times) if end - t < 60 * DAY] or list(range(orders))
        if len(recent) < len(EVERY_STATUS):
            recent = list(range(orders // 2, orders))
        for i, status in zip(rng.sample(recent, len(EVERY_STATUS)), EVERY_STATUS, strict=True):
            forced[i] = status
    for i, t in enumerate(created_times):
        oid = next_id
        next_id += 1
        status = forced.get(i) or _pick_status(rng, (end - t) / DAY)
        customer = 0
        if rand() < 0.7:
            k = bisect_right(reg, t)
            if k:
                customer = rng.randrange(k) + 2
        pm = rng.choices(range(len(PAYMENT_METHODS)), weights=PM_WEIGHTS)[0]
        online = PAYMENT_METHODS[pm][3]
        flags = (pm << 1) | (1 if rand() < 0.004 else 0)
        paid = completed = 0
        last = t
        if status in PAID_STATUSES:
            paid = t + (randint(5, 300) if online else randint(3600, 3 * DAY))
            if paid >= end - 60:
                paid = _spread(seed, 3 * oid, t, end - 60)
            last = paid
            if customer:
                factory.customer_paying[customer] = 1
        if status in ("completed", "refunded"):
            completed = paid + randint(2 * 3600, 6 * DAY)
            if completed >= end - 30:
                completed = _spread(seed, 3 * oid + 1, paid, end - 30)
            last = completed
        specs: list[RefundSpec] = []
        if status == "refunded":
            kinds = ["amount", "remainder"] if rand() < 0.12 else ["full"]
        elif status == "completed" and rand() < 0.09:
            kinds = ["item" if rand() < 0.5 else "amount"]
            if rand() < 0.1:
                kinds.append("amount")
        else:
            kinds = []
        when = last
        for kind in kinds:
            drawn = when + randint(3600, 20 * DAY)
            if drawn < end - 10:
                when = drawn
            elif status == "refunded":  # the status says the refund happened: some time after the order
                when = _spread(seed, 3 * next_id + 2, when, end - 10)
            else:  # a partial refund due after the end of history has not happened yet (its id stays unused)
                next_id += 1
                continue
            specs.append(RefundSpec(next_id, when, kind))
            next_id += 1
        if specs:
            last = specs[-1].created
        if status == "cancelled":
            last = t + randint(3600, 3 * DAY)
        elif status == "failed":
            last = t + randint(0, 600)
        elif status in ("pending", "on-hold"):
            last = t + randint(0, 3600)
        elif status == "trash":
            last = t + randint(DAY, 10 * DAY)
        modified = t if status == "checkout-draft" else min(end - 1, last + randint(0, 3600))
        order_book.append(oid, status, t, modified, customer)
        coupon = USABLE_COUPONS[randint(0, len(USABLE_COUPONS) - 1)] if rand() < 0.2 else -1
        factory.paid.append(paid)
        factory.completed.append(completed)
        factory.coupon.append(coupon)
        factory.flags.append(flags)
        if specs:
            factory.refund_specs[oid] = specs
            refunds_of[oid] = [s.id for s in specs]
            for s in specs:
                refund_book.append(s.id, "completed", s.created, s.created, oid)

    _shape_emails(random.Random(seed * 7_777 + 3), order_book, factory, shared_email_guests, mixed_case_emails)

    subscription_book: Book | None = None
    if subscriptions:
        subscription_book = Book(
            builder=lambda sid, pos: factory.build_subscription(sid, pos, subscription_book), cache_size=512
        )
        srng = random.Random(seed * 31 + 7)
        for p in range(len(order_book)):
            if order_book.owner[p] == 0 or STATUSES[order_book.status[p]] not in ("completed", "processing"):
                continue
            if srng.random() >= 0.08:
                continue
            sid = next_id
            next_id += 1
            status = srng.choices([s for s, _ in SUBSCRIPTION_STATUSES], weights=[w for _, w in SUBSCRIPTION_STATUSES])[
                0
            ]
            created = order_book.created[p]
            modified = min(end - 1, max(order_book.modified[p], created + srng.randint(0, 60 * DAY)))
            subscription_book.append(sid, status, created, modified, order_book.owner[p])
            factory.subscription_parent[sid] = (order_book.ids[p], status, created)

    return Generated(
        catalog=catalog,
        coupons=coupon_book,
        customers=customers,
        customer_names=names,
        orders=order_book,
        refunds=refund_book,
        subscriptions=subscription_book,
        refunds_of=refunds_of,
        next_id=next_id,
        history_start=start,
        history_end=end,
        factory=factory,
    )


def _shape_emails(
    rng: random.Random, book: Book, factory: OrderFactory, shared_email_guests: float, mixed_case_emails: float
) -> None:
    """E-mails as real buyers type them, drawn from an RNG of their own so that every other column stays as it was:

    - accounts opened with a mixed-case e-mail (a share `mixed_case_emails` of the customers);
    - a guest order with a registered customer's e-mail right next to the first order of that customer a sync
      reads (a share `shared_email_guests` of the customers with orders, at least one): alternately just before
      their oldest order (read first by passes that go oldest first) and just after their newest (read first by the
      history import, newest window first), so the guest identity meets the registered one being created in the
      same page; every other pair in another case than the account's;
    - repeat guests typing their e-mail in another case (a share of the guest orders, at least one).
    """
    n_customers = len(factory.customer_paying) - 2
    for cid in range(2, n_customers + 2):
        if rng.random() < mixed_case_emails:
            factory.mixed_case_customers[cid] = rng.randrange(3)
    first_pos: dict[int, int] = {}
    last_pos: dict[int, int] = {}
    for p, owner in enumerate(book.owner):
        if owner:
            first_pos.setdefault(owner, p)
            last_pos[owner] = p
    ends = set(first_pos.values()) | set(last_pos.values())
    if shared_email_guests > 0 and first_pos:
        chosen = rng.sample(sorted(first_pos), max(1, round(shared_email_guests * len(first_pos))))
        for k, cid in enumerate(sorted(chosen, key=first_pos.__getitem__)):
            q = first_pos[cid] - 1 if k % 2 == 0 else last_pos[cid] + 1
            if not 0 <= q < len(book) or q in ends or q in factory.borrowed_email:
                continue
            account = factory.mixed_case_customers.get(cid, -1)
            variant = (account + 1) % 3 if (k // 2) % 2 == 0 else account
            book.owner[q] = 0
            factory.borrowed_email[q] = (cid, 0, variant)
    if mixed_case_emails > 0:
        guests = [p for p, owner in enumerate(book.owner) if not owner and p not in factory.borrowed_email]
        repeats = max(1, round(mixed_case_emails * 0.2 * len(guests))) if len(guests) > 1 else 0
        for i in sorted(rng.sample(range(1, len(guests)), min(repeats, len(guests) - 1))):
            earlier = [p for p in guests[max(0, i - 20) : i] if p not in factory.borrowed_email]
            if earlier:
                factory.borrowed_email[guests[i]] = (0, book.ids[rng.choice(earlier)], rng.randrange(3))
    # Orders that changed hands: whether a customer has paid is read again from the orders they keep.
    factory.customer_paying[:] = bytearray(len(factory.customer_paying))
    for p, owner in enumerate(book.owner):
        if owner and STATUSES[book.status[p]] in PAID_STATUSES:
            factory.customer_paying[owner] = 1


def new_order_key() -> str:
    return "wc_order_" + "".join(secrets.choice(string.ascii_letters + string.digits) for _ in range(13))
