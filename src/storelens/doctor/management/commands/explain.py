"""`storelens explain`: why a store's figures differ from WooCommerce Analytics' for a range, order by order."""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from storelens.analytics.reports.date_range import DayError, parse_day
from storelens.analytics.reports.summary import ReportError
from storelens.analytics.reports.wc_explain import Explanation
from storelens.doctor.wc_compare import CompareError, compare


def as_text(found: Explanation) -> str:
    lines = [
        f"{found.first} to {found.last}, {found.currency}, date basis {found.date_basis}, "
        f"not counted: {', '.join(found.excluded_statuses) or 'none'}",
        "",
        f"{'figure':<12}{'WooCommerce':>14}{'Storelens':>14}{'difference':>14}{'unexplained':>14}",
    ]
    for f in found.figures:
        values = (f.woocommerce, f.storelens, f.difference, f.unexplained)
        lines.append(f"{f.label:<12}" + "".join(f"{found.amount(f.name, v)!s:>14}" for v in values))
    lines.append("")
    if not found.rows:
        lines.append("No order makes the two differ.")
    for row in found.rows:
        parts = ", ".join(f"{k} {found.amount(k, v)}" for k, v in row.differences.items())
        lines += [f"- {row.text}", f"    WooCommerce − Storelens: {parts}"]
    if not found.fully_explained:
        lines += ["", "Part of a difference is not explained by any order (see 'unexplained'): run a sync and retry."]
    return "\n".join(lines)


class Command(BaseCommand):
    help = "Explains, order by order, why a store's figures differ from WooCommerce Analytics' for a date range."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--source", type=int, required=True, help="Id of the store (see storelens sources list).")
        parser.add_argument("--from", dest="first", required=True, help="First day, YYYY-MM-DD (store time zone).")
        parser.add_argument("--to", dest="last", required=True, help="Last day, YYYY-MM-DD, included.")
        parser.add_argument("--json", action="store_true", help="Print JSON instead of a table.")

    def handle(self, *args: Any, **options: Any) -> None:
        from storelens.stores.models import Store

        store = Store.objects.filter(pk=options["source"]).first()
        if store is None:
            raise CommandError(f"No store with id {options['source']}: see `storelens sources list`.")
        try:
            first, last = parse_day(options["first"]), parse_day(options["last"])
        except DayError as exc:
            raise CommandError(str(exc)) from None
        if first > last:
            raise CommandError(f"--from {first} is after --to {last}: the range is inclusive, from the earlier day.")
        try:
            found = compare(store, first, last)
        except (CompareError, ReportError) as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(json.dumps(found.as_json(), indent=2) if options["json"] else as_text(found))
