"""The seeded store, kept between runs: `var/realstore-cache/<key>/` holds the WordPress tree and a database dump.

Installing WordPress, activating WooCommerce and seeding take tens of seconds; loading a dump into a fresh database
takes a few. The key covers everything that shapes the seeded state: the archives' digests, the harness and seed
sources, HARNESS_VERSION, the profile and today's UTC date (the seed places orders relative to today), so a stale
entry is never used. Entries of other days are removed when a new one is written.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import shutil
import subprocess
import tempfile
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from tests.realstore.vendor import REPO_ROOT, vendor_dir

# Bump when the way a store is built changes in a way the hashed files do not show.
HARNESS_VERSION = "1"
CACHE_ROOT = REPO_ROOT / "var" / "realstore-cache"
HERE = Path(__file__).resolve().parent
TREE = "wordpress"
DUMP = "database.sql"
META = "meta.json"


def today() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%d")


BUILDERS = ("vendor.py", "mariadb.py", "servers.py", "tls.py", "wordpress.py", "profiles.py", "store.py", "cache.py")


def sources() -> list[Path]:
    """The files whose content shapes the seeded state: the harness modules that build it, php/ and seed/."""
    files = [HERE / name for name in BUILDERS]
    for folder in ("php", "seed"):
        files += [p for p in (HERE / folder).rglob("*") if p.is_file() and "__pycache__" not in p.parts]
    return sorted(files)


def key(profile: str) -> str:
    digest = hashlib.sha256()
    seed = os.environ.get("STORELENS_REALSTORE_SEED", "")
    digest.update(f"{HARNESS_VERSION}\n{profile}\n{today()}\n{seed}\n".encode())
    digest.update((vendor_dir() / "SHA256SUMS").read_bytes())
    for path in sources():
        digest.update(str(path.relative_to(HERE)).encode() + b"\0" + path.read_bytes() + b"\0")
    return f"{profile}-{today()}-{digest.hexdigest()[:16]}"


def lookup(cache_key: str) -> Path | None:
    entry = CACHE_ROOT / cache_key
    return entry if (entry / META).is_file() else None


def copy_tree(source: Path, target: Path) -> None:
    # cp -a: about half a second for WordPress + WooCommerce's 11,000 files (shutil.copytree takes several).
    subprocess.run(["cp", "-a", str(source), str(target)], check=True)


def save(cache_key: str, wp_root: Path, dump: Path, meta: dict[str, Any]) -> Path:
    """Store a built tree and its dump under `cache_key` (atomically: a parallel run may be writing the same key)."""
    CACHE_ROOT.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".building-", dir=CACHE_ROOT))
    try:
        copy_tree(wp_root, staging / TREE)
        (staging / TREE / "wp-config.php").unlink(missing_ok=True)  # per run: database, URL
        shutil.move(str(dump), staging / DUMP)
        (staging / META).write_text(json.dumps(meta, indent=2))
        entry = CACHE_ROOT / cache_key
        with contextlib.suppress(OSError):  # another run stored the same key first: theirs is as good
            staging.rename(entry)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    prune(keep_date=today())
    return CACHE_ROOT / cache_key


def prune(keep_date: str) -> None:
    """Remove entries built on other days (and building folders left by killed runs)."""
    for entry in CACHE_ROOT.iterdir():
        stale_building = (
            entry.name.startswith(".building-") and entry.stat().st_mtime < datetime.now().timestamp() - 3600
        )
        if stale_building or (not entry.name.startswith(".") and f"-{keep_date}-" not in entry.name):
            shutil.rmtree(entry, ignore_errors=True)
