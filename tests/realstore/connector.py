"""The Storelens Connector plugin (plugin/storelens-connector) in a real store: install, activate, uninstall.

`install_connector(store)` copies the plugin from this checkout into the store's wp-content/plugins (a copy, not a
symlink: WordPress resolves a symlinked plugin's `__FILE__` to the checkout, and a copy is what a zip install gives)
and activates it through WordPress's own `activate_plugin()`, so the activation hook runs as in wp-admin.
`uninstall_connector(store)` deactivates it, runs WordPress's `uninstall_plugin()` (the plugin's uninstall.php, when it
has one) and removes the files. `restore()` puts the database back (the plugin is then inactive) but leaves the files:
install again, or uninstall, as the test needs.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from tests.realstore.store import RealStore

PLUGIN_SOURCE = Path(__file__).resolve().parents[2] / "plugin" / "storelens-connector"
PLUGIN_SLUG = "storelens-connector"
PLUGIN_FILE = f"{PLUGIN_SLUG}/{PLUGIN_SLUG}.php"  # what WordPress calls it in active_plugins


def plugin_dir(store: RealStore) -> Path:
    """Where the plugin lives in this store's tree."""
    return store.wp_root / "wp-content" / "plugins" / PLUGIN_SLUG


def install_connector(store: RealStore, activate: bool = True) -> None:
    """Copy the plugin from this checkout into the store (replacing an earlier copy) and, by default, activate it.
    Raises PhpError with WordPress's message when activation fails (a fatal error in the plugin, say)."""
    target = plugin_dir(store)
    if target.is_symlink() or target.is_file():
        target.unlink()
    elif target.exists():
        shutil.rmtree(target)
    shutil.copytree(PLUGIN_SOURCE, target, ignore=shutil.ignore_patterns("*.zip", ".*"))
    if activate:
        activate_connector(store)


def activate_connector(store: RealStore) -> None:
    """`activate_plugin()` as wp-admin's Activate link calls it (the activation hook runs in that request)."""
    store.php(_PLUGIN_CALL.format(call=f"activate_plugin({json.dumps(PLUGIN_FILE)})"))


def deactivate_connector(store: RealStore) -> None:
    """`deactivate_plugins()` as wp-admin's Deactivate link calls it (the deactivation hook runs)."""
    store.php(
        "require_once ABSPATH . 'wp-admin/includes/plugin.php';\n"
        f"deactivate_plugins({json.dumps(PLUGIN_FILE)});\necho 'ok';"
    )


def connector_active(store: RealStore) -> bool:
    """Whether WordPress lists the plugin as active."""
    return bool(
        store.php_json(
            "require_once ABSPATH . 'wp-admin/includes/plugin.php';\n"
            f"echo wp_json_encode(is_plugin_active({json.dumps(PLUGIN_FILE)}));"
        )
    )


def uninstall_connector(store: RealStore) -> None:
    """Deactivate, run WordPress's uninstall (the plugin's uninstall.php removes its options) and delete the files.
    Safe when the plugin was never installed."""
    if plugin_dir(store).exists():
        deactivate_connector(store)
        store.php(_PLUGIN_CALL.format(call=f"uninstall_plugin({json.dumps(PLUGIN_FILE)})"))
    target = plugin_dir(store)
    if target.is_symlink() or target.is_file():
        target.unlink()
    elif target.exists():
        shutil.rmtree(target)


_PLUGIN_CALL = """require_once ABSPATH . 'wp-admin/includes/plugin.php';
$result = {call};
if ( is_wp_error( $result ) ) {{
    fwrite( STDERR, $result->get_error_message() . "\\n" );
    exit( 1 );
}}
echo 'ok';
"""
