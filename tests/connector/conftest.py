"""The connector tests reuse the sources tests' fake store (https://shop.example.com, in-process)."""

from tests.stores.conftest import fake_store, queued_jobs

__all__ = ["fake_store", "queued_jobs"]
