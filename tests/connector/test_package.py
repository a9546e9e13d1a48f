"""The plugin's files: `php -l` on each (and on the generated config), its header, and the zip of `make plugin`."""

from __future__ import annotations

import re
import shutil
import subprocess
import zipfile
from io import BytesIO
from pathlib import Path

import pytest

from storelens.connector.package import CONFIG_FILE, PLUGIN_DIR, build_zip, config_php, plugin_files
from tests.conftest import service_unavailable


def php() -> str:
    found = shutil.which("php")
    if found is None:
        service_unavailable("php is not installed, so the plugin's files cannot be checked (Debian: php8.2-cli)")
    return str(found)


@pytest.mark.parametrize("path", plugin_files(), ids=lambda p: str(p.relative_to(PLUGIN_DIR)))
def test_every_plugin_file_is_valid_php(path: Path) -> None:
    run = subprocess.run([php(), "-l", str(path)], capture_output=True, text=True, timeout=60)
    assert run.returncode == 0, run.stdout + run.stderr


def test_the_generated_config_is_valid_php_even_with_quotes_in_the_address(tmp_path: Path) -> None:
    config = tmp_path / CONFIG_FILE
    config.write_text(config_php("https://o'brien.example/\\x/"))
    run = subprocess.run([php(), "-l", str(config)], capture_output=True, text=True, timeout=60)
    assert run.returncode == 0, run.stdout + run.stderr
    value = subprocess.run(
        [php(), "-r", f"define('ABSPATH', '/'); $c = include '{config}'; echo $c['url'];"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert value.stdout == "https://o'brien.example/\\x"


def test_the_header_declares_what_issue_13_asks_and_the_version_matches_the_constant() -> None:
    main = (PLUGIN_DIR / "storelens-connector.php").read_text()
    header = dict(re.findall(r"^ \* ([A-Za-z ]+?):\s+(.+)$", main, flags=re.M))
    assert header["Plugin Name"] == "Storelens Connector"
    assert header["License"] == "GPL-2.0-or-later"
    assert (header["Requires PHP"], header["Requires at least"], header["WC requires at least"]) == (
        "8.1",
        "6.5",
        "8.0",
    )
    assert header["Text Domain"] == "storelens-connector"
    assert f"define( 'STORELENS_CONNECTOR_VERSION', '{header['Version']}' );" in main
    assert "declare_compatibility( 'custom_order_tables'" in main


def test_the_zip_has_one_plugin_folder_and_no_address_unless_asked() -> None:
    plain = zipfile.ZipFile(BytesIO(build_zip()))
    assert {name.split("/")[0] for name in plain.namelist()} == {"storelens-connector"}
    assert "storelens-connector/uninstall.php" in plain.namelist()
    assert f"storelens-connector/{CONFIG_FILE}" not in plain.namelist()
    prefilled = zipfile.ZipFile(BytesIO(build_zip("https://storelens.example.com/")))
    assert "'url' => 'https://storelens.example.com'" in prefilled.read(f"storelens-connector/{CONFIG_FILE}").decode()
