"""The error every fake-store write raises when WooCommerce would refuse it."""

from __future__ import annotations


class StoreError(Exception):
    """A write WooCommerce refuses; carries the REST error it would answer."""

    def __init__(self, status: int, code: str, message: str, params: dict | None = None) -> None:
        super().__init__(message)
        self.status, self.code, self.message, self.params = status, code, message, params
