"""The PHP and WordPress string and URL functions the wc-auth screens run through, reproduced with their quirks.

The links WooCommerce prints (Approve, Deny, the login redirect) and the URLs it validates come out of
`add_query_arg`, `urlencode`, `esc_url` and `FILTER_VALIDATE_URL`; a client that parses those links must meet
exactly what the real functions produce (an `&` in `app_name` truncating it, `+` for spaces in one link and `%20`
in the next), so these are ports, not approximations built on `urllib`.
"""

from __future__ import annotations

import re
from urllib.parse import quote, unquote_plus

# --- PHP encoding ------------------------------------------------------------------------------------------------


def urlencode(value: str) -> str:
    """PHP urlencode(): everything but `A-Za-z0-9-_.` percent-encoded, spaces as `+` (so `~` becomes %7E)."""
    return quote(value, safe=" ").replace("~", "%7E").replace(" ", "+")


def rawurlencode(value: str) -> str:
    """PHP rawurlencode(): RFC 3986, spaces as %20, `~` kept."""
    return quote(value, safe="~")


def urldecode(value: str) -> str:
    return unquote_plus(value)


def parse_str(query: str) -> dict[str, str]:
    """PHP parse_str() for flat keys: later duplicates win, `.` and spaces in names become `_`, leading spaces go."""
    result: dict[str, str] = {}
    for pair in query.split("&"):
        if not pair:
            continue
        name, _, value = pair.partition("=")
        key = urldecode(name).lstrip(" ")
        if not key:
            continue
        key = key.replace(".", "_").replace(" ", "_")
        result.pop(key, None)
        result[key] = urldecode(value)
    return result


def build_query(params: dict[str, str | None]) -> str:
    """WordPress build_query(): keys and values as they are (already encoded), `None` values dropped."""
    return "&".join(f"{k}={v}" for k, v in params.items() if v is not None)


def add_query_arg(args: dict[str, str | int | None], url: str) -> str:
    """WordPress add_query_arg(array, url).

    The query already in `url` is parsed and re-encoded with urlencode (spaces become `+`); the new values are
    appended as they are, unencoded; `name=` with an empty value loses its `=`.
    """
    fragment = ""
    if "#" in url:
        url, fragment = url.split("#", 1)
        fragment = "#" + fragment
    if "?" in url:
        base, query = url.split("?", 1)
        base += "?"
    elif "=" in url and "://" not in url:
        base, query = "", url
    else:
        base, query = url + "?", ""
    params: dict[str, str | None] = {k: urlencode(v) for k, v in parse_str(query).items()}
    for key, value in args.items():
        if value is None:
            params.pop(key, None)
        else:
            params[key] = str(value)
    built = build_query(params).strip("?")
    built = re.sub(r"=(&|$)", r"\1", built)
    out = (base + built + fragment).rstrip("?")
    return out.replace("?#", "#")


def remove_query_arg(key: str, url: str) -> str:
    return add_query_arg({key: None}, url)


# --- WordPress sanitising and escaping --------------------------------------------------------------------------


def wc_clean(value: str) -> str:
    """wc_clean() = sanitize_text_field(): tags stripped, whitespace runs folded, %xx octets removed, trimmed."""
    text = value
    if "<" in text:
        # wp_pre_kses_less_than(): a `<` that does not open a tag is kept, as an entity.
        text = re.sub(
            r"<[^>]*?((?=<)|>|$)", lambda m: m.group(0) if m.group(0).endswith(">") else esc_html(m.group(0)), text
        )
        text = re.sub(r"<(script|style)[^>]*?>.*?</\1>", "", text, flags=re.S | re.I)
        text = re.sub(r"<[^>]*>", "", text)
    text = re.sub(r"[\r\n\t ]+", " ", text).strip()
    found = False
    while True:
        match = re.search(r"%[a-f0-9]{2}", text, flags=re.I)
        if not match:
            break
        text = text.replace(match.group(0), "")
        found = True
    if found:
        text = re.sub(r" +", " ", text).strip()
    return text


def wc_trim_string(value: str, chars: int = 200, suffix: str = "...") -> str:
    if len(value.encode()) > chars:
        return value[: chars - len(suffix)] + suffix
    return value


def esc_html(value: str) -> str:
    """esc_html(): `& < > " '` as entities, existing entities kept."""
    text = re.sub(r"&(?!(?:[a-zA-Z][a-zA-Z0-9]*|#\d+|#x[0-9a-fA-F]+);)", "&amp;", value)
    return text.replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;").replace("'", "&#039;")


esc_attr = esc_html


def esc_url(url: str, display: bool = True) -> str:
    """esc_url() for display (`&` as `&#038;`) or esc_url_raw() (display=False)."""
    if url == "":
        return url
    url = url.lstrip().replace(" ", "%20")
    url = re.sub(r"[^a-z0-9\-~+_.?#=!&;,/:%@$|*'()\[\]\x80-\U0010ffff]", "", url, flags=re.I)
    for bad in ("%0d", "%0a", "%0D", "%0A"):
        while bad in url:
            url = url.replace(bad, "")
    url = url.replace(";//", "://")
    if ":" not in url and url[:1] not in ("/", "#", "?") and not re.match(r"^[a-z0-9-]+?\.php", url, flags=re.I):
        url = "http://" + url
    if display:
        url = url.replace("&amp;", "&").replace("&", "&#038;").replace("'", "&#039;")
    return url


def esc_url_raw(url: str) -> str:
    return esc_url(url, display=False)


def sanitize_redirect(location: str) -> str:
    """wp_sanitize_redirect(): spaces and UTF-8 percent-encoded, anything outside the allowed set removed."""
    location = location.replace(" ", "%20")
    location = "".join(quote(ch, safe="") if ord(ch) > 127 else ch for ch in location)
    location = re.sub(r"[^a-z0-9\-~+_.?#=&;,/:%!*\[\]()@]", "", location, flags=re.I)
    for bad in ("%0d", "%0a", "%0D", "%0A"):
        while bad in location:
            location = location.replace(bad, "")
    return location


# --- PHP's FILTER_VALIDATE_URL ----------------------------------------------------------------------------------

_URL_CHARS = re.compile(r"^[A-Za-z0-9$\-_.+!*'(),{}|\\^~\[\]`<>#%\";/?:@&=]*$")
_HOST_LABEL = re.compile(r"^[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?$")


def parse_url(url: str) -> dict[str, str | int] | None:
    """A small php parse_url(): scheme, user, pass, host, port, path, query, fragment (None when unparsable)."""
    match = re.match(r"^([A-Za-z][A-Za-z0-9+.\-]*):(.*)$", url, flags=re.S)
    if not match:
        return None
    parts: dict[str, str | int] = {"scheme": match.group(1)}
    rest = match.group(2)
    if rest.startswith("//"):
        rest = rest[2:]
        end = len(rest)
        for sep in "/?#":
            pos = rest.find(sep)
            if pos != -1:
                end = min(end, pos)
        authority, rest = rest[:end], rest[end:]
        if "@" in authority:
            userinfo, authority = authority.rsplit("@", 1)
            user, _, password = userinfo.partition(":")
            parts["user"] = user
            if _:
                parts["pass"] = password
        host = authority
        port_match = re.match(r"^(.*):(\d*)$", authority)
        if port_match and not authority.endswith("]"):
            host = port_match.group(1)
            if port_match.group(2):
                port = int(port_match.group(2))
                if port > 65535:
                    return None
                parts["port"] = port
        if host:
            parts["host"] = host
    if "#" in rest:
        rest, parts["fragment"] = rest.split("#", 1)
    if "?" in rest:
        rest, parts["query"] = rest.split("?", 1)
    if rest:
        parts["path"] = rest
    return parts


def filter_validate_url(url: str) -> bool:
    """filter_var($url, FILTER_VALIDATE_URL): only URL-safe ASCII, a scheme, and for http(s) a valid host name."""
    if not _URL_CHARS.match(url):
        return False
    parts = parse_url(url)
    if parts is None or "scheme" not in parts:
        return False
    scheme = str(parts["scheme"]).lower()
    host = parts.get("host")
    if scheme in ("http", "https"):
        if not host:
            return False
        host = str(host)
        if not (host.startswith("[") and host.endswith("]")) and not _valid_hostname(host):
            return False
    elif host is None and scheme not in ("mailto", "news", "file"):
        return False
    for key in ("user", "pass"):
        if key in parts and not re.match(r"^[A-Za-z0-9\-._~!$&'()*+,;=:%]*$", str(parts[key])):
            return False
    return True


def _valid_hostname(host: str) -> bool:
    if host.endswith("."):
        host = host[:-1]
    if not host or len(host) > 253:
        return False
    return all(_HOST_LABEL.match(label) for label in host.split("."))
