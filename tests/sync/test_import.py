from __future__ import annotations

from typing import Any

import pytest

from storelens.sync.api import run_sync

from .conftest import FAST_RETRIES, make_fake, make_source
from .equality import assert_copy_equals_store

pytestmark = pytest.mark.django_db


def test_smoke_import(workspace: Any, serve_in_process: dict) -> None:
    fake = make_fake(300)
    serve_in_process["https://shop.test"] = fake
    source = make_source(workspace, fake)
    result = run_sync(source.pk, client_options=FAST_RETRIES)
    assert result.ran
    assert_copy_equals_store(source, fake.store)
