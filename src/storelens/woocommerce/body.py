"""Read a store's answer as JSON, or say precisely what came back instead.

WordPress sites put all sorts of things where JSON should be: PHP notices or a BOM before it (the JSON is still good:
keep it, flag the store), a firewall's challenge page, a maintenance page, the theme's 404, a host's error page.
HTML is never data; each kind becomes the typed error that tells the owner what to do.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from . import fastjson
from .errors import Blocked, DataError, Misconfigured, Retriable, StoreError

_DECODER = json.JSONDecoder()
# What PHP prints when display_errors is on, and stray output from plugins (whitespace, BOMs, closing tags).
_PHP_NOISE = re.compile(
    r"(<br\s*/?>|<b>\s*(warning|notice|deprecated|strict standards|fatal error)\s*</b>|"
    r"\b(php )?(warning|notice|deprecated|strict standards)\s*:|\bon line\b|\?>)",
    re.IGNORECASE,
)
_MAX_TRIES = 64  # candidate JSON starts tried before giving up on a body
_MAX_NOISE = 65536  # PHP notices before the JSON are short; don't hunt for JSON starts deep inside a page
_HTML_START = re.compile(rb"^\s*(<!doctype html|<html|<head|<body|<meta|<title|<!--|<\?xml|<div|<p>|<h1)", re.I)


@dataclass(frozen=True)
class JsonBody:
    data: Any
    noisy: bool  # junk (PHP notices, BOM, stray output) surrounded the JSON


def _is_php_noise(text: str) -> bool:
    stripped = text.strip().replace("\ufeff", "")
    return not stripped or bool(_PHP_NOISE.search(stripped))


def parse_json_lenient(content: bytes) -> JsonBody | None:
    """The JSON in `content`, tolerating PHP notices, BOMs or whitespace around it; None when there is none.

    Junk is accepted only when it looks like PHP output: a whole HTML page that happens to contain `[` is not JSON.
    """
    if content[:1] in (b"[", b"{"):  # the usual answer: a bare JSON document, decoded fast (and exactly)
        data = fastjson.loads_exact(content)
        if data is not fastjson.MISS:
            return JsonBody(data, noisy=False)
    text = content.decode("utf-8", errors="replace")
    stripped = text.lstrip("\ufeff \t\r\n")
    try:
        # A BOM or blank lines before the JSON come from a plugin file with output before `<?php`: flag it.
        return JsonBody(json.loads(stripped), noisy=stripped != text)
    except RecursionError:
        return None  # nested deeper than any WooCommerce answer: not data (and not worth hunting through)
    except ValueError:
        pass
    if re.search(r"<html|<!doctype|<head[\s>]|<body", text[:20000], re.I):
        return None  # a whole web page (challenge, error, theme) is never a noisy JSON answer
    best: tuple[int, Any] | None = None  # (length, data) of the longest JSON followed by PHP noise
    covered = 0  # end of the best JSON so far: brackets inside it are not new starts
    tries = 0
    for match in re.finditer(r"[\[{]", text[:_MAX_NOISE]):
        start = match.start()
        if start < covered:
            continue
        tries += 1
        if tries > _MAX_TRIES:
            break
        prefix = text[:start]
        if not _is_php_noise(prefix):
            if re.search(r"<(?!br\b|b>|/b>)", prefix, re.I):
                break  # real markup before any JSON: an HTML page, not a noisy JSON answer
            continue
        try:
            data, end = _DECODER.raw_decode(text, start)
        except (ValueError, RecursionError):
            continue
        rest = text[end:]
        if not rest.strip():
            return JsonBody(data, noisy=True)
        if _is_php_noise(rest) and (best is None or end - start > best[0]):
            best = (end - start, data)
            covered = end
    if best is not None:
        return JsonBody(best[1], noisy=True)
    return None


def _header(headers: Mapping[str, str], name: str) -> str:
    for key, value in headers.items():
        if key.lower() == name:
            return value
    return ""


def _title(text: str) -> str:
    m = re.search(r"<title[^>]*>(.*?)</title>", text, re.I | re.S)
    return re.sub(r"\s+", " ", m.group(1)).strip() if m else ""


def _waf_fix(vendor: str | None) -> str:
    allow = (
        "allow GET and POST requests to /wp-json/ (and /?rest_route=), the /wc-auth/ approval screen, and "
        "requests whose User-Agent starts with “Storelens/”"
    )
    steps = {
        "Cloudflare": (
            "In Cloudflare go to Security → WAF → Custom rules and add a Skip rule for URI Path starting with "
            "/wp-json/ (on the free plan, turn off Bot Fight Mode, which ignores skip rules); "
        ),
        "SiteGround": "In SiteGround Site Tools → Security → Bot protection (or ask SiteGround support) ",
        "Sucuri": "In the Sucuri dashboard → Firewall → Access Control, allowlist the paths and ",
        "ModSecurity": "Ask your host to relax the ModSecurity rule that fires for these requests, or ",
        "Wordfence": "In Wordfence → Firewall → Allowlisted URLs / Rate Limiting, ",
        "Imunify360": "Ask your host to allowlist Storelens in Imunify360, or ",
    }
    lead = steps.get(vendor or "", "In your firewall or security plugin, ")
    return lead + allow + "."


def detect_firewall(status: int, headers: Mapping[str, str], text: str) -> str | None:
    """The vendor of a firewall/WAF answer, "" when it is one but unrecognisable, None when it is not one."""
    low = text[:20000].lower()
    server = _header(headers, "server").lower()
    if _header(headers, "cf-mitigated").lower() == "challenge":
        return "Cloudflare"
    if "cloudflare" in server and (
        "just a moment" in low
        or "cf-chl" in low
        or "challenge-platform" in low
        or "attention required" in low
        or "cf-error-details" in low
        or status in (403, 429, 503)
    ):
        return "Cloudflare"
    if _header(headers, "sg-captcha") or "sgcaptcha" in low or ".well-known/sgcaptcha" in low:
        return "SiteGround"
    if _header(headers, "x-sucuri-id") or _header(headers, "x-sucuri-block") or "sucuri website firewall" in low:
        return "Sucuri"
    if "wordfence" in low or "your access to this site has been limited" in low:
        return "Wordfence"
    if "mod_security" in low or "modsecurity" in low or "mod security" in low:
        return "ModSecurity"
    if status == 406 and "not acceptable" in low:
        return "ModSecurity"  # the classic ModSecurity refusal page carries no vendor name
    if "imunify360" in low or "imunify" in server:
        return "Imunify360"
    if status in (403, 429) and ("captcha" in low or "access denied" in low or "blocked" in low):
        return ""
    return None


def is_maintenance(content: bytes) -> bool:
    """WordPress's own maintenance answer (`wp_maintenance()`), as HTML or as wp_die's JSON for API clients."""
    return b"briefly unavailable for scheduled maintenance" in content[:20000].lower()


def maintenance_error(status: int, url: str) -> Retriable:
    return Retriable(
        "Your store is in maintenance mode (WordPress is updating or a maintenance plugin is on).",
        code="maintenance",
        fix="Wait for the update to finish. If it lasts, delete the .maintenance file in WordPress's folder.",
        status=status,
        url=url,
    )


def classify_non_json(status: int, headers: Mapping[str, str], content: bytes, url: str) -> StoreError:
    """The typed error for an answer that is not the JSON we asked for (HTML, empty, garbage)."""
    text = content[:200000].decode("utf-8", errors="replace")
    low = text.lower()
    vendor = detect_firewall(status, headers, text)
    if vendor is not None:
        name = vendor or "A firewall or security plugin"
        return Blocked(
            f"{name} in front of your store answered Storelens with a "
            f"{'challenge' if vendor in ('Cloudflare', 'SiteGround') else 'block'} page instead of letting the "
            "request reach WooCommerce.",
            code="waf_challenge",
            fix=_waf_fix(vendor or None),
            status=status,
            url=url,
            vendor=vendor or None,
        )
    if "briefly unavailable for scheduled maintenance" in low or (status == 503 and "maintenance" in low):
        return maintenance_error(status, url)
    if "there has been a critical error on this website" in low or status >= 500:
        title = _title(text)
        return Retriable(
            f"Your store's server failed (HTTP {status}{': ' + title if title else ''}).",
            code="server_error",
            fix="Storelens retries by itself. If it keeps happening, check your hosting's PHP error log.",
            status=status,
            url=url,
        )
    if status == 404:
        return Misconfigured(
            "Your store answered with a “page not found” web page where its REST API should be.",
            code="not_found",
            fix=(
                "Make sure the address is your WordPress site and that the REST API is enabled. If you changed "
                "Settings → Permalinks recently, use Check connection so Storelens finds the API again."
            ),
            status=status,
            url=url,
        )
    if status in (401, 403):
        return Blocked(
            f"Your store refused the request with a web page (HTTP {status}) instead of WooCommerce's answer, "
            "probably from a security plugin or the web server's own rules.",
            code="waf_challenge",
            fix=_waf_fix(None),
            status=status,
            url=url,
        )
    looks_html = bool(_HTML_START.match(content[:512])) or "html" in _header(headers, "content-type").lower()
    if looks_html:
        title = _title(text)
        return DataError(
            f"Your store answered with a web page{' (“' + title + '”)' if title else ''} where WooCommerce's "
            "API data was expected.",
            code="unexpected_html",
            fix=(
                "Check that the store is not in coming-soon or password-protected mode and that no caching plugin "
                "serves pages for /wp-json/ addresses."
            ),
            status=status,
            url=url,
        )
    return Retriable(
        "Your store's answer was empty or cut off instead of the data Storelens asked for.",
        code="bad_response",
        fix="Check your hosting's PHP error log for errors printed by plugins.",
        status=status,
        url=url,
    )
