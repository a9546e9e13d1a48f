"""WordPress's per-run files (wp-config.php, must-use plugins) and running PHP with WordPress loaded.

There is no wp-cli package on any reachable registry; `php bootstrap.php SCRIPT ARGS...` does the same work: it
sets `$_SERVER['HTTP_HOST']` (and HTTPS) as a request to the store would, requires `wp-load.php` and then SCRIPT.
"""

from __future__ import annotations

import json
import secrets
import shutil
import subprocess
from pathlib import Path
from typing import Any

PHP_DIR = Path(__file__).resolve().parent / "php"
MU_PLUGINS = ("storelens-test-mail.php",)


class PhpError(RuntimeError):
    """A PHP script failed; the message carries its output, stderr and what it added to debug.log."""


def write_wp_config(
    wp_root: Path, *, url: str, db_name: str, db_user: str, db_password: str, db_host: str, environment: str
) -> None:
    """wp-config.php for this run: its database, its URL (WP_HOME/WP_SITEURL win over the cached options)."""
    salts = "\n".join(
        f"define('{name}', '{secrets.token_hex(32)}');"
        for name in (
            "AUTH_KEY",
            "SECURE_AUTH_KEY",
            "LOGGED_IN_KEY",
            "NONCE_KEY",
            "AUTH_SALT",
            "SECURE_AUTH_SALT",
            "LOGGED_IN_SALT",
            "NONCE_SALT",
        )
    )
    config = f"""<?php
// Written by tests/realstore for one run; regenerated on every start.
define('DB_NAME', '{db_name}');
define('DB_USER', '{db_user}');
define('DB_PASSWORD', '{db_password}');
define('DB_HOST', '{db_host}');
define('DB_CHARSET', 'utf8mb4');
define('DB_COLLATE', '');
{salts}
$table_prefix = 'wp_';
define('WP_HOME', '{url}');
define('WP_SITEURL', '{url}');
define('WP_ENVIRONMENT_TYPE', '{environment}');
define('WP_DEBUG', true);
define('WP_DEBUG_LOG', true);
define('WP_DEBUG_DISPLAY', false);
@ini_set('display_errors', '0');
// Off the network except loopback (the store's own host is always allowed; WP_ACCESSIBLE_HOSTS stays empty).
define('WP_HTTP_BLOCK_EXTERNAL', true);
// The tests run the Action Scheduler queue themselves (RealStore.run_queue), not page loads.
define('DISABLE_WP_CRON', true);
define('AUTOMATIC_UPDATER_DISABLED', true);
define('WP_AUTO_UPDATE_CORE', false);
define('FS_METHOD', 'direct');
if (!defined('ABSPATH')) {{
    define('ABSPATH', __DIR__ . '/');
}}
require_once ABSPATH . 'wp-settings.php';
"""
    (wp_root / "wp-config.php").write_text(config)


def install_mu_plugins(wp_root: Path) -> None:
    target = wp_root / "wp-content" / "mu-plugins"
    target.mkdir(parents=True, exist_ok=True)
    for name in MU_PLUGINS:
        shutil.copy(PHP_DIR / "mu-plugins" / name, target / name)


class PhpRunner:
    """Runs PHP files and snippets with this site's WordPress loaded (php CLI)."""

    def __init__(self, wp_root: Path, run_dir: Path, url: str) -> None:
        self.wp_root = wp_root
        self.run_dir = run_dir
        self.url = url
        self.snippets = run_dir / "snippets"
        self.snippets.mkdir(parents=True, exist_ok=True)

    @property
    def debug_log_path(self) -> Path:
        return self.wp_root / "wp-content" / "debug.log"

    def debug_log(self) -> str:
        path = self.debug_log_path
        return path.read_text(errors="replace") if path.exists() else ""

    def run_file(
        self, script: Path, *args: str, timeout: float = 120, installing: bool = False, input: str | None = None
    ) -> str:
        """Run `script` after wp-load.php; its stdout. Raises PhpError (with stderr and new debug.log lines)."""
        before = self.debug_log_path.stat().st_size if self.debug_log_path.exists() else 0
        env = {
            "PATH": "/usr/local/bin:/usr/bin:/bin",
            "REALSTORE_WP_ROOT": str(self.wp_root),
            "REALSTORE_URL": self.url,
            "REALSTORE_INSTALLING": "1" if installing else "",
        }
        try:
            result = subprocess.run(
                ["php", "-d", "memory_limit=1G", str(PHP_DIR / "bootstrap.php"), str(script), *args],
                capture_output=True,
                text=True,
                timeout=timeout,
                env=env,
                cwd=self.wp_root,
                input=input,
            )
        except subprocess.TimeoutExpired as error:
            raise PhpError(f"{script.name} ran longer than {timeout}s:\n{error.stdout}\n{error.stderr}") from error
        if result.returncode:
            added = self.debug_log()[before:] if self.debug_log_path.exists() else ""
            raise PhpError(
                f"php {script.name} {' '.join(args)} exited with {result.returncode}\n"
                f"--- stdout\n{result.stdout[-4000:]}\n--- stderr\n{result.stderr[-4000:]}\n"
                f"--- debug.log\n{added[-4000:]}"
            )
        return result.stdout

    def run(self, code: str, timeout: float = 120) -> str:
        """Run a PHP snippet (with or without a leading `<?php`) with WordPress loaded; its output."""
        if not code.lstrip().startswith("<?php"):
            code = "<?php\n" + code
        path = self.snippets / f"snippet-{secrets.token_hex(6)}.php"
        path.write_text(code)
        try:
            return self.run_file(path, timeout=timeout)
        finally:
            path.unlink(missing_ok=True)

    def run_json(self, code: str, timeout: float = 120) -> Any:
        output = self.run(code, timeout=timeout)
        try:
            return json.loads(output)
        except json.JSONDecodeError as error:
            raise PhpError(f"the snippet's output is not JSON ({error}):\n{output[:4000]}") from error
