"""Django settings for Storelens, read from STORELENS_* environment variables.

Everything a deployment can change is an environment variable read here through the typed helpers in
`storelens.config`, validated at import so a bad value stops start-up with a message that says what to fix.
The README documents each variable (a test fails when one is missing there).
"""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url

from storelens.config import (
    SettingError,
    ca_bundle,
    data_dir,
    egress_ip,
    encryption_key,
    env_bool,
    env_int,
    env_list,
    env_networks,
    env_ports,
    env_str,
    env_url,
    private_file,
    public_url,
    secret_key,
    smtp_url,
)

# --- Storelens's own settings (documented in the README) -------------------------------------------------------------

STORELENS_DATA_DIR = data_dir("STORELENS_DATA_DIR")
STORELENS_DEBUG = env_bool("STORELENS_DEBUG", False)
STORELENS_PUBLIC_URL = public_url("STORELENS_PUBLIC_URL")
STORELENS_ALLOW_PRIVATE_STORES = env_bool("STORELENS_ALLOW_PRIVATE_STORES", False)
STORELENS_ALLOWED_HOSTS = env_list("STORELENS_ALLOWED_HOSTS")
# Extra CA bundle trusted for store HTTPS (a store behind a private CA; tests trust the fake store's CA with it).
STORELENS_STORE_CA_BUNDLE = ca_bundle("STORELENS_STORE_CA_BUNDLE")
# The sync: seconds between incremental passes and between reconciliations, requests in flight
# per store, and the lag overlap re-read by every incremental pass.
STORELENS_SYNC_INTERVAL = env_int("STORELENS_SYNC_INTERVAL", 300, minimum=30)
STORELENS_RECONCILE_INTERVAL = env_int("STORELENS_RECONCILE_INTERVAL", 3600, minimum=300)
STORELENS_STORE_CONCURRENCY = env_int("STORELENS_STORE_CONCURRENCY", 4, minimum=1)
STORELENS_SYNC_LAG_OVERLAP = env_int("STORELENS_SYNC_LAG_OVERLAP", 600, minimum=0)
STORELENS_SYNC_LEASE_TTL = env_int("STORELENS_SYNC_LEASE_TTL", 60, minimum=5)
# Named in firewall fixes ("allow requests from …") when set (storelens.doctor).
STORELENS_EGRESS_IP = egress_ip("STORELENS_EGRESS_IP")
STORELENS_OPEN_SIGNUP = env_bool("STORELENS_OPEN_SIGNUP", False)
STORELENS_DATABASE_URL = env_url(
    "STORELENS_DATABASE_URL", schemes=("postgres", "postgresql", "pgsql", "postgis", "sqlite")
)
STORELENS_QUEUE_URL = env_url("STORELENS_QUEUE_URL", schemes=("redis", "rediss", "unix", "sqlite"))
STORELENS_ENCRYPTION_KEY = encryption_key("STORELENS_ENCRYPTION_KEY", STORELENS_DATA_DIR)
# Ports besides 443/80/8080 the stores accept for the wc-auth callback (a plugin extends http_allowed_safe_ports).
STORELENS_CALLBACK_ALLOWED_PORTS = env_ports("STORELENS_CALLBACK_ALLOWED_PORTS")
STORELENS_LOGIN_FAILURE_LIMIT = env_int("STORELENS_LOGIN_FAILURE_LIMIT", 5, minimum=1)
# Reverse proxies whose X-Forwarded-For/-Proto `storelens serve` believes (none by default: clients can forge them).
STORELENS_TRUSTED_PROXIES = env_networks("STORELENS_TRUSTED_PROXIES")
# Largest request body in bytes, checked in the ASGI layer before anything is buffered (storelens.server.bodylimit);
# store webhooks (a big order) get their own, larger limit.
STORELENS_MAX_REQUEST_BODY = env_int("STORELENS_MAX_REQUEST_BODY", 1024 * 1024, minimum=16 * 1024)
STORELENS_MAX_WEBHOOK_BODY = env_int("STORELENS_MAX_WEBHOOK_BODY", 32 * 1024 * 1024, minimum=64 * 1024)
# Where e-mail digests are sent through (storelens.dashboard.digest_mail); unset: no digests, Settings says so.
STORELENS_SMTP_URL = smtp_url("STORELENS_SMTP_URL")
# Test-suite only: "postgres" runs the suite on PostgreSQL (see the Makefile); empty or "sqlite" keeps SQLite.
STORELENS_TEST_DATABASE = env_str("STORELENS_TEST_DATABASE", "").lower()

# --- Django ----------------------------------------------------------------------------------------------------------

SECRET_KEY = secret_key("STORELENS_SECRET_KEY", STORELENS_DATA_DIR)
DEBUG = STORELENS_DEBUG

ALLOWED_HOSTS = ["127.0.0.1", "localhost", "[::1]", *STORELENS_ALLOWED_HOSTS]
CSRF_TRUSTED_ORIGINS: list[str] = []
if STORELENS_PUBLIC_URL:
    ALLOWED_HOSTS.append(urlsplit(STORELENS_PUBLIC_URL).hostname or "")
    CSRF_TRUSTED_ORIGINS.append(STORELENS_PUBLIC_URL)
    if STORELENS_PUBLIC_URL.startswith("https://") and not STORELENS_TRUSTED_PROXIES:
        # Behind a TLS-terminating proxy the request looks like http; the proxy says otherwise in this header.
        # With STORELENS_TRUSTED_PROXIES set, uvicorn reads it, from those proxies only.
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "axes",
    "huey.contrib.djhuey",
    "storelens.mail",  # the SMTP connection and the one layout of every e-mail (digests, alerts)
    "storelens.server",
    "storelens.doctor",  # connection checks (storelens doctor, Check connection), help pages, attention banner
    "storelens.accounts",
    "storelens.stores",
    "storelens.commerce",
    "storelens.sync",
    "storelens.analytics",
    "storelens.connector",  # the Storelens Connector WordPress plugin: connect from wp-admin, status, zip
    "storelens.alerts",  # orders stopped, refund spike, store down, day far above normal: in-app, e-mail, webhook
    "storelens.dashboard",
    "storelens.api",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Content-Security-Policy on every page; session and CSRF cookies Secure on every HTTPS request.
    "storelens.server.security.SecurityHeadersMiddleware",
    # A NUL in the path, the query or a form answers 400 (422 in the API) before any view reads it.
    "storelens.server.request_checks.RejectNulMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "storelens.accounts.middleware.WorkspaceMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Axes must come last: it turns a lockout raised by the authentication backend into its response.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "storelens.urls"
ASGI_APPLICATION = "storelens.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "storelens.dashboard.context.shell",
                "storelens.doctor.context.attention",
                "storelens.alerts.context.alerts",
            ],
        },
    },
]


def _sqlite(name: str) -> dict[str, object]:
    """SQLite tuned for one writer and many readers: WAL, a busy timeout, and IMMEDIATE transactions.

    IMMEDIATE takes the write lock when a transaction starts, so two writers queue on the busy timeout instead of
    one failing with "database is locked" when it upgrades a read lock half-way through. The file is created 0600
    (its -wal and -shm files follow), like the keys beside it.
    """
    if name and name != ":memory:" and Path(name).parent.is_dir():
        private_file(Path(name))
    return {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": name,
        "OPTIONS": {
            "timeout": 20,
            "transaction_mode": "IMMEDIATE",
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        },
    }


def _database(url: str) -> dict[str, object]:
    if not url:
        return _sqlite(str(STORELENS_DATA_DIR / "storelens.sqlite3"))
    if url.startswith("sqlite"):
        parsed = dj_database_url.parse(url)
        return _sqlite(str(parsed["NAME"]) or str(STORELENS_DATA_DIR / "storelens.sqlite3"))
    # No persistent connections: under ASGI each request may run in a different thread.
    config = dict(dj_database_url.parse(url, conn_max_age=0, conn_health_checks=True))
    if not config.get("NAME"):
        raise SettingError(f"STORELENS_DATABASE_URL={url!r} names no database: add it, e.g. …:5432/storelens")
    return config


if STORELENS_TEST_DATABASE not in ("", "sqlite", "postgres"):
    raise SettingError(f"STORELENS_TEST_DATABASE={STORELENS_TEST_DATABASE!r}: use postgres, sqlite, or leave it unset.")
if STORELENS_TEST_DATABASE == "postgres":
    _test_url = STORELENS_DATABASE_URL if STORELENS_DATABASE_URL.startswith("postgres") else ""
    DATABASES = {"default": _database(_test_url or "postgres://postgres@127.0.0.1:5432/postgres")}
    # One test database per run, so engineers and CI running the suite side by side never drop each other's.
    DATABASES["default"]["TEST"] = {"NAME": f"test_storelens_{os.getpid()}"}
else:
    DATABASES = {"default": _database(STORELENS_DATABASE_URL)}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "dashboard:home"
LOGOUT_REDIRECT_URL = "accounts:login"

SESSION_COOKIE_HTTPONLY = True
# Over HTTPS the cookies are Secure (also per request, for `serve --tls-cert`: storelens.server.security), and
# browsers are told to come back over HTTPS only (HSTS, sent on HTTPS answers only).
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = STORELENS_PUBLIC_URL.startswith("https://")
SECURE_HSTS_SECONDS = 365 * 24 * 60 * 60
# Django's own cap on request.body must not undercut the ASGI layer's webhook limit.
DATA_UPLOAD_MAX_MEMORY_SIZE = max(STORELENS_MAX_REQUEST_BODY, STORELENS_MAX_WEBHOOK_BODY)
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = 60 * 60 * 24 * 14
CSRF_COOKIE_SAMESITE = "Lax"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

# Throttled sign-in: after N failures for one e-mail from one address, that pair waits before trying again.
AXES_ENABLED = True
AXES_FAILURE_LIMIT = STORELENS_LOGIN_FAILURE_LIMIT
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
# The sign-in form posts the e-mail as "username" (Django's AuthenticationForm); axes would look for "email".
AXES_USERNAME_FORM_FIELD = "username"
# Counted per e-mail as sign-in matches it (any case, no spaces), or each spelling would get fresh guesses.
AXES_USERNAME_CALLABLE = "storelens.accounts.lockout.lockout_username"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked.html"
AXES_VERBOSE = False

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
# Vendored libraries (htmx, ECharts) live in the package's own static/ directory; app static files in each app.
STATICFILES_DIRS = [Path(__file__).resolve().parent / "static"]
# Serve straight from the package: no collectstatic step for a self-hosted install.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

QUEUE_NAME = "storelens"


def huey_settings(queue_url: str, data_dir: Path, *, name: str = QUEUE_NAME) -> dict[str, object]:
    """The `HUEY` setting djhuey builds its queue from: SQLite in the data directory by default; Redis (with task
    priorities) for `redis://`, `rediss://` and `unix://` URLs."""
    common: dict[str, object] = {
        "name": name,
        "immediate": False,
        "utc": True,
        # The in-process consumer of `storelens serve` and `storelens worker` read these.
        "consumer": {"workers": 2, "worker_type": "thread", "periodic": True, "shutdown_timeout": 30},
    }
    if not queue_url:
        return {**common, "huey_class": "huey.SqliteHuey", "filename": str(data_dir / "queue.sqlite3")}
    scheme = urlsplit(queue_url).scheme
    if scheme in ("redis", "rediss", "unix"):
        return {**common, "huey_class": "huey.PriorityRedisHuey", "url": queue_url}
    if scheme == "sqlite":
        path = queue_url.removeprefix("sqlite:///").removeprefix("sqlite://")
        return {**common, "huey_class": "huey.SqliteHuey", "filename": path or str(data_dir / "queue.sqlite3")}
    raise SettingError(
        f"STORELENS_QUEUE_URL={queue_url!r} is not supported: use redis://host:6379/0, or unset it to keep the queue "
        "in SQLite in the data directory."
    )


HUEY = huey_settings(STORELENS_QUEUE_URL, STORELENS_DATA_DIR)
if HUEY.get("filename") and Path(str(HUEY["filename"])).parent.is_dir():
    private_file(Path(str(HUEY["filename"])))  # jobs carry store ids and URLs: as private as the database

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": "INFO" if not DEBUG else "DEBUG"},
    "loggers": {
        "django.db.backends": {"level": "INFO"},
        "axes": {"level": "WARNING"},
        # One line per job run: `--verbose` shows them (storelens.server.logs), warnings and errors always.
        "huey": {"level": "WARNING"},
    },
}
