"""How one fake store is set up: its identity, its data, and how it misbehaves.

One object, shared by every part of the fake (REST, wc-auth screens, webhooks, fault injection), so that a
test or the admin endpoint can change a mode at run time and every part sees it at once.
"""

from __future__ import annotations

from dataclasses import dataclass, field

# Misbehaviours a real WordPress install shows in the wild; names are part of the public CLI.
MODES: frozenset[str] = frozenset(
    {
        "plain-permalinks",  # only ?rest_route= works; /wp-json/... is the theme's 404 HTML
        "waf-cloudflare",  # 403 HTML challenge with cf-mitigated: challenge
        "waf-siteground",  # 202 HTML meta-refresh with SG-Captcha: challenge
        "strip-auth",  # the Authorization header never reaches PHP
        "proxy-no-ssl",  # HTTPS terminated before WordPress: is_ssl() is false
        "rest-disabled",  # a security plugin answers rest_cannot_access
        "maintenance",  # 503 "Briefly unavailable for scheduled maintenance"
        "no-woocommerce",  # WordPress without wc/v3
        "not-wordpress",  # some other web site
        "php-notices",  # PHP warnings printed before the JSON
        "cache",  # a page cache in front of the API and the approval screen
        "legacy-woocommerce",  # ignores modified_after, has no /refunds route
        "storelens-connector",  # the Storelens Connector plugin is active: storelens/v1 routes (rest/connector.py)
    }
)


@dataclass
class Faults:
    """Rates are probabilities per request in [0, 1]; they are drawn from the store's own seeded RNG."""

    latency_ms: float = 0.0
    jitter_ms: float = 0.0
    error_5xx_rate: float = 0.0  # JSON 500 "internal_server_error"
    html_502_rate: float = 0.0  # a proxy's 502 HTML page
    timeout_rate: float = 0.0  # the request hangs for timeout_s, then the connection drops
    reset_rate: float = 0.0  # the connection is closed without an answer
    rate_limit_rate: float = 0.0  # 429 with Retry-After
    retry_after_s: int = 1
    timeout_s: float = 30.0


@dataclass
class FakeStoreConfig:
    home_url: str = "http://127.0.0.1:8080"  # WordPress home URL; set by `serve` to the real listening address
    site_name: str = "Fake Store"
    currency: str = "USD"
    timezone: str = "America/New_York"
    seed: int = 1
    orders: int = 200
    months: int = 12
    subscriptions: bool = False
    admin_user: str = "admin"
    admin_password: str = "password"
    ca_file: str | None = None  # CA bundle used to verify callback and webhook TLS (WordPress's own bundle)
    webhook_delay_s: float = 1.0
    modes: set[str] = field(default_factory=set)
    faults: Faults = field(default_factory=Faults)
    # wc-admin/options: None means unset, which the API reports as `false`.
    analytics_date_type: str | None = None
    analytics_excluded_statuses: list[str] | None = None
    # wp_get_environment_type(): outside "production" WooCommerce 11's wc-admin/options refuses options off its
    # allow-list (such as the excluded statuses) with 403 woocommerce_rest_cannot_view for the whole request.
    environment_type: str = "production"
    # /wc/v3/settings/wc_admin refuses the keys (403) while orders still read: with a non-production environment type
    # the store then tells neither route its excluded statuses, and Storelens must assume them.
    settings_api_refused: bool = False
    dataset_dir: str | None = None  # serve a recorded store instead of generated data
    # Shapes of real stores' buyers (issue 11), drawn from their own RNG so the rest of the data stays as it was:
    # the share of registered customers with a guest order using their e-mail right next to the first of their
    # orders a sync reads (alternately just before their oldest and just after their newest, so in the same page),
    # and the share of e-mails typed in mixed case (customers' accounts, the guest orders borrowing them, and repeat
    # guests writing their e-mail in another case). 0 turns a shape off.
    shared_email_guests: float = 0.1
    mixed_case_emails: float = 0.1
    # "us": prices exclusive of tax, US sales taxes, mostly US buyers. "eu" (an EU store, issue 11): prices entered
    # inclusive of VAT (Germany 19 % and 7 %, Austria 20 % and 10 %, France 20 % and 5.5 %; every fourth product
    # at the reduced rate), mostly German buyers; line amounts are then unrounded (4 decimals with dp=4), as
    # WooCommerce keeps them. Pair it with currency="EUR" and timezone="Europe/Berlin".
    tax_profile: str = "us"
    # Generated history ends at midnight UTC of this date (YYYY-MM-DD); None = today, so data are always recent.
    # Pin it in tests that compare two stores built on different days.
    history_end: str | None = None
    # WordPress's `http_allowed_safe_ports` filter: ports the callback and webhooks may use besides the home port.
    http_allowed_safe_ports: tuple[int, ...] = (80, 443, 8080)
    admin_token: str | None = None  # required by /__fakestore/ when set; otherwise loopback clients only

    def has(self, mode: str) -> bool:
        return mode in self.modes

    def set_modes(self, modes: set[str]) -> None:
        unknown = set(modes) - MODES
        if unknown:
            raise ValueError(f"unknown mode(s): {', '.join(sorted(unknown))}; known: {', '.join(sorted(MODES))}")
        self.modes = set(modes)
