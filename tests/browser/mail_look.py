"""A received e-mail's HTML part opened as a mail client shows it: the steps every mail-look test shares."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any


@contextmanager
def mail_in_chromium(browser: Any, html: str, text: str, folder: Path) -> Iterator[tuple[str, Any]]:
    """Writes both parts to `folder`, opens the HTML in Chromium with JavaScript off (mail clients run none) at 1440
    px, then at 390 px, screenshotting each (desktop.png, phone.png), and checks nothing needs a horizontal scroll on
    the phone. Yields the text shown at desktop width and the page, still open at phone width."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "mail.html").write_text(html, encoding="utf-8")
    (folder / "mail.txt").write_text(text, encoding="utf-8")
    context = browser.new_context(java_script_enabled=False, viewport={"width": 1440, "height": 900})
    try:
        page = context.new_page()
        page.goto((folder / "mail.html").as_uri())
        body = page.inner_text("body")
        page.screenshot(path=str(folder / "desktop.png"), full_page=True)
        page.set_viewport_size({"width": 390, "height": 844})
        page.goto((folder / "mail.html").as_uri())
        page.screenshot(path=str(folder / "phone.png"), full_page=True)
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
        yield body, page
    finally:
        context.close()
