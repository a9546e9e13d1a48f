"""Settings that name files or proxies are checked at start, and Storelens's own files are private (issue 14, #10)."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

from storelens import config
from storelens.config import SettingError
from tests.test_settings import run_storelens


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_a_missing_store_ca_bundle_stops_start_up_with_what_to_do(tmp_path: Path) -> None:
    result = run_storelens(tmp_path, "migrate", STORELENS_STORE_CA_BUNDLE="/nonexistent/ca.pem")
    assert result.returncode == 2
    assert "STORELENS_STORE_CA_BUNDLE='/nonexistent/ca.pem': no such file" in result.stderr


def test_a_store_ca_bundle_without_certificates_is_refused(tmp_path: Path) -> None:
    not_pem = tmp_path / "ca.pem"
    not_pem.write_text("this is not a certificate\n")
    with pytest.raises(SettingError, match="holds no certificate TLS can use"):
        config.ca_bundle("STORELENS_STORE_CA_BUNDLE", environ={"STORELENS_STORE_CA_BUNDLE": str(not_pem)})


def test_a_real_ca_bundle_is_accepted(tmp_path: Path) -> None:
    import trustme

    bundle = tmp_path / "ca.pem"
    trustme.CA().cert_pem.write_to_path(str(bundle))
    assert config.ca_bundle("X", environ={"X": str(bundle)}) == str(bundle.resolve())
    assert config.ca_bundle("X", environ={}) == ""


def test_trusted_proxies_are_addresses_or_networks() -> None:
    parsed = config.env_networks("P", environ={"P": "127.0.0.1, 10.1.2.3/8,::1"})
    assert parsed == ("127.0.0.1/32", "10.0.0.0/8", "::1/128")
    assert config.env_networks("P", environ={}) == ()
    with pytest.raises(SettingError, match=r"'proxy\.local' is not an IP address or network"):
        config.env_networks("P", environ={"P": "proxy.local"})


def test_private_files_are_created_0600_and_tightened_when_older(tmp_path: Path) -> None:
    fresh = config.private_file(tmp_path / "new.sqlite3")
    assert fresh.exists() and mode(fresh) == 0o600
    old = tmp_path / "old.sqlite3"
    old.write_bytes(b"data")
    old.chmod(0o644)
    config.private_file(old)
    assert mode(old) == 0o600 and old.read_bytes() == b"data"


def test_a_fresh_data_directory_gets_a_private_database_and_queue(tmp_path: Path) -> None:
    result = run_storelens(tmp_path, "migrate", "--no-input", "-v", "0")
    assert result.returncode == 0, result.stderr
    files = sorted(p for p in tmp_path.iterdir() if p.name.startswith(("storelens.sqlite3", "queue.sqlite3")))
    assert {p.name for p in files} >= {"storelens.sqlite3", "queue.sqlite3"}
    assert {p.name: mode(p) for p in files} == {p.name: 0o600 for p in files}
