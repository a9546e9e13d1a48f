"""HTTPS for the store and for the Storelens callback server, from one throw-away trustme CA per store.

WordPress checks outgoing HTTPS (the key callback, webhooks) against its own bundle
`wp-includes/certificates/ca-bundle.crt`, not the system's, so the CA is appended there; Storelens reads the CA PEM
through `STORELENS_STORE_CA_BUNDLE`.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import trustme


@dataclass
class CertFiles:
    cert: Path  # chain PEM (leaf first)
    key: Path


def issue(ca: trustme.CA, host: str, folder: Path, name: str) -> CertFiles:
    """A certificate for `host` (and localhost) written as `name`-cert.pem / `name`-key.pem in `folder`."""
    leaf = ca.issue_cert(host, "localhost")
    files = CertFiles(folder / f"{name}-cert.pem", folder / f"{name}-key.pem")
    files.cert.write_bytes(b"".join(blob.bytes() for blob in leaf.cert_chain_pems))
    files.key.write_bytes(leaf.private_key_pem.bytes())
    files.key.chmod(0o600)
    return files


def trust_in_wordpress(ca: trustme.CA, wp_root: Path) -> None:
    """Append the CA to WordPress's own bundle (a new file: the tree may share its inode with a cache copy)."""
    bundle = wp_root / "wp-includes" / "certificates" / "ca-bundle.crt"
    original = bundle.read_bytes()
    marker = b"\n# Storelens test CA\n"
    if marker in original:
        original = original[: original.index(marker)]
    bundle.unlink()
    bundle.write_bytes(original + marker + ca.cert_pem.bytes())
