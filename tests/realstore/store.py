"""`RealStore`: one running WordPress + WooCommerce, and `start_real_store(profile)` which brings it up.

Bring-up, in order: check the programs and MariaDB; reserve 127.0.0.X and a free port; make a CA and the store's
certificate; create a fresh database; unpack the shared archives into a temporary folder (plus, from the cache, the
files the build wrote into wp-content); write wp-config.php; start php-fpm and nginx; then either load the cached
dump or build (build.py: install, activate WooCommerce, apply the profile, seed, run the queue) and cache that;
finally set this run's admin password and REST keys and take a snapshot for `restore()`.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import secrets
import shutil
import ssl
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import trustme

from tests.realstore import cache, mariadb, servers, tls, vendor
from tests.realstore.build import ADMIN_USER, build
from tests.realstore.network import CALLBACK_PORT, LoopbackHost, free_port, reserve_loopback_host
from tests.realstore.profiles import PROFILES
from tests.realstore.wordpress import PHP_DIR, PhpRunner, install_mu_plugins, write_wp_config


class StoreUnavailable(RuntimeError):
    """Something the real store needs is missing on this machine; the message says what and how to install it."""


@dataclass
class RealStore:
    """One running WordPress + WooCommerce store (see the package docstring for the whole public face)."""

    profile: str
    url: str  # https://127.0.0.X:PORT, home and site URL, no trailing slash
    host: str  # 127.0.0.X
    port: int
    admin_user: str
    admin_password: str
    consumer_key: str  # read_write, owned by the admin
    consumer_secret: str
    read_only_key: tuple[str, str]
    ca: trustme.CA
    ca_bundle: Path  # PEM of the test CA (for STORELENS_STORE_CA_BUNDLE and httpx's verify=)
    db_name: str
    wp_root: Path
    run_dir: Path
    database: mariadb.Database
    web: servers.WebServer
    runner: PhpRunner
    loopback: LoopbackHost
    timings: dict[str, float] = field(default_factory=dict)  # seconds per bring-up step, and "total"
    from_cache: bool = False
    callback_port: int = CALLBACK_PORT

    # --- PHP, SQL, the queue ---------------------------------------------------------------------------------

    def php(self, code: str, timeout: float = 120) -> str:
        """Run a PHP snippet with WordPress loaded (php CLI); returns its output. Raises PhpError with stderr and
        what the snippet added to debug.log."""
        return self.runner.run(code, timeout=timeout)

    def php_json(self, code: str, timeout: float = 120) -> Any:
        """Run a snippet that echoes `wp_json_encode(...)`; returns the decoded value."""
        return self.runner.run_json(code, timeout=timeout)

    def php_file(self, script: Path, *args: str, timeout: float = 600) -> str:
        """Run a PHP file with WordPress loaded; the file sees `$argv` = [script, *args]."""
        return self.runner.run_file(script, *args, timeout=timeout)

    def sql(self, query: str, params: tuple[Any, ...] | list[Any] = ()) -> list[dict[str, str | None]]:
        """Rows of one SQL statement on the store's database (tables are `wp_…`); values are strings, NULL is None.
        `%s` placeholders are filled from `params` as quoted literals."""
        return self.database.sql(query, params)

    def run_queue(self) -> int:
        """Run the Action Scheduler queue until no due action is left (webhooks, Analytics import); the count."""
        return int(self.runner.run_file(PHP_DIR / "run_queue.php", timeout=600).strip() or 0)

    def option(self, name: str) -> Any:
        """`get_option(name)` as WordPress returns it (decoded from JSON)."""
        return self.php_json(f"echo wp_json_encode(get_option({json.dumps(name)}));")

    # --- HTTP ---------------------------------------------------------------------------------------------------

    def rest(self, method: str, path: str, **kwargs: Any) -> httpx.Response:
        """A request to the store's REST API with the admin's read_write key (Basic auth over HTTPS).

        `path` is either relative to /wp-json/wc/v3/ (`"orders"`) or absolute (`"/wp-json/wc-analytics/…"`);
        keyword arguments go to httpx (`params=`, `json=`, `auth=` to use another key or `auth=None` for none).
        """
        if not path.startswith("/"):
            path = "/wp-json/wc/v3/" + path
        kwargs.setdefault("auth", (self.consumer_key, self.consumer_secret))
        kwargs.setdefault("timeout", 120)
        with httpx.Client(verify=self.ssl_context()) as client:
            return client.request(method, self.url + path, **kwargs)

    def ssl_context(self) -> ssl.SSLContext:
        """A client TLS context trusting the test CA only (httpx's `verify=`)."""
        return ssl.create_default_context(cafile=str(self.ca_bundle))

    def http_client(self, **kwargs: Any) -> httpx.Client:
        """An httpx client for the store (base URL set, trusting the test CA); close it after use."""
        kwargs.setdefault("timeout", 120)
        return httpx.Client(base_url=self.url, verify=self.ssl_context(), **kwargs)

    def issue_cert(self, folder: Path, name: str = "callback") -> tls.CertFiles:
        """A certificate for `host` from the store's CA: what the Storelens server at https://host:8080 presents."""
        return tls.issue(self.ca, self.host, folder, name)

    @property
    def callback_base_url(self) -> str:
        """https://127.0.0.X:8080: the only place a loopback callback can live under WordPress's real rules."""
        return f"https://{self.host}:{self.callback_port}"

    # --- logs -------------------------------------------------------------------------------------------------------

    def debug_log(self) -> str:
        """wp-content/debug.log (WP_DEBUG_LOG on, display off): PHP notices and WooCommerce's fatal errors."""
        return self.runner.debug_log()

    def logs(self) -> dict[str, str]:
        """Every log of this store by name: debug.log, nginx's access and error logs, php-fpm's."""
        found = {"debug.log": self.debug_log()}
        for path in sorted(self.web.logs.glob("*")):
            found[path.name] = path.read_text(errors="replace")
        return found

    # --- state ------------------------------------------------------------------------------------------------------

    def snapshot(self) -> None:
        """Save the database as it is now (server-side table copies); restore() goes back to it."""
        self.database.snapshot()

    def restore(self) -> list[str]:
        """Back to the last snapshot (taken after bring-up): database, nginx configuration, `.maintenance`, extra
        must-use plugins; returns the tables that had changed. Files a test wrote elsewhere in the tree are its own to
        remove."""
        tables = self.database.restore()
        (self.wp_root / ".maintenance").unlink(missing_ok=True)
        mu = self.wp_root / "wp-content" / "mu-plugins"
        for path in mu.iterdir():
            if path.name not in _OUR_MU_PLUGINS:
                shutil.rmtree(path) if path.is_dir() else path.unlink()
        if self.web.nginx_server_extra or self.web.nginx_php_extra:
            self.web.reload_nginx()
        return tables

    def stop(self, keep_files: bool = False) -> None:
        """Stop nginx and php-fpm, drop the database and user, free the address, delete the run folder."""
        self.web.stop()
        try:
            self.database.drop()
        finally:
            self.loopback.release()
            if not keep_files:
                shutil.rmtree(self.run_dir, ignore_errors=True)


_OUR_MU_PLUGINS = frozenset({"storelens-test-mail.php", "index.php"})


def check_available() -> None:
    """Raise StoreUnavailable with the reason when this machine cannot run a real store."""
    try:
        servers.check_installed()
        mariadb.client()
        mariadb.dump_tool()
        mariadb.as_root("SELECT 1;")
        vendor.archives()
    except (servers.ServerUnavailable, mariadb.MariaDBUnavailable, vendor.VendorError) as error:
        raise StoreUnavailable(str(error)) from error


def start_real_store(profile_name: str = "us", use_cache: bool = True) -> RealStore:
    """Bring up a store of this profile ("us" or "eu"); call `stop()` when done. Raises StoreUnavailable."""
    profile = PROFILES[profile_name]
    started = time.monotonic()
    timings: dict[str, float] = {}

    def lap(name: str, since: list[float] = [started]) -> None:  # noqa: B006 - a running clock
        now = time.monotonic()
        timings[name] = round(now - since[0], 2)
        since[0] = now

    check_available()
    drop_stale_databases()
    remove_stale_run_dirs()
    lap("checks")
    run_dir = Path(tempfile.mkdtemp(prefix=f"realstore-{profile.name}-{os.getpid()}-"))
    loopback = reserve_loopback_host()
    database: mariadb.Database | None = None
    web: servers.WebServer | None = None
    cache_lock = contextlib.ExitStack()  # holds the key's lock while this run builds the entry
    try:
        host = loopback.address
        port = free_port(host)
        url = f"https://{host}:{port}"
        ca = trustme.CA(organization_name="Storelens test CA")
        ca_bundle = run_dir / "test-ca.pem"
        ca.cert_pem.write_to_path(str(ca_bundle))
        store_cert = tls.issue(ca, host, run_dir, "store")
        database = mariadb.Database.create(run_dir, prefix=f"realstore_{os.getpid()}")
        lap("database")

        cache_key = cache.key(profile.name)
        entry = cache.lookup(cache_key) if use_cache else None
        if use_cache and entry is None:
            cache_lock.enter_context(cache.building(cache_key))  # waits while another run builds this key
            entry = cache.lookup(cache_key)
            if entry:
                cache_lock.close()
            lap("cache lock")
        wp_root = run_dir / "wordpress"
        vendor.unpack(run_dir)
        if entry:
            cache.restore_content(entry, wp_root)
        lap("tree")
        write_wp_config(
            wp_root,
            url=url,
            db_name=database.name,
            db_user=database.user,
            db_password=database.password,
            db_host=f"{mariadb.HOST}:{mariadb.PORT}",
            environment=profile.environment,
        )
        tls.trust_in_wordpress(ca, wp_root)
        install_mu_plugins(wp_root)
        web = servers.WebServer(wp_root, run_dir, host, port, store_cert.cert, store_cert.key)
        web.start()
        lap("servers")
        runner = PhpRunner(wp_root, run_dir, url)
        if entry:
            database.load(entry / cache.DUMP)
            lap("load dump")
        else:
            build(profile, runner, timings, lap)
            dump = run_dir / "build.sql"
            database.dump(dump)
            if use_cache:
                cache.save(cache_key, wp_root, dump, {"profile": profile.name, "timings": dict(timings)})
            cache_lock.close()
            lap("cache")
        admin_password = secrets.token_urlsafe(12)
        keys = json.loads(runner.run_file(PHP_DIR / "per_run.php", ADMIN_USER, admin_password, url))
        database.snapshot()
        lap("keys+snapshot")
        warm_up(url, ca_bundle)
        lap("first request")
        timings["total"] = round(time.monotonic() - started, 2)
        return RealStore(
            profile=profile.name,
            url=url,
            host=host,
            port=port,
            admin_user=ADMIN_USER,
            admin_password=admin_password,
            consumer_key=keys["read_write"][0],
            consumer_secret=keys["read_write"][1],
            read_only_key=(keys["read"][0], keys["read"][1]),
            ca=ca,
            ca_bundle=ca_bundle,
            db_name=database.name,
            wp_root=wp_root,
            run_dir=run_dir,
            database=database,
            web=web,
            runner=runner,
            loopback=loopback,
            timings=timings,
            from_cache=entry is not None,
        )
    except BaseException:
        cache_lock.close()
        if web:
            web.stop()
        if database:
            database.drop()
        loopback.release()
        if not os.environ.get("STORELENS_REALSTORE_KEEP"):
            shutil.rmtree(run_dir, ignore_errors=True)
        raise


def warm_up(url: str, ca_bundle: Path) -> None:
    """One request through nginx and php-fpm, so a broken web setup fails the bring-up, not the first test."""
    response = httpx.get(url + "/wp-json/", verify=ssl.create_default_context(cafile=str(ca_bundle)), timeout=120)
    if response.status_code != 200:
        raise RuntimeError(f"the store answers {response.status_code} on /wp-json/:\n{response.text[:2000]}")


def remove_stale_run_dirs() -> None:
    """Delete run folders (`realstore-<profile>-<pid>-…` in the temporary directory) of runs that are gone."""
    for path in Path(tempfile.gettempdir()).glob("realstore-*-*-*"):
        match = re.match(r"^realstore-[a-z]+-(\d+)-", path.name)
        if not match or not path.is_dir():
            continue
        try:
            os.kill(int(match.group(1)), 0)
        except ProcessLookupError:
            shutil.rmtree(path, ignore_errors=True)
        except PermissionError:
            pass


def drop_stale_databases() -> None:
    """Drop realstore_<pid>_… databases and users whose run is gone (killed runs cannot clean up)."""
    names = mariadb.as_root(
        "SELECT schema_name FROM information_schema.schemata WHERE schema_name LIKE 'realstore\\_%';"
    )
    for name in names.split():
        match = re.match(r"^realstore_(\d+)_[0-9a-f]+(_snap)?$", name)
        if not match:
            continue
        try:
            os.kill(int(match.group(1)), 0)
        except ProcessLookupError:
            base = name.removesuffix("_snap")
            mariadb.as_root(
                f"DROP DATABASE IF EXISTS `{name}`; DROP USER IF EXISTS '{base}'@'127.0.0.1';"
                f" DROP USER IF EXISTS '{base}'@'localhost';"
            )
        except PermissionError:
            pass
