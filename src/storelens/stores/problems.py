"""Every store problem Storelens can name: its stable code, how serious it is, what it means for the owner, the one
thing to do, and the help page that explains it in plain words.

One catalogue for everyone: `storelens doctor`, the Check connection button, the help pages and the status mapping
(`stores.status`) read it, so a problem reads the same wherever the owner meets it. The store seam's errors carry
their own, more specific message and fix (e.g. the firewall's vendor): those win, the catalogue fills gaps and adds
the help page. No Django here: the doctor's engine imports it too.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from storelens.stores.callback_rules import WC_CURL_60, WC_INVALID_URL, WC_SEND_FAILED

ERROR = "error"
WARNING = "warning"

# Store.Status values (storelens.stores.models), spelled out so this module stays free of Django.
UNREACHABLE = "unreachable"
MISCONFIGURED = "misconfigured"
BLOCKED = "blocked"
NEEDS_REAUTH = "needs_reauth"
SYNC_ERROR = "error"  # Source.Status.ERROR

SYNC_FAILED = "sync_failed"  # an unexpected error in a sync pass (storelens.sync.failures): a bug in Storelens


@dataclass(frozen=True)
class Entry:
    code: str
    title: str  # a short headline in the owner's words
    severity: str  # "error": Storelens cannot work with the store; "warning": it works, worse or at a risk
    message: str  # what happened (default; the seam's own message wins when there is one)
    fix: str  # the one thing to do (default; likewise)
    status: str = ""  # the Store status a sync failure with this code sets ("" for warnings)
    help: tuple[str, ...] = field(default_factory=tuple)  # paragraphs of the help page
    steps: tuple[str, ...] = field(default_factory=tuple)  # numbered steps on the help page


_ENTRIES = (
    Entry(
        "unreachable",
        "Storelens cannot reach your store",
        ERROR,
        "Storelens could not connect to your store's address: the name was not found, the connection was refused "
        "or it timed out.",
        "Check that the address is right and that your store is online; if it is, ask your host whether their "
        "firewall blocks Storelens.",
        UNREACHABLE,
        help=(
            "Storelens tried to open your store's address and got no answer at all. This is not about your keys or "
            "settings: the request never reached WordPress.",
            "Usual causes: a typo in the address, a domain that expired, the site being down, or the hosting "
            "company's firewall refusing visitors it does not know.",
        ),
        steps=(
            "Open your store's address in a browser. If it does not load, contact your host.",
            "If it loads for you, check the address saved in Storelens (Data sources → your store).",
            "If both are fine, ask your host to allow Storelens's requests (see the firewall help page).",
        ),
    ),
    Entry(
        "tls_error",
        "Your store's security certificate is not valid",
        ERROR,
        "Storelens could not open a secure (HTTPS) connection to your store: its certificate has expired, is "
        "self-signed, or is for a different address.",
        "Renew or fix the store's HTTPS certificate (most hosts offer free Let's Encrypt certificates), making sure "
        "it covers this exact address.",
        MISCONFIGURED,
        help=(
            "A certificate is what lets browsers and apps check that they are really talking to your store. "
            "Storelens refuses to send your store's keys over a connection it cannot check.",
            "Browsers show the same problem as a “Your connection is not private” warning.",
        ),
        steps=(
            "In your hosting control panel, find SSL/TLS or Let's Encrypt and renew the certificate.",
            "Make sure it covers the exact address you gave Storelens (with or without www).",
            "Click Check connection in Storelens.",
        ),
    ),
    Entry(
        "not_wordpress",
        "This address is not a WordPress site",
        ERROR,
        "The address answers, but it is not a WordPress site, so WooCommerce cannot be there.",
        "Enter the address of the WordPress site where WooCommerce is installed (the shop's own address).",
        MISCONFIGURED,
        help=(
            "WooCommerce runs inside WordPress. Storelens found a web site at this address, but not WordPress: it "
            "may be another site of yours, a landing page, or a shop on a different address.",
        ),
        steps=(
            "Open your shop in a browser and copy the address from the address bar.",
            "Add the store again in Storelens with that address.",
        ),
    ),
    Entry(
        "rest_disabled",
        "Your site's API is switched off",
        ERROR,
        "Your site runs WordPress, but its REST API is switched off or hidden, so WooCommerce cannot answer apps.",
        "In your security plugin allow the REST API, at least for /wp-json/wc/ addresses, then click Check connection.",
        MISCONFIGURED,
        help=(
            "Apps such as Storelens read your orders through WordPress's REST API (addresses starting with "
            "/wp-json/). Some security plugins switch it off for everyone who is not logged in.",
        ),
        steps=(
            "In WordPress, open your security plugin's settings (for example Disable REST API, Solid Security, WP "
            "Cerber or Perfmatters).",
            "Allow the REST API, or at least the WooCommerce part of it (/wp-json/wc/).",
            "Click Check connection in Storelens.",
        ),
    ),
    Entry(
        "not_woocommerce",
        "WooCommerce is not active on this site",
        ERROR,
        "WordPress answered, but WooCommerce's API is not there: WooCommerce is not installed, not active, or too old.",
        "Install and activate (or update) WooCommerce under Plugins, or enter the address of the site that runs it.",
        MISCONFIGURED,
        help=("Storelens found WordPress at this address but no WooCommerce shop.",),
        steps=(
            "In WordPress go to Plugins and check that WooCommerce is there and active.",
            "If it is, update it to the current version.",
            "Click Check connection in Storelens.",
        ),
    ),
    Entry(
        "legacy_woocommerce",
        "Your WooCommerce is old, so syncing is slower",
        WARNING,
        "Your WooCommerce is older than version 5.8: it cannot list only the orders that changed recently, so every "
        "sync has to read more of your store and takes longer.",
        "Update WooCommerce under Plugins (back up your site first).",
        help=(
            "Storelens still keeps an exact copy of your store; it just has to read more each time. Newer versions "
            "of WooCommerce can say which orders changed since a date, which makes each sync quick.",
        ),
        steps=("Back up your site.", "In WordPress go to Plugins and update WooCommerce."),
    ),
    Entry(
        "plain_permalinks",
        "Your store uses “Plain” permalinks",
        WARNING,
        "Your store uses “Plain” permalinks (the setting that shapes your page addresses). With it, WooCommerce's "
        "approval screen cannot hand Storelens its key, and apps must read your store through old-style addresses.",
        "In WordPress go to Settings → Permalinks, choose Post name and click Save Changes.",
        help=(
            "Permalinks are the way WordPress builds page addresses. With the “Plain” setting, the screen where you "
            "approve Storelens does not work: clicking Approve lands on your home page and no key reaches "
            "Storelens.",
            "Changing the setting does not break existing links: WordPress redirects old addresses.",
        ),
        steps=(
            "In WordPress go to Settings → Permalinks.",
            "Choose “Post name” and click Save Changes.",
            "Click Check connection in Storelens, then Connect Store.",
        ),
    ),
    Entry(
        "waf_challenge",
        "A firewall blocks Storelens",
        ERROR,
        "A firewall or security service in front of your store answered Storelens with a challenge or block page "
        "instead of letting the request reach WooCommerce.",
        "In your firewall, allow GET and POST requests to /wp-json/ and the /wc-auth/ approval screen, and requests "
        "whose User-Agent starts with “Storelens/”.",
        BLOCKED,
        help=(
            "Services such as Cloudflare, Sucuri, SiteGround, ModSecurity or Wordfence protect your store from bots. "
            "Storelens is a program, not a person, so it cannot solve their “are you human?” checks: the firewall "
            "must be told to let it through.",
            "What to allow: GET and POST requests to addresses starting with /wp-json/ (and /?rest_route=), the "
            "/wc-auth/ approval screen, and requests whose User-Agent starts with “Storelens/”. If whoever runs "
            "Storelens gave you its address (IP), allow that address too.",
        ),
        steps=(
            "Cloudflare: Security → WAF → Custom rules → add a rule “URI Path starts with /wp-json/” with the action "
            "Skip (on the free plan turn off Bot Fight Mode, which ignores skip rules).",
            "Sucuri: Firewall → Access Control → allowlist the paths above (and Storelens's address).",
            "SiteGround: Site Tools → Security → ask support to exclude /wp-json/ from the bot protection.",
            "ModSecurity: ask your host to relax the rule that blocks these requests.",
            "Wordfence: Firewall → Allowlisted URLs: add /wp-json/wc/ and Storelens's address.",
            "Click Check connection in Storelens.",
        ),
    ),
    Entry(
        "auth_header_stripped",
        "Your server hides Storelens's keys from WordPress",
        WARNING,
        "Your web server drops the part of each request that carries Storelens's key (the Authorization header), so "
        "Storelens has to put the key in the address instead, where it can end up in server logs.",
        "Ask your hosting company to “pass the Authorization header to PHP” for your site (Apache: CGIPassAuth On; "
        "nginx: fastcgi_param HTTP_AUTHORIZATION $http_authorization;). It is a one-line change for them.",
        help=(
            "Storelens works anyway, but the keys travel in a less private way. It is a one-line change for your host.",
        ),
        steps=(
            "Send your host this message: “Please pass the HTTP Authorization header to PHP for my site "
            "(on Apache: CGIPassAuth On, or the HTTP_AUTHORIZATION rewrite rule in .htaccess; on nginx: "
            "fastcgi_param HTTP_AUTHORIZATION $http_authorization; in the PHP location).”",
            "Click Check connection in Storelens: this warning disappears when it works.",
        ),
    ),
    Entry(
        "proxy_no_ssl",
        "WordPress does not know your site uses HTTPS",
        WARNING,
        "Your store is reached over HTTPS, but a proxy or CDN in front of it talks to WordPress without it, so "
        "WordPress believes your site is not secure. Storelens works around it; other apps that use keys may fail.",
        "Ask your hosting company to make WordPress recognise HTTPS behind their proxy or CDN (the "
        "X-Forwarded-Proto header).",
        help=(
            "Visitors reach your store over HTTPS, but a proxy in between talks to WordPress without it. WordPress "
            "then refuses the simplest way apps log in. Storelens uses another way that works, so nothing is "
            "broken for Storelens.",
        ),
        steps=(
            "Ask your host: “WordPress does not see HTTPS behind your proxy; please make is_ssl() true (send "
            "X-Forwarded-Proto and set $_SERVER['HTTPS'] in wp-config.php).”",
            "Click Check connection in Storelens.",
        ),
    ),
    Entry(
        "caching",
        "A cache serves old copies of your store's data",
        WARNING,
        "A cache in front of your store answers API requests with stored copies, so Storelens may see old data (and "
        "a cached answer for one app can be shown to another).",
        "Exclude /wp-json/ and /wc-auth/ from WP Rocket, LiteSpeed Cache and your host's or CDN's cache, or pause "
        "caching while connecting.",
        help=(
            "Caching plugins make pages load faster by keeping copies. Copies of API answers are a problem: "
            "Storelens may miss new orders, and the approval screen can show an out-of-date button that fails when "
            "you click Approve (your store then says “Error: Invalid nonce verification.”).",
        ),
        steps=(
            "In your caching plugin (WP Rocket, LiteSpeed Cache, W3 Total Cache…) find “Never cache URLs” or "
            "“Exclusions”.",
            "Add /wp-json/ and /wc-auth/ and save; clear the cache.",
            "Do the same in your host's or CDN's cache settings if they have one.",
            "Click Check connection in Storelens.",
        ),
    ),
    Entry(
        "php_notices",
        "Your store prints PHP warnings into its answers",
        WARNING,
        "Your store adds PHP error messages to the data it sends apps. Storelens can still read it, but other apps "
        "may fail, and the messages can reveal details about your server.",
        "Ask your developer or host to hide PHP errors from pages (WP_DEBUG_DISPLAY off in wp-config.php), then "
        "update the plugin named in the warning.",
        help=(
            "A plugin or theme has a small bug and PHP reports it on screen. Visitors do not see it, but apps reading "
            "your store do.",
        ),
        steps=(
            "Ask your host or developer to set WP_DEBUG_DISPLAY to false in wp-config.php.",
            "Update your plugins and theme; the warning names the plugin at fault.",
        ),
    ),
    Entry(
        "maintenance",
        "Your store is in maintenance mode",
        ERROR,
        "Your store is in maintenance mode (WordPress is updating, or a maintenance plugin is on).",
        "Wait for the update to finish. If it lasts more than a few minutes, delete the .maintenance file in "
        "WordPress's folder.",
        UNREACHABLE,
        help=(
            "While WordPress installs updates, it answers everyone with “Briefly unavailable for scheduled "
            "maintenance”. Storelens waits and tries again by itself.",
            "If an update was interrupted, WordPress can stay stuck in this mode.",
        ),
        steps=(
            "Wait a few minutes and click Check connection.",
            "Still stuck? In your hosting file manager, delete the file named .maintenance in WordPress's main "
            "folder, or turn off your maintenance-mode plugin.",
        ),
    ),
    Entry(
        "slow",
        "Your store answers slowly",
        WARNING,
        "Your store took more than 5 seconds to send a page of 100 orders, so syncing takes long.",
        "Ask your host about a faster plan or PHP version, and check for slow plugins; Storelens keeps working "
        "meanwhile.",
        help=(
            "Storelens reads your orders 100 at a time. A slow answer usually means the hosting plan is small or a "
            "plugin does heavy work on every request.",
        ),
        steps=(
            "Check that your site runs a current PHP version (your host's control panel).",
            "Ask your host whether your plan has enough resources, and try turning off plugins you do not need.",
        ),
    ),
    Entry(
        "keys_invalid",
        "Auth Failed: Storelens's key no longer works",
        ERROR,
        "Your store refused Storelens's key: it was revoked, deleted, or is wrong.",
        "Click Reconnect Store and approve Storelens again on your store.",
        NEEDS_REAUTH,
        help=(
            "Storelens reads your store with a key that WooCommerce gave it when you clicked Approve. That key stops "
            "working when someone revokes it under WooCommerce → Settings → Advanced → REST API, or when the store "
            "was restored from an old backup.",
            "Your history and settings in Storelens stay; only a new key is needed.",
        ),
        steps=(
            "In Storelens open Data sources → your store.",
            "Click Reconnect Store, log in to your store and click Approve.",
        ),
    ),
    Entry(
        "keys_read_only",
        "Storelens's key can only read",
        WARNING,
        "Storelens's key is read-only, so it cannot set up instant updates (webhooks): new orders appear at the next "
        "scheduled sync instead.",
        "For instant updates, click Reconnect Store and approve Read/Write access.",
        help=(
            "Read access is enough for exact numbers. Read/Write only lets Storelens ask your store to notify it "
            "when an order changes; Storelens never changes your orders.",
        ),
        steps=("Optional: click Reconnect Store and approve with Read/Write access.",),
    ),
    Entry(
        "permission_denied",
        "The WordPress user behind Storelens's key lost its rights",
        ERROR,
        "Storelens's key belongs to a WordPress user who can no longer manage WooCommerce, so your store refuses it.",
        "Give that user the Administrator or Shop manager role again, or click Reconnect Store while logged in as an "
        "administrator.",
        NEEDS_REAUTH,
        help=(
            "A WooCommerce key acts on behalf of the user who approved it. If that user was deleted or demoted "
            "(for example to Customer), the key stops working for orders.",
        ),
        steps=(
            "In WordPress go to Users and check the role of the user who connected Storelens.",
            "Set it back to Administrator or Shop manager, or click Reconnect Store and approve as an administrator.",
        ),
    ),
    Entry(
        "webhooks_disabled",
        "Your store switched off Storelens's instant updates",
        WARNING,
        "WooCommerce disabled Storelens's webhooks after deliveries failed, so changes reach Storelens only at the "
        "next scheduled sync.",
        "Click Sync now: Storelens switches them back on. If it happens again, check that Storelens is reachable "
        "from the internet.",
        help=(
            "Webhooks are messages your store sends Storelens when an order changes. When several in a row fail, "
            "WooCommerce disables them and never retries. Your numbers stay exact (Storelens also checks your store "
            "on a schedule), they just update later.",
        ),
        steps=("Click Sync now on the store's page.", "If this comes back, see the help page on callbacks."),
    ),
    Entry(
        "callback_unreachable",
        "Your store cannot send keys to Storelens",
        ERROR,
        "Your store cannot reach Storelens to hand over its keys when you click Approve.",
        "Whoever runs Storelens must make it reachable over HTTPS on port 443, 80 or 8080 and set "
        "STORELENS_PUBLIC_URL to that address; meanwhile, paste keys you create on your store.",
        help=(
            "When you click Approve, your store sends the new key straight to Storelens's address. WooCommerce only "
            "does that over HTTPS, to a public address, on port 443, 80 or 8080, with a certificate it trusts. "
            "Otherwise your store shows one of these errors:",
            f"“{WC_SEND_FAILED}” — Storelens could not be reached or did not answer correctly.",
            f"“{WC_INVALID_URL}” — Storelens's address is private (like 192.168.x.x) or uses another port.",
            f"“{WC_CURL_60} …” — Storelens's certificate is not one WordPress trusts (self-signed or expired).",
        ),
        steps=(
            "Whoever runs Storelens: serve it over HTTPS with a real certificate (for example Let's Encrypt) on port "
            "443, and set STORELENS_PUBLIC_URL to that address.",
            "Until then: on your store go to WooCommerce → Settings → Advanced → REST API → Add key, and paste the "
            "key into Storelens under “Use keys you create on your store”.",
        ),
    ),
    Entry(
        SYNC_FAILED,
        "Storelens hit a bug while syncing your store",
        ERROR,
        "Storelens stopped on an unexpected error of its own while copying your store's data. This is a bug in "
        "Storelens, not a problem with your store or its settings.",
        "Storelens tries again by itself a few times. If it keeps failing, send the support detail shown with the "
        "error to whoever runs your Storelens, who can report it to the Storelens project with it.",
        SYNC_ERROR,
        help=(
            "While copying your store's orders, customers or products, Storelens met something its code did not "
            "expect and stopped that sync. Nothing was half-written: each page of data is saved whole or not at all, "
            "and the next sync continues from the last saved page.",
            "Storelens retries automatically, waiting longer each time (2, 4, 8 and 16 minutes), and stops after 5 "
            "failed attempts so that it does not keep loading your store for nothing. After that it tries again when "
            "you click Sync now or Check connection, when you reconnect the store, once an hour when your store "
            "reports a change, and after Storelens is upgraded.",
            "The support detail names the version of Storelens, the sync, the error and where in Storelens it "
            "happened. It holds no keys or passwords.",
        ),
        steps=(
            "Copy the support detail from the store's page in Storelens (the command line shows it too: storelens "
            "sources list --json).",
            "Send it to whoever runs your Storelens; they find the full error in Storelens's log under the same "
            "pass id and can report it to the Storelens project.",
            "Once Storelens is fixed or upgraded, click Sync now: the import continues where it stopped.",
        ),
    ),
)

CATALOGUE: dict[str, Entry] = {e.code: e for e in _ENTRIES}

# Codes of the seam's errors that mean the same to the owner as a catalogue code.
ALIASES = {"timeout": "unreachable", "connection_reset": "unreachable", "private_address": "unreachable"}


def entry_for(code: str) -> Entry | None:
    return CATALOGUE.get(ALIASES.get(code, code))


def problem_code(code: str) -> str:
    """The catalogue code an error code is reported under (unknown codes are kept as they are)."""
    return ALIASES.get(code, code) if ALIASES.get(code, code) in CATALOGUE else code


def waf_allow_address(fix: str, egress_ip: str) -> str:
    """A firewall fix, plus the address to allow when the person running Storelens told us where it connects from."""
    if not egress_ip or egress_ip in fix:
        return fix
    return f"{fix.rstrip()} Also allow requests from {egress_ip} (the address Storelens connects from)."


def words_for(
    code: str, message: str = "", fix: str = "", *, vendor: str | None = None, egress_ip: str = ""
) -> tuple[str, str]:
    """(message, fix) for a problem: the seam's specific words when given, the catalogue's otherwise."""
    entry = entry_for(code)
    message = message or (entry.message if entry else "")
    fix = fix or (entry.fix if entry else "")
    if vendor and vendor.lower() not in message.lower():
        message = f"{message} ({vendor})"
    if problem_code(code) == "waf_challenge":
        fix = waf_allow_address(fix, egress_ip)
    if entry is not None and entry.status == NEEDS_REAUTH and code == "keys_invalid" and "Reconnect Store" not in fix:
        fix = f"{fix} {entry.fix}".strip()
    return message, fix
