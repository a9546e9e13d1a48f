"""The sync works in every fake-store mode where WooCommerce itself would work, and remembers how it got in."""

from __future__ import annotations

from typing import Any

import pytest

from storelens.stores.models import Store
from storelens.sync.api import run_sync

from .conftest import FAST_RETRIES, make_fake, make_store
from .equality import assert_copy_equals_store

pytestmark = pytest.mark.django_db

CASES = [
    ("https://shop.test", set(), "basic"),
    ("https://shop.test", {"strip-auth"}, "query"),
    ("https://shop.test", {"proxy-no-ssl"}, "oauth-other-scheme"),
    ("https://shop.test", {"plain-permalinks"}, "basic"),
    ("https://shop.test", {"php-notices"}, "basic"),
    ("https://shop.test", {"legacy-woocommerce"}, "basic"),
    ("http://shop.test", set(), "oauth"),
    ("http://shop.test", {"plain-permalinks"}, "oauth"),
]


@pytest.mark.parametrize(
    ("home", "modes", "method"),
    CASES,
    ids=lambda v: (
        v
        if isinstance(v, str) and v.startswith("http")
        else ("+".join(sorted(v)) or "none")
        if isinstance(v, set)
        else None
    ),
)
def test_the_import_is_exact_in_every_mode_woocommerce_works_in(
    workspace: Any, serve_in_process: dict, home: str, modes: set[str], method: str
) -> None:
    fake = make_fake(80, seed=13, modes=modes, home_url=home)
    serve_in_process[home] = fake
    store = make_store(workspace, fake, home_url=home, plain_permalinks="plain-permalinks" in modes)
    run_sync(store.pk, client_options=FAST_RETRIES)
    store.refresh_from_db()
    assert store.status == Store.Status.CONNECTED
    assert store.auth_method == method
    assert_copy_equals_store(store, fake.store)
