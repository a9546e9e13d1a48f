"""Typed readers for Storelens's environment settings; `storelens.settings` names every variable it reads with them.

Every setting is read once, at start-up, through these helpers so that a wrong value stops Storelens with a message
that names the variable and says what to put there, instead of failing later inside a request. No variable is named
here: settings.py is the one place that says which STORELENS_* exist (the README test reads its names there).
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from django.core.exceptions import ImproperlyConfigured

TRUE_WORDS = frozenset({"1", "true", "yes", "on"})
FALSE_WORDS = frozenset({"0", "false", "no", "off", ""})

# Values people copy from tutorials and templates; a key everybody knows protects nothing.
KNOWN_INSECURE_SECRETS = frozenset(
    {
        "changeme",
        "change-me",
        "secret",
        "secret-key",
        "secretkey",
        "storelens",
        "insecure",
        "dev",
        "development",
        "test",
        "password",
        "xxx",
    }
)
MIN_SECRET_LENGTH = 32


class SettingError(ImproperlyConfigured):
    """A setting holds a value Storelens cannot use; the message says how to fix it."""


def env_str(name: str, default: str = "", environ: Mapping[str, str] | None = None) -> str:
    environ = os.environ if environ is None else environ
    return environ.get(name, default).strip()


def env_bool(name: str, default: bool = False, environ: Mapping[str, str] | None = None) -> bool:
    environ = os.environ if environ is None else environ
    if name not in environ:
        return default
    raw = environ[name].strip().lower()
    if raw in TRUE_WORDS:
        return True
    if raw in FALSE_WORDS:
        return False
    raise SettingError(f"{name}={environ[name]!r} is not a yes/no value: set it to 1 or 0 (true/false also work).")


def env_int(name: str, default: int, *, minimum: int | None = None, environ: Mapping[str, str] | None = None) -> int:
    environ = os.environ if environ is None else environ
    raw = environ.get(name, "").strip()
    if not raw:
        return default
    try:
        value = int(raw)
    except ValueError:
        raise SettingError(f"{name}={raw!r} is not a whole number: set it to e.g. {default}.") from None
    if minimum is not None and value < minimum:
        raise SettingError(f"{name}={value} is too small: it must be at least {minimum}.")
    return value


def env_list(name: str, environ: Mapping[str, str] | None = None) -> list[str]:
    """A comma-separated list; blanks are dropped so a trailing comma is harmless."""
    return [item.strip() for item in env_str(name, "", environ).split(",") if item.strip()]


def env_url(name: str, *, schemes: tuple[str, ...], default: str = "", environ: Mapping[str, str] | None = None) -> str:
    """An absolute URL with one of `schemes`, or "" when unset."""
    raw = env_str(name, default, environ)
    if not raw:
        return ""
    parts = urlsplit(raw)
    if parts.scheme not in schemes or not (parts.netloc or parts.path):
        wanted = " or ".join(f"{scheme}://…" for scheme in schemes)
        raise SettingError(f"{name}={raw!r} is not a URL Storelens understands: it must look like {wanted}.")
    return raw


def public_url(name: str, environ: Mapping[str, str] | None = None) -> str:
    """The public address without a trailing slash; paths and queries would break callback URLs built from it."""
    raw = env_url(name, schemes=("http", "https"), environ=environ)
    if not raw:
        return ""
    parts = urlsplit(raw)
    if not parts.hostname:
        raise SettingError(f"{name}={raw!r} has no host name: use e.g. https://storelens.example.com")
    if parts.query or parts.fragment or parts.path not in ("", "/"):
        raise SettingError(
            f"{name}={raw!r} must be only the scheme, host and port Storelens is reachable at, "
            "e.g. https://storelens.example.com (no path or query)."
        )
    return f"{parts.scheme}://{parts.netloc}"


def egress_ip(name: str, environ: Mapping[str, str] | None = None) -> str:
    """The public IP address Storelens's requests to stores come from, named in firewall fixes ("" when unknown)."""
    import ipaddress

    raw = env_str(name, "", environ)
    if not raw:
        return ""
    try:
        return str(ipaddress.ip_address(raw))
    except ValueError:
        raise SettingError(
            f"{name}={raw!r} is not an IP address: set it to the public address Storelens connects to stores from, "
            "e.g. 203.0.113.7 (or leave it unset)."
        ) from None


def default_data_dir(environ: Mapping[str, str] | None = None) -> Path:
    """Where Storelens keeps its data when STORELENS_DATA_DIR is unset: $XDG_DATA_HOME/storelens, else
    ~/.local/share/storelens (the XDG base-directory default).

    Absolute on purpose: a relative default made every folder an installed `storelens` ran from grow its own
    empty database and keys, so `storelens sources list` from another folder saw no stores.
    """
    environ = os.environ if environ is None else environ
    xdg = environ.get("XDG_DATA_HOME", "").strip()
    # The XDG spec ignores a relative XDG_DATA_HOME, for the same reason.
    base = Path(xdg) if xdg and Path(xdg).is_absolute() else Path.home() / ".local" / "share"
    return base / "storelens"


def data_dir(name: str, environ: Mapping[str, str] | None = None) -> Path:
    """The directory that holds the SQLite files and generated keys; created when missing."""
    configured = env_str(name, "", environ)
    path = (Path(configured).expanduser() if configured else default_data_dir(environ)).resolve()
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise SettingError(
            f"{name}: cannot create the data directory {path} ({exc.strerror}). "
            "Point it at a directory Storelens may write to."
        ) from exc
    if not os.access(path, os.W_OK):
        raise SettingError(f"{name}: the data directory {path} is not writable by this user.")
    return path


def check_secret_key(value: str, name: str) -> str:
    lowered = value.strip().lower()
    if lowered.startswith("django-insecure") or lowered in KNOWN_INSECURE_SECRETS:
        raise SettingError(
            f"{name} is set to a well-known value, which would let anyone forge sessions. "
            f"Unset it to let Storelens generate one in the data directory, or set a random value "
            f"(e.g. python -c 'import secrets; print(secrets.token_urlsafe(50))')."
        )
    if len(value) < MIN_SECRET_LENGTH or len(set(value)) < 8:
        raise SettingError(
            f"{name} is too short or too simple ({len(value)} characters): use at least {MIN_SECRET_LENGTH} "
            "random characters, or unset it to let Storelens generate one in the data directory."
        )
    return value


def read_or_create_key_file(path: Path, make: Callable[[], str]) -> str:
    """Return the key stored at `path`, creating it with `make()` on first use.

    O_EXCL makes two processes starting together (serve and worker) agree on one key instead of each writing its own.
    """
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        value = path.read_text(encoding="ascii").strip()
        if value:
            return value
        # A crash between create and write leaves an empty file; a brand-new key is safe because nothing used it.
        value = make()
        path.write_text(value + "\n", encoding="ascii")
        return value
    value = make()
    with os.fdopen(fd, "w", encoding="ascii") as handle:
        handle.write(value + "\n")
    return value


def env_ports(name: str, environ: Mapping[str, str] | None = None) -> tuple[int, ...]:
    """Comma-separated port numbers (e.g. 8443,9443); () when unset."""
    raw = env_list(name, environ)
    try:
        return tuple(int(item) for item in raw)
    except ValueError:
        raise SettingError(
            f"{name}={','.join(raw)!r} must be port numbers separated by commas, e.g. 8443,9443."
        ) from None


def secret_key(name: str, directory: Path, environ: Mapping[str, str] | None = None) -> str:
    """The value of `name`, else a key generated once into the data directory."""
    configured = env_str(name, "", environ)
    if configured:
        return check_secret_key(configured, name)
    stored = read_or_create_key_file(directory / "secret_key", lambda: secrets.token_urlsafe(50))
    return check_secret_key(stored, name=f"The secret key in {directory / 'secret_key'}")


def encryption_key(name: str, directory: Path, environ: Mapping[str, str] | None = None) -> str:
    """The Fernet key that encrypts store credentials at rest: the value of `name`, else one generated once."""
    from cryptography.fernet import Fernet

    configured = env_str(name, "", environ)
    source = name
    if not configured:
        configured = read_or_create_key_file(directory / "encryption_key", lambda: Fernet.generate_key().decode())
        source = f"The encryption key in {directory / 'encryption_key'}"
    try:
        Fernet(configured.encode())
    except (ValueError, TypeError):
        raise SettingError(
            f"{source} is not a Fernet key (32 url-safe base64-encoded bytes). Generate one with "
            "python -c 'from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())'."
        ) from None
    return configured


def env_file(name: str, environ: Mapping[str, str] | None = None) -> str:
    """The path of an existing, readable file, or "" when unset: a typo must stop start-up, not the first request."""
    raw = env_str(name, "", environ)
    if not raw:
        return ""
    path = Path(raw).expanduser()
    if not path.is_file():
        raise SettingError(f"{name}={raw!r}: no such file. Point it at an existing file, or unset it.")
    if not os.access(path, os.R_OK):
        raise SettingError(f"{name}={raw!r}: this user cannot read the file. Fix its permissions, or unset it.")
    return str(path.resolve())


def ca_bundle(name: str, environ: Mapping[str, str] | None = None) -> str:
    """A PEM file of certificate authorities (`env_file`) that TLS can load, or "" when unset."""
    import ssl

    path = env_file(name, environ)
    if path:
        try:
            ssl.create_default_context(cafile=path)
        except (ssl.SSLError, ValueError) as exc:
            raise SettingError(
                f"{name}={path!r} holds no certificate TLS can use ({exc}): it must be a PEM file of CA certificates "
                "(-----BEGIN CERTIFICATE-----)."
            ) from None
    return path


def env_networks(name: str, environ: Mapping[str, str] | None = None) -> tuple[str, ...]:
    """Comma-separated IP addresses or networks (e.g. 127.0.0.1,10.0.0.0/8), normalised; () when unset."""
    import ipaddress

    networks = []
    for item in env_list(name, environ):
        try:
            networks.append(str(ipaddress.ip_network(item, strict=False)))
        except ValueError:
            raise SettingError(
                f"{name}: {item!r} is not an IP address or network. List the addresses of your reverse proxies, "
                "e.g. 127.0.0.1 or 10.0.0.0/8, separated by commas."
            ) from None
    return tuple(networks)


def private_file(path: Path) -> Path:
    """Make sure `path` exists and only its owner may read it (0600), like the key files.

    SQLite creates its -wal and -shm files with the database file's mode, so creating the database here first keeps
    all three private; an older install's 0644 file is tightened at start.
    """
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        if path.stat().st_mode & 0o077 and path.stat().st_uid == os.getuid():
            path.chmod(0o600)
    except OSError as exc:
        raise SettingError(f"Cannot create {path} ({exc.strerror}): check the data directory's permissions.") from exc
    else:
        os.close(fd)
    return path


SMTP_SCHEMES = {"smtp": 25, "smtps": 465}
SMTP_OPTIONS = frozenset({"from", "starttls", "timeout"})


@dataclass(frozen=True)
class SmtpSettings:
    """Where e-mail digests go out: parsed from STORELENS_SMTP_URL by `parse_smtp_url`."""

    host: str
    port: int
    username: str
    password: str
    use_ssl: bool  # smtps://: TLS from the first byte
    use_tls: bool  # smtp://…?starttls=1: STARTTLS after connecting
    sender: str
    timeout: int


def parse_smtp_url(name: str, raw: str) -> SmtpSettings:
    """smtp://user:password@host:port?from=…&starttls=1, or smtps://… (TLS from the start); `name` is the variable
    named in errors. User and password may be percent-encoded (an @ in a password is %40)."""
    from email.utils import parseaddr
    from urllib.parse import parse_qs, unquote

    parts = urlsplit(raw)
    if parts.scheme not in SMTP_SCHEMES or not parts.hostname:
        raise SettingError(
            f"{name}={raw!r} is not an SMTP address: use smtp://user:password@host:587?starttls=1&from=you@example.com "
            "or smtps://user:password@host:465 (or leave it unset: no e-mail digests)."
        )
    try:
        port = parts.port or SMTP_SCHEMES[parts.scheme]
    except ValueError:
        raise SettingError(f"{name}={raw!r}: the port is not a number between 1 and 65535.") from None
    query = parse_qs(parts.query, keep_blank_values=True)
    unknown = sorted(set(query) - SMTP_OPTIONS)
    if unknown:
        raise SettingError(
            f"{name}: unknown option {', '.join(unknown)}; it understands from=, starttls= and timeout=."
        )
    option = {key: values[-1].strip() for key, values in query.items()}
    sender = option.get("from", "") or f"storelens@{parts.hostname}"
    if "@" not in parseaddr(sender)[1]:
        raise SettingError(f"{name}: from={sender!r} is not an e-mail address: use e.g. from=reports@example.com.")
    starttls = option.get("starttls", "0").lower()
    if starttls not in TRUE_WORDS | FALSE_WORDS:
        raise SettingError(f"{name}: starttls={starttls!r} must be 1 or 0.")
    if parts.scheme == "smtps" and starttls in TRUE_WORDS:
        raise SettingError(f"{name}: smtps:// already speaks TLS; drop starttls=1 (or use smtp://…?starttls=1).")
    timeout = option.get("timeout", "30")
    if not timeout.isdigit() or int(timeout) < 1:
        raise SettingError(f"{name}: timeout={timeout!r} must be a whole number of seconds, e.g. 30.")
    return SmtpSettings(
        host=parts.hostname,
        port=port,
        username=unquote(parts.username or ""),
        password=unquote(parts.password or ""),
        use_ssl=parts.scheme == "smtps",
        use_tls=starttls in TRUE_WORDS,
        sender=sender,
        timeout=int(timeout),
    )


def smtp_url(name: str, environ: Mapping[str, str] | None = None) -> str:
    """The SMTP address e-mail digests are sent through, checked at start (`parse_smtp_url`); "" when unset."""
    raw = env_str(name, "", environ)
    if raw:
        parse_smtp_url(name, raw)
    return raw
