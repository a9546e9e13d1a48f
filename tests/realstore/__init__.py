"""A real WordPress 7.1 + WooCommerce 11.0.1 store for tests, on loopback, started by the test suite.

Use the pytest fixtures (tests/realstore/fixtures.py): `real_store_us`, `real_store_eu` (session-wide, do not change
them) and `restored_real_store_us`, `restored_real_store_eu` (for a test that changes the store; restored after it).
By hand: `make realstore PROFILE=us|eu`. Each is a `RealStore`:

    store.profile                      "us" | "eu" (settings in profiles.py; orders from seed/seed.php)
    store.url, store.host, store.port  https://127.0.0.X:PORT; the store's own loopback address
    store.callback_base_url            https://127.0.0.X:8080: where the Storelens server under test must listen
                                       (WordPress's real wp_safe_remote_post rules allow nothing else on loopback)
    store.admin_user, admin_password   wp-admin login (manage_woocommerce)
    store.consumer_key, consumer_secret   read_write REST key of the admin;  store.read_only_key: (ck, cs)
    store.ca, store.ca_bundle          the trustme CA (WordPress's own bundle trusts it) and its PEM file, for
                                       STORELENS_STORE_CA_BUNDLE and verify=; store.issue_cert(folder) for host
    store.db_name, wp_root, run_dir    MariaDB database, WordPress tree, run folder (logs/, nginx.conf, ...)
    store.php(code) / php_json(code)   PHP with WordPress loaded (php CLI); raises PhpError with stderr + debug.log
    store.php_file(path, *args)        a PHP file with WordPress loaded
    store.sql(query, params)           rows as dicts of strings from MariaDB (`%s` placeholders)
    store.option(name)                 get_option(name)
    store.run_queue()                  Action Scheduler to the end (webhooks, Analytics import); WP-Cron is off
    store.rest(method, path, **kw)     httpx request to /wp-json/wc/v3/<path> with the read_write key
    store.http_client()                httpx.Client(base_url=url) trusting the CA
    store.web.reload_nginx(server=, php=)   extra nginx lines (misconfigurations); reload_nginx() undoes
    store.debug_log(), store.logs()    wp-content/debug.log; every log by name
    store.snapshot(), store.restore()  save / go back (a snapshot is taken after bring-up)
    store.timings, store.from_cache    seconds per bring-up step; whether the seeded cache was used

Environment: STORELENS_SHARED_DIR (the folder with vendor/, default ../shared beside the repository),
STORELENS_REALSTORE_SEED=minimal (three orders instead of seed/seed.php), STORELENS_REALSTORE_KEEP=1 (keep the run
folder after stopping, for post-mortems), STORELENS_REALSTORE_CACHE (where the seeded state is cached, shared by
every clone on the machine; default ${XDG_CACHE_HOME:-~/.cache}/storelens/realstore; see cache.py). A cold start
builds the profiles the selected tests use in parallel (fixtures.py).
"""

from tests.realstore.store import RealStore, StoreUnavailable, start_real_store
from tests.realstore.wordpress import PhpError

__all__ = ["PhpError", "RealStore", "StoreUnavailable", "start_real_store"]
