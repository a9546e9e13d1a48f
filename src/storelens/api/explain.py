"""The /explain route: why a store's figures differ from WooCommerce Analytics' for a range, order by order (what
`storelens explain --json` prints and the store's "Compare with WooCommerce Analytics" page shows).

It asks the store for WooCommerce's reports while the client waits (seconds); a store that refuses or does not
answer is a 502 whose `detail` says what to do."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Query, Router, Schema
from ninja.errors import HttpError

from storelens.analytics.reports.summary import ReportError
from storelens.api.range_query import Day, ErrorOut, InvalidOut, stores_of
from storelens.doctor.wc_compare import CompareError, compare

explain_router = Router(tags=["metrics"])


class ExplainQuery(Schema):
    source: int
    date_from: Day
    date_to: Day


class FigureOut(Schema):
    figure: str
    label: str
    woocommerce: str  # a count, or money as a decimal string in `currency`; the same for the four below
    storelens: str
    difference: str  # WooCommerce − Storelens
    explained: str  # Σ of the orders' differences
    unexplained: str  # what no order accounts for: "0" / "0.00" when every cent is explained


class RowOut(Schema):
    kind: str  # "order" or "refund"
    id: int
    order_id: int
    reason: str  # status_lag, amounts_lag, not_imported, not_synced, trashed, deleted, dated, gross_counts_fees, …
    text: str
    woocommerce_status: str | None
    storelens_status: str | None
    differences: dict[str, str]


class ExplainOut(Schema):
    date_from: str
    date_to: str
    currency: str
    date_basis: str
    excluded_statuses: list[str]
    fully_explained: bool
    figures: list[FigureOut]
    orders: list[RowOut]


@explain_router.get(
    "",
    response={200: ExplainOut, 404: ErrorOut, 409: ErrorOut, 422: InvalidOut, 502: ErrorOut},
    summary="Why the store's figures differ from WooCommerce Analytics', order by order",
)
def explain_store(request: HttpRequest, q: Query[ExplainQuery]) -> Any:
    """WooCommerce Analytics' Revenue report beside Storelens's for the store's days `date_from`…`date_to` (its date
    basis and excluded statuses), and every order or refund that makes them differ, with the reason."""
    (store,) = stores_of(request, q.source)
    first, last = sorted((q.date_from, q.date_to))
    try:
        found = compare(store, first, last)
    except ReportError as exc:
        raise HttpError(409, str(exc)) from None
    except CompareError as exc:
        raise HttpError(502, str(exc)) from None
    data = found.as_json()
    return ExplainOut(
        date_from=data["from"],
        date_to=data["to"],
        currency=data["currency"],
        date_basis=data["date_basis"],
        excluded_statuses=data["excluded_statuses"],
        fully_explained=data["fully_explained"],
        figures=[FigureOut(**{k: str(v) for k, v in f.items()}) for f in data["figures"]],
        orders=[
            RowOut(**{**r, "differences": {k: str(v) for k, v in r["differences"].items()}}) for r in data["orders"]
        ],
    )
