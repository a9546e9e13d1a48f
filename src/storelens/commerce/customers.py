"""Customers: the identity (registered by wc id, guest by e-mail) each order points at, registered customers
from `/customers`, guests merged into them, and those the store no longer has."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from django.utils import timezone

from storelens.woocommerce.dates import parse_gmt

from . import bulk
from .bulk import mark_deleted_except
from .models import Customer, Order, Subscription
from .payloads import as_int, as_str, dedupe, email_key, wc_key


@dataclass(frozen=True)
class Identity:
    pk: int
    key: str


def resolve_customers(store: Any, parsed: list[tuple[dict, dict]]) -> dict[int, Identity | None]:
    """The identity of each order (by wc id): registered by customer id, guests by lowercased billing e-mail,
    a guest e-mail belonging to a registered customer resolving to that customer.

    Resolved after this batch's writes and merges, never before: a guest e-mail can belong to a registered customer
    whose first order is in this same batch (before or after the guest order), and a guest identity from an earlier
    page is merged away once that customer exists. Such a guest order points at the registered customer (the lowest
    id with that e-mail, as `merge_guests_into_registered` picks) and no guest identity is created for it only to be
    deleted; an order pointing at a merged-away row would break the page's foreign key at commit."""
    registered_ids = {f["wc_customer_id"] for f, _ in parsed if f["wc_customer_id"] > 0}
    guest_emails = {f["billing_email"] for f, _ in parsed if f["wc_customer_id"] <= 0 and f["billing_email"]}
    keys = {wc_key(i) for i in registered_ids} | {email_key(e) for e in guest_emails}
    known = dict(Customer.objects.filter(store=store, key__in=keys).values_list("key", "pk"))
    to_create: dict[str, dict[str, Any]] = {}
    for f, payload in parsed:  # registered identities first: their e-mails decide which guests need one
        key = wc_key(f["wc_customer_id"])
        if f["wc_customer_id"] > 0 and key not in known and _names_later(f, to_create.get(key)):
            to_create[key] = _identity_row(store, key, f["wc_customer_id"], f, payload)
    new_registered_emails = {c["email"] for c in to_create.values() if c["email"]}
    registered_by_email = _registered_by_email(store, guest_emails)
    known_guests: dict[str, dict[str, Any]] = {}  # guests that exist already: renamed below if an order is later
    for f, payload in parsed:
        email = f["billing_email"]
        if f["wc_customer_id"] > 0 or not email or email in registered_by_email or email in new_registered_emails:
            continue
        key = email_key(email)
        target = known_guests if key in known else to_create
        if _names_later(f, target.get(key)):
            target[key] = _identity_row(store, key, None, f, payload)
    if known_guests:
        _rename_guests(store, known_guests)
    if to_create:
        bulk.upsert_rows(Customer, list(to_create.values()), conflict=["store", "key"], update=[])
        known.update(Customer.objects.filter(store=store, key__in=list(to_create)).values_list("key", "pk"))
    if new_registered_emails:
        if merge_guests_into_registered(store, new_registered_emails):  # guest identities of earlier pages
            known = dict(Customer.objects.filter(store=store, key__in=[*keys, *to_create]).values_list("key", "pk"))
        if new_registered_emails & guest_emails:
            registered_by_email = _registered_by_email(store, guest_emails)
    result: dict[int, Identity | None] = {}
    for f, _ in parsed:
        if f["wc_customer_id"] > 0:
            key = wc_key(f["wc_customer_id"])
            result[f["wc_id"]] = Identity(known[key], key) if key in known else None
        elif f["billing_email"]:
            key = email_key(f["billing_email"])
            result[f["wc_id"]] = registered_by_email.get(f["billing_email"]) or (
                Identity(known[key], key) if key in known else None
            )
        else:
            result[f["wc_id"]] = None
    return result


def _registered_by_email(store: Any, emails: set[str]) -> dict[str, Identity]:
    """The registered customer each of these e-mails belongs to: the lowest id, as the merge picks."""
    found: dict[str, Identity] = {}
    if emails:
        for email, pk, key in (
            Customer.objects.filter(store=store, is_registered=True, email__in=emails)
            .order_by("pk")
            .values_list("email", "pk", "key")
        ):
            found.setdefault(email, Identity(pk, key))
    return found


def _order_rank(f: dict) -> tuple[datetime, int]:
    return (f["created_at"] or _NEVER, f["wc_id"])


def _names_later(f: dict, row: dict[str, Any] | None) -> bool:
    """Whether order `f` is later than the one that named `row` (or there is no row yet)."""
    return row is None or _order_rank(f) > (row["named_at"] or _NEVER, row["named_by_wc_id"] or 0)


def _rename_guests(store: Any, candidates: dict[str, dict[str, Any]]) -> None:
    """Existing guest identities take the billing details of this page's latest order of theirs, when that order is
    later than the one that named them: an import's page order must not decide a guest's name and country."""
    current = {
        key: (named_at or _NEVER, by or 0)
        for key, named_at, by in Customer.objects.filter(
            store=store, is_registered=False, key__in=list(candidates)
        ).values_list("key", "named_at", "named_by_wc_id")
    }
    for key, row in candidates.items():
        if key in current and (row["named_at"] or _NEVER, row["named_by_wc_id"]) > current[key]:
            Customer.objects.filter(store=store, key=key).update(
                **{name: row[name] for name in ("email", "first_name", "last_name", "country", "named_at")},
                named_by_wc_id=row["named_by_wc_id"],
            )


_NEVER = datetime.min.replace(tzinfo=UTC)


def _identity_row(store: Any, key: str, wc_id: int | None, f: dict, payload: dict) -> dict[str, Any]:
    """A new identity named by an order: its e-mail, name and country are the order's billing ones."""
    billing = payload.get("billing") or {}
    return {
        "store_id": store.pk,
        "key": key,
        "wc_id": wc_id,
        "is_registered": wc_id is not None,
        "email": f["billing_email"],
        "first_name": as_str(billing.get("first_name"), 200),
        "last_name": as_str(billing.get("last_name"), 200),
        "country": f["billing_country"],
        "role": "",
        "orders_count": 0,
        "named_at": f["created_at"],
        "named_by_wc_id": f["wc_id"],
    }


def merge_guests_into_registered(store: Any, emails: Iterable[str]) -> int:
    """One identity across guest and registered: guest identities whose e-mail now belongs to a registered customer
    hand their orders over and disappear."""
    emails = {e for e in emails if e}
    if (
        not emails
        or not Customer.objects.filter(
            store=store, is_registered=False, key__in=[email_key(e) for e in emails]
        ).exists()
    ):
        return 0
    registered: dict[str, Customer] = {}
    for c in Customer.objects.filter(store=store, is_registered=True, email__in=emails).order_by("pk"):
        registered.setdefault(c.email, c)
    guests = list(Customer.objects.filter(store=store, is_registered=False, key__in=[email_key(e) for e in registered]))
    for guest in guests:
        target = registered[guest.email]
        Order.objects.filter(customer=guest).update(customer=target)
        Subscription.objects.filter(customer=guest).update(customer=target)
        Customer.objects.filter(pk=guest.pk).delete()
    return len(guests)


def upsert_customers(store: Any, payloads: Iterable[dict], *, now: datetime | None = None) -> int:
    """Registered customers from `/customers?role=all`; their guest identities (same e-mail) merge into them."""
    now = now or timezone.now()
    rows = []
    for p in dedupe(payloads):
        billing = p.get("billing") or {}
        rows.append(
            {
                "store_id": store.pk,
                "key": wc_key(as_int(p["id"])),
                "wc_id": as_int(p["id"]),
                "email": as_str(p.get("email")).strip().lower()[:254],
                "first_name": as_str(p.get("first_name"), 200),
                "last_name": as_str(p.get("last_name"), 200),
                "country": as_str(billing.get("country"), 2).upper(),
                "created_at": parse_gmt(p.get("date_created_gmt")),
                "is_registered": True,
                "role": as_str(p.get("role"), 64),
                "raw": p,
                "deleted_at": None,
                "synced_at": now,
                "orders_count": 0,
                # The account names a registered customer: forget the order that may have created the row first,
                # so the copy does not depend on whether orders or the customers listing were read first.
                "named_at": None,
                "named_by_wc_id": None,
            }
        )
    if rows:
        bulk.upsert_rows(
            Customer,
            rows,
            conflict=["store", "key"],
            update=[k for k in rows[0] if k not in ("store_id", "key", "orders_count")],
        )
        merge_guests_into_registered(store, {r["email"] for r in rows})
    return len(rows)


def mark_customers_deleted(store: Any, keep_wc_ids: set[int], *, now: datetime | None = None) -> int:
    """After a full customer scan: registered customers the store no longer has (WordPress deletes users outright)."""
    return mark_deleted_except(
        Customer.objects.filter(store=store, is_registered=True), keep_wc_ids, now or timezone.now()
    )
