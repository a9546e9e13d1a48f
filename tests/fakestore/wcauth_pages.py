"""Reading the wc-auth screens the way the capture tool did: wp_die message and title, h1, permissions, links."""

from __future__ import annotations

import html
import json
import re
from pathlib import Path
from typing import Any

CAPTURES = Path("/work/shared/woocommerce/captures")


def capture(name: str) -> dict[str, Any]:
    return json.loads((CAPTURES / name).read_text())


def _text(fragment: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", "", fragment)).strip()


def wp_die_message(page: str) -> str:
    match = re.search(r'<div class="wp-die-message">(.*?)</div>', page, flags=re.S)
    assert match, f"not a wp_die page: {page[:300]}"
    return _text(match.group(1))


def title(page: str) -> str:
    match = re.search(r"<title>(.*?)</title>", page, flags=re.S)
    return _text(match.group(1)) if match else ""


def h1(page: str) -> str:
    headings = re.findall(r"<h1>(.*?)</h1>", page, flags=re.S)
    return _text(headings[-1]) if headings else ""


def permissions(page: str) -> list[str]:
    block = re.search(r'<ul class="wc-auth-permissions">(.*?)</ul>', page, flags=re.S)
    return [_text(li) for li in re.findall(r"<li>(.*?)</li>", block.group(1), flags=re.S)] if block else []


def link(page: str, css_class: str) -> str:
    match = re.search(rf'<a href="([^"]*)" class="[^"]*{css_class}[^"]*"', page)
    assert match, f"no {css_class} link in {page[:500]}"
    return html.unescape(match.group(1))


def form_fields(page: str) -> list[str]:
    return re.findall(r'<(?:input|button)[^>]*\bname="([^"]+)"', page)


def hidden(page: str, name: str) -> str:
    match = re.search(rf'name="{re.escape(name)}" value="([^"]*)"', page)
    assert match, f"no field {name}"
    return html.unescape(match.group(1))


def without_nonce(url: str) -> str:
    return re.sub(r"&wc_auth_nonce=[0-9a-f]{10}$", "&wc_auth_nonce=<nonce>", url)


def grant_text(page: str) -> str:
    """The capture tool's rendering of "This will give …": tags replaced by spaces around their text."""
    match = re.search(r"<p>\s*(This will give .*?)</p>", page, flags=re.S)
    assert match
    return html.unescape(re.sub(r"<[^>]+>", " ", match.group(1))).strip()


def share_text(page: str) -> str:
    match = re.search(r"<p>\s*(Approving will share .*?)</p>", page, flags=re.S)
    assert match
    return html.unescape(re.sub(r"<[^>]+>", " ", match.group(1))).strip()
