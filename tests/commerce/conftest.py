from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

CAPTURES = Path("/work/shared/woocommerce/captures")


def capture_body(name: str) -> Any:
    return json.loads((CAPTURES / name).read_text())["response"]["body"]


@pytest.fixture
def store(db: None) -> Any:
    from storelens.accounts.models import Workspace
    from storelens.stores.models import Store

    workspace = Workspace.objects.create(name="Shop")
    return Store.objects.create(workspace=workspace, home_url="https://shop.example", currency="USD")
