"""`storelens report`: one store's (or every store's) figures for a date range, as JSON."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from storelens.analytics.reports.currency import reporting_currency
from storelens.analytics.reports.date_range import DayError, bound, parse_day
from storelens.analytics.reports.fx import UnknownRate
from storelens.analytics.reports.summary import ReportError, build
from storelens.stores.reporting import DateBasis


def _day(text: str) -> date:
    try:
        return parse_day(text)
    except DayError as exc:
        raise CommandError(str(exc)) from None


class Command(BaseCommand):
    help = "Prints a store's figures for a date range (orders, net sales, refunds, AOV, customers…) as JSON."

    def add_arguments(self, parser: CommandParser) -> None:
        which = parser.add_mutually_exclusive_group(required=True)
        which.add_argument("--source", type=int, help="Id of the store (see storelens sources list).")
        which.add_argument("--all", action="store_true", help="Every store, added up.")
        parser.add_argument("--from", dest="first", required=True, help="First day, YYYY-MM-DD (store time zone).")
        parser.add_argument("--to", dest="last", required=True, help="Last day, YYYY-MM-DD, included.")
        parser.add_argument(
            "--currency",
            help="Convert everything into this currency at each day's ECB rate (with --all, default: the workspace's "
            "reporting currency from Settings).",
        )
        parser.add_argument("--date-basis", choices=[b.value for b in DateBasis], help="Overrides the store's.")
        parser.add_argument("--exclude-statuses", help="Comma-separated statuses, e.g. pending,failed,cancelled.")
        parser.add_argument("--json", action="store_true", help="Print JSON (the only format; accepted for clarity).")

    def handle(self, *args: Any, **options: Any) -> None:
        from storelens.stores.models import Store

        if options["all"]:
            stores = list(Store.objects.order_by("pk"))
        else:
            stores = list(Store.objects.filter(pk=options["source"]))
            if not stores:
                raise CommandError(f"No store with id {options['source']}: see `storelens sources list`.")
        currency = options["currency"]
        if options["all"] and not currency:
            # Every store: in their workspace's reporting currency (Settings) when they all belong to one workspace.
            workspaces = {s.workspace_id for s in stores}
            if len(workspaces) == 1:
                currency = reporting_currency(stores[0].workspace)
        excluded = None
        if options["exclude_statuses"] is not None:
            excluded = [s.strip() for s in options["exclude_statuses"].split(",") if s.strip()]
        first, last = _day(options["first"]), _day(options["last"])
        if first > last:
            raise CommandError(f"--from {first} is after --to {last}: the range is inclusive, from the earlier day.")
        # A range of centuries is cut to the stores' data (the same totals), as pages and the API cut it.
        bounded = bound(first, last, stores, timezone.now().date())
        if bounded.note:
            self.stderr.write(f"Note: {bounded.note}")
        try:
            report = build(
                stores,
                bounded.first,
                bounded.last,
                currency=currency,
                date_basis=options["date_basis"],
                excluded_statuses=excluded,
            )
        except (ReportError, UnknownRate) as exc:
            raise CommandError(str(exc)) from None
        for code, orders in sorted(report.unconverted.items()):
            self.stderr.write(
                f"Note: amounts in {code} ({orders} orders) were added to {report.currency} unconverted, as "
                f"WooCommerce Analytics does; pass --currency {report.currency} to convert them at ECB rates."
            )
        self.stdout.write(json.dumps(report.as_json(), indent=2))
