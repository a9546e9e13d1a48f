"""The seeded store, kept between runs: `<cache root>/<key>/` holds a database dump and what the build wrote into the
WordPress tree (`wp-content/uploads/`, `debug.log`, ...).

The cache root is `$STORELENS_REALSTORE_CACHE`, else `$XDG_CACHE_HOME/storelens/realstore`, else
`~/.cache/storelens/realstore`: outside the checkout, so every clone on a machine (and CI's fresh clone, when the
home directory survives) shares it, as pip shares its cache. Sharing is safe because the key is strict (below) and
a build holds a lock on its key (`.<key>.lock`): a second run wanting the same key waits and then loads the first
one's entry instead of building it again.

Installing WordPress, activating WooCommerce and seeding take minutes; loading a dump into a fresh database takes
seconds. The tree itself is not kept: apart from new files in `wp-content`, the build leaves it as the archives have
it (measured with `diff -r` against the unpacked archives), and unpacking them costs what copying 180 MB would.

The key covers everything that shapes the seeded state: the archives' digests, the build sources (BUILDERS, php/,
seed/), HARNESS_VERSION, the profile, STORELENS_REALSTORE_SEED and today's UTC date (the seed places orders relative
to today), so a stale entry is never used. Saving an entry removes the ones it supersedes.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import json
import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from tests.realstore.vendor import vendor_dir

# Bump when the way a store is built changes in a way the hashed files do not show.
HARNESS_VERSION = "1"
HERE = Path(__file__).resolve().parent
WP_CONTENT = "wp-content"
# What the archives put into wp-content; everything else there was written by the build and is kept.
ARCHIVE_CONTENT = frozenset({"plugins", "themes", "index.php", "mu-plugins"})
DUMP = "database.sql"
META = "meta.json"


def cache_root() -> Path:
    """`$STORELENS_REALSTORE_CACHE`, else `${XDG_CACHE_HOME:-~/.cache}/storelens/realstore` (read on every call, so a
    test or a measurement can point it at an empty folder)."""
    override = os.environ.get("STORELENS_REALSTORE_CACHE")
    if override:
        return Path(override).expanduser()
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base).expanduser() / "storelens" / "realstore"


# Entries kept per profile besides today's newest: other clones on the machine may be at other commits (other keys).
KEEP_PER_PROFILE = 4


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
    entry = cache_root() / cache_key
    if not (entry / META).is_file():
        return None
    with contextlib.suppress(OSError):  # used now: prune() keeps the most recently used entries
        os.utime(entry)
    return entry


@contextlib.contextmanager
def building(cache_key: str) -> Iterator[None]:
    """Hold the lock of `cache_key` while building it: parallel builders of the same key (two pytest runs, two clones)
    wait for the first, then find its entry with lookup(). Different keys (profiles) build in parallel. The lock is an
    flock, released by the kernel if the builder is killed."""
    root = cache_root()
    root.mkdir(parents=True, exist_ok=True)
    with open(root / f".{cache_key}.lock", "w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def copy_into(stores: list[Path], target: Path) -> None:
    target.mkdir(parents=True, exist_ok=True)
    if stores:
        subprocess.run(["cp", "-a", *map(str, stores), str(target)], check=True)


def restore_content(entry: Path, wp_root: Path) -> None:
    """Put the build's own files back into a freshly unpacked tree."""
    copy_into(sorted((entry / WP_CONTENT).iterdir()), wp_root / "wp-content")


def save(cache_key: str, wp_root: Path, dump: Path, meta: dict[str, Any]) -> Path:
    """Store a build's dump and new files under `cache_key` (atomically: a parallel run may write the same key)."""
    root = cache_root()
    root.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".building-", dir=root))
    try:
        content = wp_root / "wp-content"
        copy_into([p for p in content.iterdir() if p.name not in ARCHIVE_CONTENT], staging / WP_CONTENT)
        shutil.move(str(dump), staging / DUMP)
        (staging / META).write_text(json.dumps(meta, indent=2))
        entry = root / cache_key
        with contextlib.suppress(OSError):  # another run stored the same key first: theirs is as good
            staging.rename(entry)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    prune(cache_key)
    return root / cache_key


def prune(new_key: str) -> None:
    """Remove what `new_key` supersedes: entries of other days; of today's entries of the same profile (other
    sources: other clones, other commits) all but the KEEP_PER_PROFILE most recently used, and none used in the last
    ten minutes (a run may still be copying it); building folders and locks of killed runs (older than an hour)."""
    root = cache_root()
    profile = new_key.split("-", 1)[0]
    now = datetime.now().timestamp()
    same_profile: list[Path] = []
    for entry in root.iterdir():
        if entry.name == new_key:
            continue
        if entry.name.startswith(".building-"):
            stale = entry.stat().st_mtime < now - 3600
        elif entry.name.startswith("."):  # a key's lock: kept for the day (removing a held one would void it)
            stale = f"-{today()}-" not in entry.name
        elif f"-{today()}-" not in entry.name:
            stale = True
        else:
            if entry.name.startswith(f"{profile}-"):
                same_profile.append(entry)
            continue
        if stale:
            shutil.rmtree(entry, ignore_errors=True) if entry.is_dir() else entry.unlink(missing_ok=True)
    same_profile.sort(key=lambda path: path.stat().st_mtime, reverse=True)
    for entry in same_profile[KEEP_PER_PROFILE - 1 :]:
        if entry.stat().st_mtime < now - 600:
            shutil.rmtree(entry, ignore_errors=True)
