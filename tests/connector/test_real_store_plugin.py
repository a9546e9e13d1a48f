"""The Storelens Connector in the real WordPress 7.1 + WooCommerce 11: activate, deactivate and uninstall it as
wp-admin does (tests/realstore/connector.py), with no PHP notice in debug.log and no option left behind. Its pages
are drawn, notice-free too, in tests/browser/test_connector_real_store.py."""

from __future__ import annotations

import re
from typing import Any

from storelens.connector.package import CONFIG_FILE, config_php
from tests.realstore.connector import (
    connector_active,
    deactivate_connector,
    install_connector,
    plugin_dir,
    uninstall_connector,
)

PHP_PROBLEM = re.compile(r"PHP (Notice|Warning|Deprecated|Fatal error|Parse error)|doing_it_wrong|was called <strong>")


def _our_options(store: Any) -> list[str]:
    rows = store.sql(
        "SELECT option_name FROM wp_options WHERE option_name LIKE %s OR option_name LIKE %s",
        ("storelens\\_connector\\_%", "%transient%storelens\\_connector\\_%"),
    )
    return sorted(str(row["option_name"]) for row in rows)


def _poll_scheduled(store: Any) -> bool:
    return bool(store.php_json("echo wp_json_encode( (bool) wp_next_scheduled( 'storelens_connector_poll' ) );"))


def test_activation_deactivation_and_uninstall_are_clean_and_leave_no_option(restored_real_store_us: Any) -> None:
    store = restored_real_store_us
    before = len(store.debug_log())
    try:
        install_connector(store)
        assert connector_active(store)
        assert _poll_scheduled(store)  # the daily status poll
        # Downloaded from a Storelens, the zip carries its address: the page's field starts with it.
        (plugin_dir(store) / CONFIG_FILE).write_text(config_php("https://from-the-zip.example.com/"))
        assert store.php("echo Storelens_Connector_Link::url();") == "https://from-the-zip.example.com"
        # A connected plugin's options, as Connect Store leaves them, plus the page's transients.
        store.php(
            "update_option( 'storelens_connector_url', 'https://storelens.example.com' );"
            "update_option( 'storelens_connector_store', 'abc', false );"
            "update_option( 'storelens_connector_token', 'token', false );"
            "update_option( 'storelens_connector_secret', 'secret', false );"
            "update_option( 'storelens_connector_status', array( 'state' => 'connected' ), false );"
            "set_transient( 'storelens_connector_state_1', 'x', 60 );"
        )
        deactivate_connector(store)
        assert not connector_active(store) and not _poll_scheduled(store)
        assert "storelens_connector_token" in _our_options(store)  # deactivating keeps the connection
        uninstall_connector(store)
        assert _our_options(store) == []
    finally:
        uninstall_connector(store)
    added = store.debug_log()[before:]
    assert not PHP_PROBLEM.search(added), added
