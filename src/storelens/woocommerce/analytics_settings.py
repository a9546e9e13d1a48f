"""A store's two WooCommerce Analytics settings that cut every figure, each read on its own and told apart by origin.

WooCommerce 11's `GET /wc-admin/options` (`Automattic\\WooCommerce\\Admin\\API\\Options`) answers for a whole request
or refuses it whole: every option named must be on its frozen allow-list, or, off the list, the store's
`wp_get_environment_type()` must be `production` and the key's user must have `manage_options`. Otherwise it answers
`403 woocommerce_rest_cannot_view` ("Sorry, you cannot view these options."). `woocommerce_date_type` is on the list;
`woocommerce_excluded_report_order_statuses` is not, so asking for both together on a staging store loses both. An
option never saved comes back as `false` (`get_option`), and then WooCommerce's default applies: that is an answer,
not a guess.

When the options route refuses, the same value is in WooCommerce's settings API under the `wc_admin` group
(`GET /wc/v3/settings/wc_admin/<id>`, `Internal\\Admin\\Settings::add_settings`), which needs only
`manage_woocommerce` and ignores the environment type; its `value` is the saved option or WooCommerce's default.
Only when both refuse is the setting unknown; the caller then assumes WooCommerce's default and must say so.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from .client import StoreClient
from .errors import NeedsReauth, StoreError

DATE_TYPE = "woocommerce_date_type"
EXCLUDED_STATUSES = "woocommerce_excluded_report_order_statuses"
DATE_TYPES = ("date_created", "date_paid", "date_completed")
DEFAULT_DATE_TYPE = "date_paid"  # Reports\Orders\Stats\DataStore: sanitize_date_column_name(..., 'date_paid')
DEFAULT_EXCLUDED_STATUSES = ("pending", "failed", "cancelled")  # Reports\DataStore::get_excluded_report_order_statuses


class Origin(StrEnum):
    """Where a setting's value came from."""

    READ = "read"  # the store told us its saved value
    UNSET = "unset"  # the store told us it was never saved: WooCommerce's default applies (an answer)
    REFUSED = "refused"  # the store refused to tell us (403 woocommerce_rest_cannot_view): unknown
    UNREACHABLE = "unreachable"  # no usable answer (network, server error, not JSON): unknown


@dataclass(frozen=True)
class OptionReading:
    """One option as the store answered for it. `value` is set only when `origin` is READ."""

    option: str
    origin: Origin
    value: str | tuple[str, ...] | None = None
    status: int | None = None  # HTTP status of the refusal or failure
    code: str = ""  # WooCommerce's error code (refused) or the client's error code (unreachable)
    message: str = ""
    route: str = ""  # the route whose answer decided

    @property
    def known(self) -> bool:
        return self.origin in (Origin.READ, Origin.UNSET)

    def effective(self) -> str | tuple[str, ...]:
        """What WooCommerce Analytics uses: the value read, else WooCommerce's default."""
        if self.origin is Origin.READ and self.value is not None:
            return self.value
        return DEFAULT_DATE_TYPE if self.option == DATE_TYPE else DEFAULT_EXCLUDED_STATUSES


@dataclass(frozen=True)
class AnalyticsSettings:
    date_type: OptionReading
    excluded_statuses: OptionReading
    environment_type: str | None = None  # wp_get_environment_type(), asked only when something was refused

    @property
    def readings(self) -> tuple[OptionReading, OptionReading]:
        return (self.date_type, self.excluded_statuses)


def _parse(option: str, raw: Any) -> OptionReading | None:
    """A value as WooCommerce Analytics would use it; None when the answer holds nothing usable for this option."""
    if option == DATE_TYPE:
        if isinstance(raw, str) and raw in DATE_TYPES:
            return OptionReading(option, Origin.READ, raw)
        # false (never saved), "" (the settings API's empty default) or anything else: Analytics's
        # sanitize_date_column_name falls back to date_paid, WooCommerce's default.
        return OptionReading(option, Origin.UNSET)
    if isinstance(raw, list):
        return OptionReading(option, Origin.READ, tuple(str(s) for s in raw if isinstance(s, str) and s))
    if raw is False or raw is None:
        return OptionReading(option, Origin.UNSET)
    return None


async def read_option(client: StoreClient, option: str) -> OptionReading:
    """One option with a request of its own, so a refusal of one never costs the other."""
    route = "/wc-admin/options"
    try:
        resp = await client.get(route, {"options": option})
    except NeedsReauth as err:
        if err.code == "keys_invalid":
            raise
        return await _from_settings_api(client, option, refused=err)
    except StoreError as err:
        return OptionReading(option, Origin.UNREACHABLE, status=err.status, code=err.code, message=err.message)
    data = resp.data if isinstance(resp.data, dict) else None
    parsed = _parse(option, data.get(option, False)) if data is not None else None
    if parsed is None:
        return OptionReading(option, Origin.UNREACHABLE, status=resp.status, code="bad_data", route=route)
    return OptionReading(option, parsed.origin, parsed.value, route=route)


async def _from_settings_api(client: StoreClient, option: str, refused: StoreError) -> OptionReading:
    """The `wc_admin` settings group holds the same option; a refusal there too leaves it unknown."""
    route = f"/wc/v3/settings/wc_admin/{option}"
    try:
        resp = await client.get(route)
    except NeedsReauth as err:
        if err.code == "keys_invalid":
            raise
    except StoreError:
        pass
    else:
        answer = resp.data if isinstance(resp.data, dict) else {}
        parsed = _parse(option, answer["value"]) if answer.get("id") == option and "value" in answer else None
        if parsed is not None:
            return OptionReading(option, parsed.origin, parsed.value, route=route)
    return OptionReading(
        option,
        Origin.REFUSED,
        status=refused.status,
        code=refused.wc_code or refused.code,
        message=refused.message,
        route="/wc-admin/options",
    )


async def environment_type(client: StoreClient) -> str | None:
    """`wp_get_environment_type()` as WooCommerce's system status reports it (WooCommerce 5.x and later)."""
    try:
        resp = await client.get("/wc/v3/system_status", {"_fields": "environment"})
    except NeedsReauth as err:
        if err.code == "keys_invalid":
            raise
        return None
    except StoreError:
        return None
    env = resp.data.get("environment") if isinstance(resp.data, dict) else None
    value = env.get("wp_environment_type") if isinstance(env, dict) else None
    return value if isinstance(value, str) and value else None


async def read_analytics_settings(client: StoreClient) -> AnalyticsSettings:
    """Both settings, each on its own; the environment type too when one was refused (it is the usual reason)."""
    date_type = await read_option(client, DATE_TYPE)
    excluded = await read_option(client, EXCLUDED_STATUSES)
    refused = Origin.REFUSED in (date_type.origin, excluded.origin)
    return AnalyticsSettings(date_type, excluded, await environment_type(client) if refused else None)
