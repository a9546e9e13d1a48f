"""Warnings about a store (it works, worse or at a risk) kept on the store, so its page shows them until fixed.

The sync appends what its client noticed to `Store.data_warnings`; Check connection replaces the connection-health
ones with what it just found, so a warning whose cause is gone disappears at the next check. Entries the catalogue
does not know (e.g. the sync's `rounded_amounts`) are kept as they are.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, Protocol

from django.urls import reverse

from storelens.stores.problems import CATALOGUE, WARNING, entry_for

# About Storelens's own address, not the store: shown after a check, never kept on a store.
NOT_ABOUT_THE_STORE = frozenset({"callback_unreachable"})


@dataclass(frozen=True)
class ShownWarning:
    code: str
    title: str
    message: str
    fix: str
    help_url: str


class Finding(Protocol):
    """A problem a check found (the doctor's `Problem`)."""

    code: str
    severity: str
    message: str
    fix: str


def refreshed(existing: list[Any], found_now: Iterable[Finding]) -> list[dict[str, str]]:
    """The kept warnings after a check: the catalogue's ones replaced by what the check found now."""
    kept = [w for w in existing if isinstance(w, dict) and w.get("code") not in CATALOGUE]
    found = [
        {"code": p.code, "severity": p.severity, "message": p.message, "fix": p.fix}
        for p in found_now
        if p.severity == WARNING and p.code in CATALOGUE and p.code not in NOT_ABOUT_THE_STORE
    ]
    return kept + found


def shown(existing: list[Any]) -> list[ShownWarning]:
    """The store's warnings in the owner's words, each with its help page when it has one."""
    result = []
    for w in existing:
        if not isinstance(w, dict) or not w.get("message"):
            continue
        code = str(w.get("code", ""))
        entry = entry_for(code)
        if entry is not None and code in NOT_ABOUT_THE_STORE:
            continue
        result.append(
            ShownWarning(
                code=code,
                title=entry.title if entry else "",
                message=entry.message if entry else str(w["message"]),
                fix=entry.fix if entry else str(w.get("fix", "")),
                help_url=reverse("doctor:help", kwargs={"code": entry.code}) if entry else "",
            )
        )
    return result
