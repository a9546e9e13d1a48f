"""Django Ninja names each schema in the OpenAPI document by its class name alone, and a second class of the same name
silently replaces the first there: the API then documents one endpoint's answer with another's fields (the product
page's `PointOut` once replaced the metrics series' one). Every schema class the API defines has its own name."""

from __future__ import annotations

import importlib
import inspect
import pkgutil

from ninja import Schema

import storelens.api


def test_no_two_api_schemas_share_a_class_name() -> None:
    homes: dict[str, list[str]] = {}
    for info in pkgutil.walk_packages(storelens.api.__path__, "storelens.api."):
        module = importlib.import_module(info.name)
        for name, value in vars(module).items():
            if inspect.isclass(value) and issubclass(value, Schema) and value.__module__ == module.__name__:
                homes.setdefault(name, []).append(module.__name__)
    assert {name: where for name, where in homes.items() if len(where) > 1} == {}
