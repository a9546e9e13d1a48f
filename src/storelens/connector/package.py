"""The plugin's zip, as WordPress's Plugins → Add New → Upload Plugin takes it: one `storelens-connector/` folder.

`make plugin` builds it without an address (`python -m storelens.connector.package dist/storelens-connector.zip`);
a Storelens instance serves it with `storelens-config.php` added, which prefills the address on the plugin's page.
No Django here, so the build runs without settings.
"""

from __future__ import annotations

import io
import sys
import zipfile
from pathlib import Path

PLUGIN_SLUG = "storelens-connector"
PLUGIN_DIR = Path(__file__).resolve().parents[3] / "plugin" / PLUGIN_SLUG
CONFIG_FILE = "storelens-config.php"


class PluginMissing(RuntimeError):
    """The plugin's source is not next to this Storelens (installed without the repository's plugin/ folder)."""


def plugin_files(source: Path = PLUGIN_DIR) -> list[Path]:
    """Every file of the plugin, dotfiles and a stray config file left out, in a stable order."""
    if not (source / f"{PLUGIN_SLUG}.php").is_file():
        raise PluginMissing(
            f"The Storelens Connector's files are not at {source}: run Storelens from its repository checkout, "
            "which has the plugin/ folder."
        )
    return sorted(
        path
        for path in source.rglob("*")
        if path.is_file()
        and not any(part.startswith(".") for part in path.relative_to(source).parts)
        and path.name != CONFIG_FILE
        and path.suffix != ".zip"
    )


def _php_string(value: str) -> str:
    return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'"


def config_php(storelens_url: str) -> str:
    """The generated file that tells the plugin which Storelens it came from."""
    return (
        "<?php\n"
        "/**\n * Written by Storelens when this copy of the plugin was downloaded: the address it came from.\n"
        " *\n * @package StorelensConnector\n */\n\n"
        "defined( 'ABSPATH' ) || exit;\n\n"
        f"return array( 'url' => {_php_string(storelens_url.rstrip('/'))} );\n"
    )


def build_zip(storelens_url: str = "", source: Path = PLUGIN_DIR) -> bytes:
    """The zip's bytes; with `storelens_url`, the config file that prefills it."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in plugin_files(source):
            archive.write(path, f"{PLUGIN_SLUG}/{path.relative_to(source).as_posix()}")
        if storelens_url:
            archive.writestr(f"{PLUGIN_SLUG}/{CONFIG_FILE}", config_php(storelens_url))
    return buffer.getvalue()


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print("usage: python -m storelens.connector.package OUTPUT.zip", file=sys.stderr)
        return 2
    target = Path(argv[0])
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(build_zip())
    print(f"{target} ({target.stat().st_size} bytes)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
