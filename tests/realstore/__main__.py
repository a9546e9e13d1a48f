"""`make realstore` (`python -m tests.realstore --profile us|eu`): one real store kept running by hand until Ctrl-C.

Prints the URL, the admin login, the REST keys and the CA file to trust (e.g. `STORELENS_STORE_CA_BUNDLE`).
"""

from __future__ import annotations

import argparse
import signal
import sys
import time

from tests.realstore.profiles import PROFILES
from tests.realstore.store import StoreUnavailable, start_real_store


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="make realstore", description=__doc__)
    parser.add_argument("--profile", choices=sorted(PROFILES), default="us")
    parser.add_argument("--no-cache", action="store_true", help="build from the archives even if a cached one exists")
    parser.add_argument("--once", action="store_true", help="print the details and stop at once (timing runs)")
    options = parser.parse_args(argv)
    print(f"Starting the {options.profile} store (WordPress 7.1 + WooCommerce 11.0.1)…", flush=True)
    try:
        store = start_real_store(options.profile, use_cache=not options.no_cache)
    except StoreUnavailable as error:
        print(f"Cannot run a real store here: {error}", file=sys.stderr)
        return 2
    try:
        source = "from the cache" if store.from_cache else "built from the archives"
        print(
            f"""
Store ({store.profile}, {source}, {store.timings["total"]} s): {store.url}
  wp-admin:        {store.url}/wp-admin/   user {store.admin_user}   password {store.admin_password}
  REST read_write: consumer key {store.consumer_key}
                   consumer secret {store.consumer_secret}
  REST read:       {store.read_only_key[0]} / {store.read_only_key[1]}
  CA to trust:     {store.ca_bundle}   (STORELENS_STORE_CA_BUNDLE; browsers: import it or ignore the warning)
  Callback host:   Storelens must listen on {store.callback_base_url} with a certificate from that CA
                   (WordPress posts keys to loopback only on the store's own address, port 80, 443 or 8080)
  Database:        {store.db_name} (MariaDB, 127.0.0.1:3306)   WordPress: {store.wp_root}
  Logs:            {store.wp_root}/wp-content/debug.log, {store.run_dir}/logs/
  Timings (s):     {store.timings}
""",
            flush=True,
        )
        if not options.once:
            print("Running; Ctrl-C stops it and drops its database.", flush=True)
            signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
            while True:
                time.sleep(3600)
    except KeyboardInterrupt:
        pass
    finally:
        store.stop()
        print("Stopped.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
