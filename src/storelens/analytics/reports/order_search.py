"""The orders list's free-text search: an order number, or part of the billing e-mail or of the customer's name or
e-mail, case-insensitive (Django's `icontains`: SQLite's LIKE folds ASCII letters only, PostgreSQL's UPPER folds all).

Why two ways: PostgreSQL answers each part from a trigram GIN index (commerce migration 0004), so the search is one
OR of index lookups. SQLite has no trigram index; there the parts were LIKE scans of every customer (~250k at a
million orders, 66 ms) and of every order of the range (40k rows for a month, 150 ms of row reads), once for the page
and once more for the count. On SQLite (commerce migration 0005) the customers are found through an FTS5 trigram
table kept in step by triggers, and the e-mails through an index holding (store, created, billing e-mail), so the
range's e-mails are read from the index alone; the matching orders become a short list of ids that the page and the
count read by primary key. The FTS5 and index steps only narrow the candidates: every candidate is checked again with
the very same `icontains` condition, so the result equals a plain LIKE, row for row.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from django.db import connection
from django.db.models import Q

from storelens.analytics.reports.whole_numbers import whole_number

CUSTOMER_MATCH_CAP = 1000
CANDIDATE_CAP = 5000  # FTS5 candidates read before a term counts as common
ORDER_MATCH_CAP = 1000
OTHER_ROWS_CAP = 20000  # orders by number or by matched customer, before the range is applied
FTS_TABLE = "commerce_customer_search"  # commerce migration 0005 (SQLite only)
TRIGRAM = 3  # FTS5's trigram tokenizer indexes runs of 3 characters: a shorter term cannot use it


def search_term(search: str) -> str:
    """What is searched: surrounding blanks dropped, and the '#' a store puts before its order numbers."""
    return search.strip().lstrip("#")


def _people_matching(term: str) -> Q:
    return Q(first_name__icontains=term) | Q(last_name__icontains=term) | Q(email__icontains=term)


def _fts_available() -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = %s", [FTS_TABLE])
        return cursor.fetchone() is not None


def _customers(stores: Sequence[Any], term: str) -> list[int] | None:
    """The ids of the customers whose name or e-mail holds `term`, or None when more than the cap do."""
    from storelens.commerce.models import Customer

    people = Customer.objects.filter(store__in=list(stores)).filter(_people_matching(term))
    if connection.vendor == "sqlite" and len(term) >= TRIGRAM and _fts_available():
        phrase = '"' + term.replace('"', '""') + '"'  # one FTS5 phrase: the term as a substring of one column
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s LIMIT %s", [phrase, CANDIDATE_CAP + 1]
            )
            candidates = [row[0] for row in cursor.fetchall()]
        if len(candidates) > CANDIDATE_CAP:
            return None  # a common term: reading every candidate would cost more than the plain condition
        people = people.filter(pk__in=candidates)
    ids = list(people.values_list("pk", flat=True)[: CUSTOMER_MATCH_CAP + 1])
    return ids if len(ids) <= CUSTOMER_MATCH_CAP else None


def _number(stores: Sequence[Any], term: str) -> Q:
    """The order number exactly, as the store shows it (or its WooCommerce id). Each branch names the stores so that
    it is an index lookup on its own (an OR is only as fast as its slowest branch)."""
    match = Q(store__in=list(stores), number=term)
    wc_id = whole_number(term)
    if wc_id is not None:
        match |= Q(store__in=list(stores), wc_id=wc_id)
    return match


def plain_filter(stores: Sequence[Any], term: str, customer_ids: list[int] | None = None) -> Q:
    """The search as one condition on the orders (no list of ids): the billing e-mail, the number, or the customer
    (by `customer_ids` when given). Without ids (a common term) each order's customer is checked through the join:
    the list walks its range by date and a common term fills a page after a few orders, where a subquery would first
    read every customer (PostgreSQL hashed all 250k of them: 380 → 22 ms for a page and its count at 1M orders)."""
    if customer_ids is not None:
        customers = Q(customer_id__in=customer_ids)
    else:
        customers = Q(customer__first_name__icontains=term) | Q(customer__last_name__icontains=term)
        customers |= Q(customer__email__icontains=term)
    return Q(billing_email__icontains=term) | _number(stores, term) | customers


def search_filter(
    stores: Sequence[Any], ranges: Sequence[tuple[Any, datetime, datetime]], search: str
) -> tuple[Q, bool]:
    """The condition `orders_list` adds for `search`, and whether it is a short list of order ids (then the list is
    best read by primary key, not by walking its range). `ranges` are the list's (store, start, end) in UTC: on SQLite
    the matches are collected inside them as a list of order ids (see the module docstring); where more than
    `ORDER_MATCH_CAP` orders (or `CUSTOMER_MATCH_CAP` customers) match, the term is common and the plain condition
    finds a page after a few rows."""
    from storelens.commerce.models import Order

    term = search_term(search)
    customer_ids = _customers(stores, term)
    plain = plain_filter(stores, term, customer_ids)
    if connection.vendor != "sqlite" or customer_ids is None:
        return plain, False
    customers, email = Q(customer_id__in=customer_ids), Q(billing_email__icontains=term)
    in_range = Q(pk__in=[])
    for store, start, end in ranges:
        in_range |= Q(store=store, created_at__gte=start, created_at__lt=end)
    # The e-mails are read from the (store, created, billing e-mail) index alone.
    found = set(Order.objects.filter(in_range & email).values_list("pk", flat=True)[: ORDER_MATCH_CAP + 1])
    # The numbers and the customers' orders through their own indexes, without the range: given one, SQLite walks
    # the whole range by date instead (190 ms for a month). Their few rows are kept to the range here.
    bounds = {store.pk: (start, end) for store, start, end in ranges}
    others = _number(stores, term) | customers if customer_ids else _number(stores, term)
    rows = list(Order.objects.filter(others).values_list("pk", "store_id", "created_at")[: OTHER_ROWS_CAP + 1])
    if len(rows) > OTHER_ROWS_CAP:
        return plain, False
    for pk, store_id, created in rows:
        start, end = bounds.get(store_id, (None, None))
        if created is not None and start is not None and start <= created < end:
            found.add(pk)
    if len(found) > ORDER_MATCH_CAP:
        return plain, False
    return Q(pk__in=sorted(found)), True
