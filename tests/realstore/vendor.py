"""The WordPress and WooCommerce archives in the shared folder: where they are, that they are intact, unpacking them.

The shared folder (`../shared` beside the repository; `STORELENS_SHARED_DIR` overrides) is read-only and holds the only
copies: WordPress and WooCommerce are on no registry this machine reaches, so nothing here downloads anything.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]
WORDPRESS_ARCHIVE = "wordpress-7.1.0.tar.gz"
WOOCOMMERCE_ARCHIVE = "woocommerce-11.0.1.tar.gz"


class VendorError(RuntimeError):
    """The archives are missing or do not match SHA256SUMS: the store cannot be built."""


def shared_dir() -> Path:
    """`STORELENS_SHARED_DIR`, else `../shared` beside the repository (as in CI's checkout)."""
    override = os.environ.get("STORELENS_SHARED_DIR")
    return Path(override) if override else REPO_ROOT.parent / "shared"


def vendor_dir() -> Path:
    return shared_dir() / "vendor"


def archives() -> list[Path]:
    """Both archives, checked against SHA256SUMS; raises VendorError saying what to do otherwise."""
    folder = vendor_dir()
    sums_file = folder / "SHA256SUMS"
    if not sums_file.is_file():
        raise VendorError(
            f"{sums_file} is missing: put the shared folder (vendor/ with the WordPress and WooCommerce archives) "
            "beside the repository, or point STORELENS_SHARED_DIR at it"
        )
    expected = {}
    for line in sums_file.read_text().splitlines():
        if line.strip():
            digest, name = line.split()
            expected[name.lstrip("*")] = digest
    paths = []
    for name in (WORDPRESS_ARCHIVE, WOOCOMMERCE_ARCHIVE):
        path = folder / name
        if not path.is_file():
            raise VendorError(f"{path} is missing (listed in {sums_file}?)")
        digest = file_sha256(path)
        if expected.get(name) != digest:
            raise VendorError(f"{path} has SHA-256 {digest}, SHA256SUMS says {expected.get(name)}: the copy is damaged")
        paths.append(path)
    return paths


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def unpack(target: Path) -> Path:
    """Unpack WordPress into `target/wordpress` and WooCommerce into its plugins folder; returns the WordPress root."""
    wordpress, woocommerce = archives()
    target.mkdir(parents=True, exist_ok=True)
    # tar(1) unpacks the 11,000 files in about a second; tarfile takes several.
    subprocess.run(["tar", "-xzf", str(wordpress), "-C", str(target)], check=True)
    root = target / "wordpress"
    subprocess.run(["tar", "-xzf", str(woocommerce), "-C", str(root / "wp-content" / "plugins")], check=True)
    return root
