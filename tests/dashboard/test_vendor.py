"""Vendored front-end libraries are the pinned versions, with their licenses."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

VENDOR = Path(__file__).resolve().parents[2] / "src" / "storelens" / "static" / "vendor"


@pytest.mark.parametrize(
    ("path", "version_marker", "licenses"),
    [
        ("htmx/htmx.min.js", 'version:"2.0.4"', ["htmx/LICENSE"]),
        ("echarts/echarts.min.js", 'version="5.6.0"', ["echarts/LICENSE", "echarts/NOTICE"]),
        (
            "swagger-ui/swagger-ui-bundle.js",
            '"5.36.0"',
            ["swagger-ui/LICENSE", "swagger-ui/NOTICE", "swagger-ui/swagger-ui-bundle.js.LICENSE.txt"],
        ),
        ("swagger-ui/swagger-ui.css", "swagger-ui", ["swagger-ui/LICENSE"]),
    ],
)
def test_vendored_library_is_pinned_and_licensed(path: str, version_marker: str, licenses: list[str]) -> None:
    content = (VENDOR / path).read_text(encoding="utf-8")
    assert version_marker in content
    digest = hashlib.sha256(content.encode("utf-8")).hexdigest()
    assert digest in (VENDOR / "README.md").read_text(encoding="utf-8"), f"{path} changed: update vendor/README.md"
    for license_file in licenses:
        assert (VENDOR / license_file).stat().st_size > 100 or license_file.endswith("NOTICE")
