"""The seeded store, kept between runs: `var/realstore-cache/<key>/` holds a database dump and what the build wrote
into the WordPress tree (`wp-content/uploads/`, `debug.log`, ...).

Installing WordPress, activating WooCommerce and seeding take minutes; loading a dump into a fresh database takes
seconds. The tree itself is not kept: apart from new files in `wp-content`, the build leaves it as the archives have
it (measured with `diff -r` against the unpacked archives), and unpacking them costs what copying 180 MB would.

The key covers everything that shapes the seeded state: the archives' digests, the build sources (BUILDERS, php/,
seed/), HARNESS_VERSION, the profile, STORELENS_REALSTORE_SEED and today's UTC date (the seed places orders relative
to today), so a stale entry is never used. Saving an entry removes the ones it supersedes.
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
WP_CONTENT = "wp-content"
# What the archives put into wp-content; everything else there was written by the build and is kept.
ARCHIVE_CONTENT = frozenset({"plugins", "themes", "index.php", "mu-plugins"})
DUMP = "database.sql"
META = "meta.json"


def today() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%d")


BUILDERS = ("build.py", "profiles.py", "cache.py")


def stores() -> list[Path]:
    """The files whose content shapes the seeded state: the modules that build it, php/ and seed/ (the rest of the
    harness starts servers and talks to the store; editing it keeps the cache)."""
    files = [HERE / name for name in BUILDERS]
    for folder in ("php", "seed"):
        files += [p for p in (HERE / folder).rglob("*") if p.is_file() and "__pycache__" not in p.parts]
    return sorted(files)


def key(profile: str) -> str:
    digest = hashlib.sha256()
    seed = os.environ.get("STORELENS_REALSTORE_SEED", "")
    digest.update(f"{HARNESS_VERSION}\n{profile}\n{today()}\n{seed}\n".encode())
    digest.update((vendor_dir() / "SHA256SUMS").read_bytes())
    for path in stores():
        digest.update(str(path.relative_to(HERE)).encode() + b"\0" + path.read_bytes() + b"\0")
    return f"{profile}-{today()}-{digest.hexdigest()[:16]}"


def lookup(cache_key: str) -> Path | None:
    entry = CACHE_ROOT / cache_key
    return entry if (entry / META).is_file() else None


def copy_into(stores: list[Path], target: Path) -> None:
    target.mkdir(parents=True, exist_ok=True)
    if stores:
        subprocess.run(["cp", "-a", *map(str, stores), str(target)], check=True)


def restore_content(entry: Path, wp_root: Path) -> None:
    """Put the build's own files back into a freshly unpacked tree."""
    copy_into(sorted((entry / WP_CONTENT).iterdir()), wp_root / "wp-content")


def save(cache_key: str, wp_root: Path, dump: Path, meta: dict[str, Any]) -> Path:
    """Store a build's dump and new files under `cache_key` (atomically: a parallel run may write the same key)."""
    CACHE_ROOT.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".building-", dir=CACHE_ROOT))
    try:
        content = wp_root / "wp-content"
        copy_into([p for p in content.iterdir() if p.name not in ARCHIVE_CONTENT], staging / WP_CONTENT)
        shutil.move(str(dump), staging / DUMP)
        (staging / META).write_text(json.dumps(meta, indent=2))
        entry = CACHE_ROOT / cache_key
        with contextlib.suppress(OSError):  # another run stored the same key first: theirs is as good
            staging.rename(entry)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    prune(cache_key)
    return CACHE_ROOT / cache_key


def prune(new_key: str) -> None:
    """Remove what `new_key` supersedes: entries of other days, entries of the same profile older than ten minutes
    (built from other sources; a run may still be copying a younger one), building folders of killed runs."""
    profile = new_key.split("-", 1)[0]
    old = datetime.now().timestamp() - 600
    for entry in CACHE_ROOT.iterdir():
        if entry.name == new_key:
            continue
        if entry.name.startswith("."):
            stale = entry.stat().st_mtime < datetime.now().timestamp() - 3600
        else:
            stale = f"-{today()}-" not in entry.name or (
                entry.name.startswith(f"{profile}-") and entry.stat().st_mtime < old
            )
        if stale:
            shutil.rmtree(entry, ignore_errors=True)
