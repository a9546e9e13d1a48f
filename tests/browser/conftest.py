"""Every browser walk runs with Storelens's Content-Security-Policy on and fails on any violation Chromium reports.

Chromium reports a blocked script or style twice: as a console error ("Refused to … because it violates the following
Content Security Policy directive") and as a `securitypolicyviolation` event in the page, which an init script turns
into a console line too. Either ends the test with the list, so a new inline `<script>`, `onclick=` or `eval` is
caught by the walk that shows its page (storelens.server.security).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

REPORTER = """
document.addEventListener("securitypolicyviolation", (event) => {
  console.error(`CSP violation: ${event.violatedDirective} blocked ${event.blockedURI || "inline"} `
    + `at ${event.sourceFile || document.location.href}:${event.lineNumber}`);
});
"""


def is_csp_violation(text: str) -> bool:
    return text.startswith("CSP violation:") or "Content Security Policy" in text


@pytest.fixture
def csp_violations() -> list[str]:
    """What the browser refused under the CSP during this test (the page fixture fills it)."""
    return []


@pytest.fixture
def browser_page(chromium_browser: Any, csp_violations: list[str]) -> Iterator[Any]:
    """A fresh browser context (no cookies) and page, 1280×800, accepting the test CA's self-signed certificates,
    watching for CSP violations on every page it opens."""
    context = chromium_browser.new_context(viewport={"width": 1280, "height": 800}, ignore_https_errors=True)
    context.set_default_timeout(15_000)
    context.add_init_script(REPORTER)

    def watch(page: Any) -> None:
        page.on(
            "console",
            lambda message: (
                csp_violations.append(f"{page.url}: {message.text}") if is_csp_violation(message.text) else None
            ),
        )

    context.on("page", watch)
    page = context.new_page()
    yield page
    context.close()
    assert not csp_violations, "The Content-Security-Policy blocked something:\n" + "\n".join(csp_violations)
