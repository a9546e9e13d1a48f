"""What a store's pages and jobs ask of the packages above `stores`: start a sync, show its progress, check a store.

`stores` sits below `sync` and `doctor` (they import its model, client and status), so it never imports them; each
registers its entry points here from its AppConfig.ready(). Calling a hook nobody registered says which app is missing.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

_registered: dict[str, Callable[..., Any]] = {}


def register(**hooks: Callable[..., Any]) -> None:
    _registered.update(hooks)


def _call(name: str, *args: Any) -> Any:
    try:
        hook = _registered[name]
    except KeyError:
        raise RuntimeError(
            f"No app registered the stores hook {name!r}: add storelens.sync and storelens.doctor to INSTALLED_APPS."
        ) from None
    return hook(*args)


def start_import(store_id: int) -> None:
    """Queue the first import of a newly connected store (`sync`)."""
    _call("start_import", store_id)


def sync_now(store_id: int) -> None:
    """Queue a sync of the store now (`sync`)."""
    _call("sync_now", store_id)


def import_progress(store: Any) -> tuple[int, int | None, str] | None:
    """(orders done, orders total, what the import is doing now) of the store's import, None before one (`sync`)."""
    return _call("import_progress", store)


def failure_of(store: Any) -> Any:
    """The sync's record of an unexpected error in the store's last passes (support detail, next attempt), or None
    (`sync.failures`)."""
    return _call("failure_of", store)


def failure_json(store: Any) -> dict[str, object] | None:
    """The same as JSON for `storelens sources list --json`, or None (`sync.failures`)."""
    return _call("failure_json", store)


def check_store(store: Any) -> Any:
    """Run every connection check on the store and record what it found on its status (`doctor`); the report."""
    return _call("check_store", store)
