"""Building a seeded store from scratch: install WordPress, activate WooCommerce, apply the profile, seed, settle.

This module, profiles.py, php/ and seed/ are what the seeded state depends on: the cache key hashes them (cache.py),
so an edit here rebuilds the cached store and an edit elsewhere in the harness does not.
"""

from __future__ import annotations

import json
import os
import secrets
from pathlib import Path
from typing import Any

from tests.realstore.profiles import Profile
from tests.realstore.wordpress import PHP_DIR, PhpRunner

SEED_DIR = Path(__file__).resolve().parent / "seed"
ADMIN_USER = "admin"
ADMIN_EMAIL = "admin@example.com"


def seed_script() -> Path | None:
    """`seed/seed.php` (the realistic seed), unless absent or STORELENS_REALSTORE_SEED=minimal asks for 3 orders."""
    script = SEED_DIR / "seed.php"
    if os.environ.get("STORELENS_REALSTORE_SEED") == "minimal":
        return None
    return script if script.is_file() else None


def build(profile: Profile, runner: PhpRunner, timings: dict[str, float], lap: Any) -> None:
    """Install WordPress, activate WooCommerce, apply the profile, seed and let the queue settle."""
    install_password = secrets.token_urlsafe(12)  # replaced by per_run.php on every run
    runner.run_file(PHP_DIR / "install.php", profile.title, ADMIN_USER, ADMIN_EMAIL, install_password, installing=True)
    lap("install WordPress")
    runner.run_file(PHP_DIR / "activate.php", timeout=300)
    lap("activate WooCommerce")
    runner.run_file(PHP_DIR / "configure.php", input=json.dumps(profile.configuration()))
    lap("configure")
    script = seed_script()
    if script:
        runner.run_file(script, profile.name, timeout=900)
    else:
        runner.run_file(PHP_DIR / "seed_minimal.php", profile.name)
    lap("seed")
    runner.run_file(PHP_DIR / "run_queue.php", timeout=900)
    lap("queue")
