"""The checks `storelens doctor` and the Check connection button run: each store failure found, named and fixed.

Every request to a store goes through the store seam (`discover`, `describe_store`, `StoreClient`): its typed errors
and findings (auth ladder rungs, cached answers, PHP noise) are turned into catalogue problems here. The engine knows
nothing of Django; `storelens.doctor.runner` feeds it Storelens's settings.

A check that cannot run (the site did not answer, no keys) is left out of `checked`, so a report never claims what it
did not look at.
"""

from __future__ import annotations

import dataclasses
import re
import statistics
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import httpx

from storelens.stores import problems
from storelens.stores.callback_rules import gethostbyname
from storelens.stores.problems import ERROR, WARNING
from storelens.woocommerce.addresses import RestRoot
from storelens.woocommerce.analytics_settings import (
    DATE_TYPE,
    DEFAULT_EXCLUDED_STATUSES,
    EXCLUDED_STATUSES,
    AnalyticsSettings,
    Origin,
)
from storelens.woocommerce.auth import AuthMethod, Credentials
from storelens.woocommerce.client import ClientConfig, StoreClient, served_from_cache
from storelens.woocommerce.discovery import SiteInfo, discover
from storelens.woocommerce.errors import StoreError, StoreWarning
from storelens.woocommerce.retry import RetryPolicy, Sleep
from storelens.woocommerce.store_details import StoreDetails, describe_store

from .callback_check import callback_finding
from .connector_findings import connector_findings

SLOW_SECONDS = 5.0  # median time of a page of 100 orders above which a store is `slow`
SPEED_SAMPLES = 3  # pages timed
LEGACY_BEFORE = (5, 8)  # WooCommerce learned modified_after in 5.8


@dataclass(frozen=True)
class Problem:
    code: str
    severity: str
    message: str
    fix: str
    title: str = ""  # for a problem the catalogue has no entry for (its entry's title wins)

    def as_dict(self) -> dict[str, str]:
        return {"code": self.code, "severity": self.severity, "message": self.message, "fix": self.fix}


@dataclass
class Report:
    url: str
    problems: list[Problem] = field(default_factory=list)
    checked: list[str] = field(default_factory=list)
    site: SiteInfo | None = None  # what discovery found, when it worked
    details: StoreDetails | None = None  # what the keys revealed, when they worked
    auth_method: AuthMethod | None = None
    failure: StoreError | None = None  # the seam error that stops Storelens from syncing this store, if any

    def as_json(self) -> dict[str, Any]:
        """The doctor's JSON form, exactly: url, problems, checked."""
        return {"url": self.url, "problems": [p.as_dict() for p in self.problems], "checked": list(self.checked)}

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == ERROR]

    def codes(self) -> list[str]:
        return [p.code for p in self.problems]

    def add(self, problem: Problem) -> None:
        if problem.code not in self.codes():
            self.problems.append(problem)


@dataclass
class CheckSettings:
    """What the engine needs from the outside world; `runner.settings_from_django()` fills it from settings."""

    client_config: ClientConfig = field(default_factory=ClientConfig)
    public_url: str = ""  # STORELENS_PUBLIC_URL
    egress_ip: str = ""  # STORELENS_EGRESS_IP
    callback_ports: tuple[int, ...] = ()  # STORELENS_CALLBACK_ALLOWED_PORTS
    slow_seconds: float = SLOW_SECONDS
    speed_samples: int = SPEED_SAMPLES
    transport: httpx.AsyncBaseTransport | None = None  # tests: the fake store in-process
    callback_transport: httpx.AsyncBaseTransport | None = None  # tests: Storelens's public address in-process
    callback_verify: bool | str = True  # WordPress trusts public CAs only; a test may point this at its own CA
    resolve: Callable[[str], str | None] = gethostbyname
    sleep: Sleep | None = None


def problem_from_error(err: StoreError, egress_ip: str = "") -> Problem:
    code = problems.problem_code(err.code)
    entry = problems.entry_for(err.code)
    message, fix = problems.words_for(err.code, err.message, err.fix, vendor=err.vendor, egress_ip=egress_ip)
    return Problem(code, entry.severity if entry else ERROR, message, fix)


def problem_from_warning(warning: StoreWarning) -> Problem:
    """Warnings carry no specifics (unlike errors: host, vendor, status), so the catalogue's owner words win."""
    entry = problems.entry_for(warning.code)
    if entry is None:
        return Problem(warning.code, WARNING, warning.message, warning.fix)
    return Problem(warning.code, entry.severity, entry.message, entry.fix)


def catalogue_problem(code: str, message: str = "", fix: str = "", severity: str | None = None) -> Problem:
    entry = problems.CATALOGUE[code]
    words = problems.words_for(code, message, fix)
    return Problem(code, severity or entry.severity, *words)


async def run_checks(
    url: str,
    credentials: Credentials | None = None,
    settings: CheckSettings | None = None,
    *,
    auth_method: str | None = None,
) -> Report:
    """Every check that applies to the store at `url` (with `credentials`, the keyed ones too)."""
    settings = settings or CheckSettings()
    config = settings.client_config
    if settings.sleep is None:
        # An interactive check answers in seconds: one retry, not the sync's patient backoff.
        quick = RetryPolicy(max_attempts=2, base_delay=0.5, max_delay=2.0, max_retry_after=5.0)
        config = dataclasses.replace(config, retry=quick)
    report = Report(url=url)
    report.checked.append("site")
    restricted: StoreError | None = None
    try:
        site = await discover(
            url, transport=settings.transport, allow_private=config.allow_private, config=config, sleep=settings.sleep
        )
    except StoreError as err:
        root = _root_refusing_visitors(err) if credentials is not None else None
        if root is None:
            # The store itself failed: that is the one thing to fix now. Storelens's public address (a server
            # setting) is checked once the store answers, not printed as a second problem under this one.
            report.failure = err
            report.add(problem_from_error(err, settings.egress_ip))
            return report
        restricted, home, rest_root = err, _home_of(root), root
    else:
        report.site = site
        home, rest_root = site.home_url, site.rest_root
        report.checked += ["permalinks", "php_notices"]
        for warning in site.warnings:
            report.add(problem_from_warning(warning))
        if site.supports_modified_after is False:
            report.add(catalogue_problem("legacy_woocommerce"))
    client = StoreClient(
        home,
        rest_root=rest_root,
        credentials=credentials,
        auth_method=auth_method or None,
        config=config,
        transport=settings.transport,
        sleep=settings.sleep,
    )
    async with client:
        if credentials is None:
            await _check_cache_without_keys(report, client)
        else:
            await _keyed_checks(report, client, settings)
        for warning in client.warnings.values():
            report.add(problem_from_warning(warning))
    if restricted is not None:
        _report_rest_restricted(report, restricted, settings)
    report.checked.append("callback")
    keys_work = credentials is not None and report.details is not None and report.failure is None
    finding = await callback_finding(settings, home, keys_work=keys_work)
    if finding is not None:
        report.add(catalogue_problem("callback_unreachable", *finding))
    return report


# --- a REST API hidden from visitors ---------------------------------------------------------------------------------

REST_RESTRICTED_MESSAGE = (
    "A security plugin on your store hides its REST API from visitors. Storelens's key still gets through, so syncing "
    "works, but Storelens cannot add or reconnect the store (Connect Store reads the API as a visitor first)."
)
REST_RESTRICTED_FIX = (
    "In your security plugin (for example Disable REST API, Solid Security, WP Cerber, Perfmatters) allow the REST API "
    "for /wp-json/wc/ routes and the /wp-json/ index, then click Check connection."
)


def _root_refusing_visitors(err: StoreError) -> RestRoot | None:
    """The REST root that answered WordPress's own JSON refusal to a visitor (a plugin's `rest_authentication_errors`
    filter), when that is why discovery stopped. Such plugins let logged-in users through and WooCommerce logs a key
    in, so the keyed checks can still run there (measured on WordPress 7.1 + WooCommerce 11.0.1: /wp-json/ answers a
    visitor 401 rest_cannot_access while keyed /wp-json/wc/v3/orders answers 200)."""
    if err.code != "rest_disabled" or not err.wc_code or not err.url:
        return None
    return RestRoot.from_link(err.url)


def _home_of(root: RestRoot) -> str:
    return root.base.rstrip("/") if root.plain else root.base.rstrip("/").removesuffix("/wp-json")


def _report_rest_restricted(report: Report, refused: StoreError, settings: CheckSettings) -> None:
    """Keys that work make the hidden API a warning (syncing goes on); else it is the error that stops Storelens."""
    if report.details is not None:
        problem = catalogue_problem("rest_disabled", REST_RESTRICTED_MESSAGE, REST_RESTRICTED_FIX, WARNING)
        report.problems.insert(0, problem)
        return
    report.problems = [p for p in report.problems if p.code != "rest_disabled"]
    report.problems.insert(0, problem_from_error(refused, settings.egress_ip))
    report.failure = report.failure or refused


# --- keyed checks ----------------------------------------------------------------------------------------------------


async def _keyed_checks(report: Report, client: StoreClient, settings: CheckSettings) -> None:
    report.checked.append("keys")
    try:
        details = await describe_store(client)
    except StoreError as err:
        report.failure = err
        report.add(problem_from_error(err, settings.egress_ip))
        return
    report.details = details
    report.auth_method = client.auth_method
    report.checked += ["permissions", "authorization_header", "https_proxy"]
    for warning in details.warnings:
        report.add(problem_from_warning(warning))
    if details.permissions == "read":
        report.add(catalogue_problem("keys_read_only"))
    report.checked.append("analytics_settings")
    assumed = analytics_settings_problem(details.analytics)
    if assumed is not None:
        report.add(assumed)
    if details.connector is not None:  # the plugins the Storelens Connector reports (none seen without it)
        report.checked.append("connector_plugins")
        for finding in connector_findings(details.connector):
            report.add(Problem(**finding))
    report.checked.append("woocommerce_version")
    if details.supports_modified_after is False or await _older_than_5_8(client):
        report.add(catalogue_problem("legacy_woocommerce"))
    report.checked.append("caching")
    await _check_cache_with_keys(client)
    if await _check_webhooks(report, client, settings):
        report.checked.append("webhooks")
    if await _check_speed(report, client, settings):
        report.checked.append("speed")


def analytics_settings_problem(analytics: AnalyticsSettings) -> Problem | None:
    """A WooCommerce Analytics setting the store would not tell: figures count by WooCommerce's default for it, which
    the owner must know (a store counting by creation date would otherwise be reported by paid date)."""
    unknown = [r for r in analytics.readings if not r.known]
    if not unknown:
        return None
    names = {DATE_TYPE: "the date its reports count orders by", EXCLUDED_STATUSES: "the order statuses it excludes"}
    defaults = {DATE_TYPE: "date paid", EXCLUDED_STATUSES: ", ".join(DEFAULT_EXCLUDED_STATUSES)}
    env = analytics.environment_type
    parts = []
    for r in unknown:
        why = f"refused: HTTP {r.status} {r.code}" if r.origin is Origin.REFUSED else f"no answer: {r.code}"
        parts.append(f"{names[r.option]} ({why}), so Storelens assumes WooCommerce's default ({defaults[r.option]})")
    message = "Your store would not tell " + "; nor ".join(parts) + "."
    if env and env != "production":
        message += (
            f" Its WordPress environment type is “{env}”: WooCommerce then answers only a few options to the REST API."
        )
    fix = (
        "If your WooCommerce Analytics settings (WooCommerce → Settings → Analytics) differ, set them in Storelens on "
        "the store's page (Data sources → your store → How figures are counted) or under Settings."
    )
    if env and env != "production":
        fix += " If this is your live store, set WP_ENVIRONMENT_TYPE to 'production' in wp-config.php."
    return Problem(
        "analytics_settings_assumed", WARNING, message, fix, title="Storelens assumes some of your Analytics settings"
    )


async def _older_than_5_8(client: StoreClient) -> bool:
    """The version WooCommerce reports in its system status (the measured modified_after test needs orders)."""
    try:
        resp = await client.get("/wc/v3/system_status", {"_fields": "environment"})
    except StoreError:
        return False
    env = resp.data.get("environment") if isinstance(resp.data, dict) else None
    version = str(env.get("version", "")) if isinstance(env, dict) else ""
    parts = re.findall(r"\d+", version)[:2]
    return len(parts) == 2 and (int(parts[0]), int(parts[1])) < LEGACY_BEFORE


async def _check_cache_with_keys(client: StoreClient) -> None:
    """The same keyed read twice: a cache in front of the API answers the second (the client flags `caching`)."""
    params = {"per_page": 1, "_fields": "id", "status": "any"}
    for _ in range(2):
        try:
            await client.get("/wc/v3/orders", params)
        except StoreError:
            return


async def _check_cache_without_keys(report: Report, client: StoreClient) -> None:
    """Without keys only public API answers can be asked twice; a cache serving them serves /wp-json/ as a whole."""
    report.checked.append("caching")
    for _ in range(2):
        try:
            resp = await client.request("GET", "/wc/v3", authenticate=False)
        except StoreError:
            return
        if served_from_cache(resp.headers):
            report.add(
                catalogue_problem(
                    "caching",
                    "A cache in front of your store answers its API (/wp-json/) with stored copies, so Storelens "
                    "would see old data and WooCommerce's approval screen may fail.",
                )
            )
            return


async def _check_webhooks(report: Report, client: StoreClient, settings: CheckSettings) -> bool:
    """Storelens's webhooks that WooCommerce disabled after failed deliveries (it never re-enables them itself)."""
    try:
        hooks = await client.fetch_all("/wc/v3/webhooks", {"status": "all"})
    except StoreError:
        return False
    public = settings.public_url.rstrip("/")

    def is_ours(hook: dict[str, Any]) -> bool:
        named = str(hook.get("name", "")).startswith("Storelens")
        return named or bool(public and str(hook.get("delivery_url", "")).startswith(public))

    ours = [h for h in hooks if isinstance(h, dict) and is_ours(h)]
    disabled = [h for h in ours if h.get("status") == "disabled"]
    if disabled:
        topics = ", ".join(sorted(str(h.get("topic", "")) for h in disabled))
        entry = problems.CATALOGUE["webhooks_disabled"]
        report.add(catalogue_problem("webhooks_disabled", f"{entry.message} Disabled: {topics}."))
    return True


async def _check_speed(report: Report, client: StoreClient, settings: CheckSettings) -> bool:
    """Median time of up to `speed_samples` different pages of 100 orders (different pages: no cache flatters it)."""
    times: list[float] = []
    page, last = 1, settings.speed_samples
    while page <= last:
        try:
            resp = await client.get("/wc/v3/orders", {"status": "any", "page": page, "per_page": 100})
        except StoreError:
            break
        times.append(resp.elapsed)
        last = min(settings.speed_samples, resp.total_pages or 1)
        page += 1
    if not times:
        return False
    median = statistics.median(times)
    if median > settings.slow_seconds:
        report.add(
            catalogue_problem(
                "slow",
                f"Your store took {median:.1f} seconds (median of {len(times)}) to send a page of 100 orders; more "
                f"than {settings.slow_seconds:g} seconds makes every sync slow.",
            )
        )
    return True
