"""`sync.api`: the collector's threshold and the writer's page cache during passes."""

from __future__ import annotations

import gc

import pytest
from django.db import connection

from storelens.sync.api import PASS_GC_THRESHOLD, SQLITE_CACHE_KIB, fewer_collections, widen_writer_cache


def test_a_pass_raises_the_collectors_threshold_and_restores_it() -> None:
    before = gc.get_threshold()
    with fewer_collections():
        assert gc.get_threshold()[0] == max(before[0], PASS_GC_THRESHOLD)
        assert gc.get_threshold()[1:] == before[1:]
    assert gc.get_threshold() == before


def test_overlapping_passes_restore_the_setting_only_when_the_last_ends() -> None:
    before = gc.get_threshold()
    first, second = fewer_collections(), fewer_collections()
    first.__enter__()
    second.__enter__()
    first.__exit__(None, None, None)
    assert gc.get_threshold()[0] == max(before[0], PASS_GC_THRESHOLD)
    second.__exit__(None, None, None)
    assert gc.get_threshold() == before


def test_collection_turned_off_by_the_process_stays_off() -> None:
    before = gc.get_threshold()
    gc.set_threshold(0)
    try:
        with fewer_collections():
            assert gc.get_threshold()[0] == 0
        assert gc.get_threshold()[0] == 0
    finally:
        gc.set_threshold(*before)


@pytest.mark.django_db
def test_the_passs_connection_gets_a_wider_page_cache_on_sqlite() -> None:
    widen_writer_cache()
    if connection.vendor != "sqlite":
        return
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA cache_size")
        assert cursor.fetchone()[0] == -SQLITE_CACHE_KIB
