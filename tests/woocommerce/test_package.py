"""The seam is used from Django, the CLI and benchmarks alike: it must not drag Django or the fake store in."""

from __future__ import annotations

import subprocess
import sys


def test_importing_the_store_seam_loads_neither_django_nor_the_fake_store() -> None:
    code = (
        "import sys, pkgutil, importlib, storelens.woocommerce as w;"
        "[importlib.import_module(f'storelens.woocommerce.{m.name}') for m in pkgutil.iter_modules(w.__path__)];"
        "bad = sorted(m for m in sys.modules if m.split('.')[0] == 'django' or m.startswith('fakestore'));"
        "print(','.join(bad))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60)
    assert out.stdout.strip() == ""
