"""The two settings that cut a store's figures (date basis, excluded statuses), where each came from, and the owner's
choice, which wins over what the store says until the owner hands the setting back to the store.

A store may refuse to tell its WooCommerce Analytics settings (WooCommerce 11 on a site whose environment type is
not `production`). Storelens then counts by WooCommerce's default and says so wherever the setting is shown, with
a way to set it: never silently. The last reading from the store is kept, so "use the store's setting" takes
effect at once, without asking the store again.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from storelens.stores.models import Store
from storelens.stores.reporting import DateBasis
from storelens.woocommerce.analytics_settings import (
    DEFAULT_EXCLUDED_STATUSES,
    AnalyticsSettings,
    OptionReading,
    Origin,
)

Where = Store.SettingOrigin
SETTINGS = ("date_basis", "excluded_statuses")
LABELS = {"date_basis": "Orders count by", "excluded_statuses": "Orders excluded from reports"}
BASIS_WORDS = {"created": "the date created", "paid": "the date paid", "completed": "the date completed"}
_ORIGIN_OF = {Origin.READ: Where.STORE, Origin.UNSET: Where.DEFAULT}


def _value_from(reading: OptionReading, setting: str) -> Any:
    value = reading.effective()
    if setting == "date_basis":
        assert isinstance(value, str)
        return str(DateBasis.from_store_option(value) or DateBasis.PAID)
    return sorted(value) if reading.origin is Origin.READ else list(DEFAULT_EXCLUDED_STATUSES)


def _record(reading: OptionReading, setting: str, environment_type: str | None) -> dict[str, Any]:
    """What the store said for one setting, in the form kept on the store row (JSON)."""
    return {
        "origin": str(_ORIGIN_OF.get(reading.origin, Where.ASSUMED)),
        "value": _value_from(reading, setting),
        "answer": str(reading.origin),
        "status": reading.status,
        "code": reading.code,
        "route": reading.route,
        "environment_type": environment_type,
    }


def record_store_reading(store: Store, analytics: AnalyticsSettings) -> None:
    """Keep what the store said; apply it to every setting the owner has not set (no save)."""
    readings = {"date_basis": analytics.date_type, "excluded_statuses": analytics.excluded_statuses}
    said = dict(store.store_settings or {})
    for setting, reading in readings.items():
        said[setting] = _record(reading, setting, analytics.environment_type)
    store.store_settings = said
    for setting in SETTINGS:
        if getattr(store, f"{setting}_origin") != Where.OWNER:
            _follow_store(store, setting)


def _follow_store(store: Store, setting: str) -> None:
    record = (store.store_settings or {}).get(setting)
    if record is None:  # never read: WooCommerce's default, assumed
        value: Any = _default(setting)
        origin = Where.ASSUMED
    else:
        value, origin = record["value"], Where(record["origin"])
    setattr(store, setting, value)
    setattr(store, f"{setting}_origin", origin)


def set_by_owner(store: Store, *, date_basis: str | None = None, excluded: list[str] | None = None) -> list[str]:
    """The owner's value for one or both settings; saved. Returns the fields changed."""
    fields = []
    if date_basis is not None:
        store.date_basis, store.date_basis_origin = date_basis, Where.OWNER
        fields += ["date_basis", "date_basis_origin"]
    if excluded is not None:
        store.excluded_statuses, store.excluded_statuses_origin = sorted(set(excluded)), Where.OWNER
        fields += ["excluded_statuses", "excluded_statuses_origin"]
    if fields:
        store.save(update_fields=fields)
    return fields


def use_store_setting(store: Store, setting: str) -> None:
    """Hand a setting back to the store: its last reading applies at once (saved)."""
    if setting not in SETTINGS:
        raise ValueError(f"unknown setting {setting!r}")
    _follow_store(store, setting)
    store.save(update_fields=[setting, f"{setting}_origin"])


@dataclass(frozen=True)
class ShownSetting:
    """One setting as the pages and the CLI say it."""

    key: str
    label: str
    value: Any
    value_words: str
    origin: str
    origin_words: str
    assumed: bool
    owner_set: bool
    store_value_words: str  # what the store's setting is (or is assumed to be), for "use the store's setting"

    def as_json(self) -> dict[str, Any]:
        return {"value": self.value, "origin": self.origin, "explanation": self.origin_words}


def _value_words(setting: str, value: Any) -> str:
    if setting == "date_basis":
        return BASIS_WORDS.get(value, str(value))
    return ", ".join(value) if value else "no status (every order counts, except checkout drafts and trash)"


def _why_unknown(record: dict[str, Any] | None) -> str:
    if record is None:
        return "not read from your store yet (Check connection reads it)"
    env = record.get("environment_type")
    if record.get("answer") == Origin.REFUSED:
        code = record.get("code") or "refused"
        reason = f"its environment type is {env}" if env and env != "production" else f"HTTP {record.get('status')}"
        return f"your store refused to tell us ({reason}; WooCommerce said {code})"
    return f"your store did not answer when asked ({record.get('code') or 'no answer'})"


def shown(store: Store, setting: str) -> ShownSetting:
    value = getattr(store, setting)
    origin = getattr(store, f"{setting}_origin")
    record = (store.store_settings or {}).get(setting)
    default_words = "WooCommerce's default (" + _value_words(setting, _default(setting)) + ")"
    if origin == Where.STORE:
        words = "read from your store's WooCommerce Analytics settings"
    elif origin == Where.DEFAULT:
        words = "WooCommerce's default: your store has never changed this setting"
    elif origin == Where.OWNER:
        words = "set by you here; your store's own setting is not followed"
    else:
        words = f"{default_words}, assumed: {_why_unknown(record)}"
    store_value = record["value"] if record else _default(setting)
    store_origin = Where(record["origin"]) if record else Where.ASSUMED
    store_words = _value_words(setting, store_value) + (" (assumed)" if store_origin == Where.ASSUMED else "")
    return ShownSetting(
        key=setting,
        label=LABELS[setting],
        value=value,
        value_words=_value_words(setting, value),
        origin=str(origin),
        origin_words=words,
        assumed=origin == Where.ASSUMED,
        owner_set=origin == Where.OWNER,
        store_value_words=store_words,
    )


def _default(setting: str) -> Any:
    return str(DateBasis.PAID) if setting == "date_basis" else list(DEFAULT_EXCLUDED_STATUSES)


def shown_all(store: Store) -> list[ShownSetting]:
    return [shown(store, s) for s in SETTINGS]


def assumed_settings(store: Store) -> list[ShownSetting]:
    return [s for s in shown_all(store) if s.assumed]


def as_json(store: Store) -> dict[str, Any]:
    """`sources list --json`: each setting with its value, origin and the plain-words explanation."""
    out: dict[str, Any] = {s.key: s.as_json() for s in shown_all(store)}
    env = next((r.get("environment_type") for r in (store.store_settings or {}).values() if r), None)
    if env:
        out["environment_type"] = env
    return out
