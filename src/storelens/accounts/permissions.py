"""Who may do what in a workspace: the one permission table (action × role), and the routes each action guards.

Roles:

- **owner**: everything, including the workspace itself (its name) and ownership (grant owner, transfer it, remove
  or demote another owner). A workspace always keeps at least one owner.
- **admin**: stores (add, connect, keys, sync, figure settings, remove), the team (invite, change roles, remove
  members — never an owner, never to owner), workspace settings (reporting currency, monthly goal), every token.
- **analyst**: every dashboard, report and export, and the API read-only; no store, team or settings changes.
- **support**: orders, customers and their profiles, search — to answer a customer. Never revenue totals, never an
  export.

What "no revenue totals" means for support, page by page: support sees money **per order and per customer** (an
order's total, refunds and lines; a customer's orders and lifetime value — what a customer asks about) and never a
sum, average or share **across** orders or customers. So support cannot open the Dashboard (home: net sales, goal,
live activity), Sales, Products or Subscriptions pages, nor the API's `/metrics/*` and `/products`; on the
Customers page the aggregate money cards (average lifetime value, top-20 % share) are hidden; the Orders and
Customers lists, an order's and a customer's page and the API's `/orders` and `/customers` are theirs. Every CSV
export carries money columns (totals, tax, net, lifetime net), so support has no export at all. Support signing in
lands on Orders instead of the Dashboard.

Alerts (storelens.alerts): every member sees the bell and the Alerts page, but support only the alerts of stores that
cannot be synced (unreachable, keys refused): orders stopped, a refund spike and a day far above normal speak of
orders, refunds and net sales across orders. Muting and the webhook change the whole workspace: owner and admin. Each
member chooses their own alert e-mails, of the kinds their role sees.

Where it is checked — every place reads `allows()`:

- pages: `ROUTE_ACTIONS` (URL name → action) is enforced for every request by `WorkspaceMiddleware.process_view`,
  and `?format=csv` on any page needs `EXPORT` too; views with a per-object rule (whose token, which member) check
  `allows()` themselves. A test fails when a named route is missing from the map, so a new page must say who may
  use it.
- the API: `API_ACTIONS` (router prefix → action) becomes each router's auth (`storelens.api.auth`); a Bearer token
  acts with its user's current role, and only roles with `API_WRITE` may call a non-GET endpoint.
- templates: `capabilities()` is in every page's context as `can` (`{% if can.manage_stores %}`), so buttons a
  role cannot use are not shown; the navigation hides pages the role cannot open.
- the CLI runs as the machine's operator (who holds the database and keys anyway) and is not limited by a role,
  but it keeps the table's invariants (the last owner stays) and the tokens it issues act with their user's role.
"""

from __future__ import annotations

from enum import StrEnum
from typing import TYPE_CHECKING

from storelens.accounts.models import Role

if TYPE_CHECKING:
    from storelens.accounts.models import Membership


class Action(StrEnum):
    VIEW_REVENUE = "view_revenue"  # Dashboard, Sales, Products, Subscriptions; money aggregates; /metrics, /products
    VIEW_ORDERS = "view_orders"  # orders list (with search), an order's page, /orders
    VIEW_CUSTOMERS = "view_customers"  # customers list, a customer's page, /customers
    EXPORT = "export"  # every CSV export
    VIEW_STORES = "view_stores"  # Data sources list and a store's status page
    MANAGE_STORES = "manage_stores"  # add, connect, keys, check, sync, figure settings, remove
    MANAGE_SETTINGS = "manage_settings"  # reporting currency, monthly goal
    VIEW_TEAM = "view_team"  # who is in the workspace, with their roles
    MANAGE_TEAM = "manage_team"  # invite, change a role, remove a member (owners excepted)
    MANAGE_OWNERS = "manage_owners"  # grant or take away owner, transfer ownership, remove an owner
    MANAGE_WORKSPACE = "manage_workspace"  # rename the workspace
    OWN_TOKENS = "own_tokens"  # create API tokens, see and revoke one's own
    ALL_TOKENS = "all_tokens"  # see and revoke every member's tokens
    API_WRITE = "api_write"  # any API call that is not a GET (today: revoking a token)


OWNER, A, AN, S = Role.OWNER, Role.ADMIN, Role.ANALYST, Role.SUPPORT

PERMISSIONS: dict[Action, frozenset[Role]] = {
    Action.VIEW_REVENUE: frozenset({OWNER, A, AN}),
    Action.VIEW_ORDERS: frozenset({OWNER, A, AN, S}),
    Action.VIEW_CUSTOMERS: frozenset({OWNER, A, AN, S}),
    Action.EXPORT: frozenset({OWNER, A, AN}),
    Action.VIEW_STORES: frozenset({OWNER, A, AN, S}),
    Action.MANAGE_STORES: frozenset({OWNER, A}),
    Action.MANAGE_SETTINGS: frozenset({OWNER, A}),
    Action.VIEW_TEAM: frozenset({OWNER, A, AN, S}),
    Action.MANAGE_TEAM: frozenset({OWNER, A}),
    Action.MANAGE_OWNERS: frozenset({OWNER}),
    Action.MANAGE_WORKSPACE: frozenset({OWNER}),
    Action.OWN_TOKENS: frozenset({OWNER, A, AN, S}),
    Action.ALL_TOKENS: frozenset({OWNER, A}),
    Action.API_WRITE: frozenset({OWNER, A}),
}

# What each action is called in a refusal: "Your role (Support) cannot <words>."
WORDS: dict[Action, str] = {
    Action.VIEW_REVENUE: "see revenue totals (Dashboard, Sales, Products, Subscriptions)",
    Action.VIEW_ORDERS: "see orders",
    Action.VIEW_CUSTOMERS: "see customers",
    Action.EXPORT: "export data",
    Action.VIEW_STORES: "see data sources",
    Action.MANAGE_STORES: "add, connect, sync, configure or remove stores",
    Action.MANAGE_SETTINGS: "change workspace settings",
    Action.VIEW_TEAM: "see the team",
    Action.MANAGE_TEAM: "invite, change or remove members",
    Action.MANAGE_OWNERS: "grant, transfer or take away ownership",
    Action.MANAGE_WORKSPACE: "rename the workspace",
    Action.OWN_TOKENS: "use API tokens",
    Action.ALL_TOKENS: "see or revoke other members' tokens",
    Action.API_WRITE: "change anything through the API (its tokens are read-only)",
}

# Every named page route → the action it needs (None: any member, or no workspace involved). Keys are
# "namespace:name". tests/accounts/test_roles.py fails when a named route is missing here.
ROUTE_ACTIONS: dict[str, Action | None] = {
    "dashboard:home": Action.VIEW_REVENUE,
    "dashboard:settings": None,
    "dashboard:rename_workspace": Action.MANAGE_WORKSPACE,
    "dashboard:set_digest": Action.VIEW_REVENUE,  # a digest adds up revenue: support cannot subscribe
    "dashboard:create_token": Action.OWN_TOKENS,
    "dashboard:revoke_token": Action.OWN_TOKENS,  # whose token: checked in the view (ALL_TOKENS for others')
    "insights:set_goal": Action.MANAGE_SETTINGS,
    "insights:set_reporting_currency": Action.MANAGE_SETTINGS,
    "insights:live": Action.VIEW_REVENUE,
    "insights:sales": Action.VIEW_REVENUE,
    "insights:heatmap": Action.VIEW_REVENUE,
    "insights:breakdowns": Action.VIEW_REVENUE,
    "insights:store_figures": Action.MANAGE_STORES,
    "insights:orders": Action.VIEW_ORDERS,
    "insights:order_detail": Action.VIEW_ORDERS,
    "insights:customers": Action.VIEW_CUSTOMERS,
    "insights:customer_detail": Action.VIEW_CUSTOMERS,
    "insights:cohorts": Action.VIEW_REVENUE,  # net sales and cumulative net per customer of each cohort: revenue
    "insights:products": Action.VIEW_REVENUE,
    "insights:product_detail": Action.VIEW_REVENUE,  # a product's net sales and its buyers' net
    "insights:subscriptions": Action.VIEW_REVENUE,
    "stores:list": Action.VIEW_STORES,
    "stores:add": Action.MANAGE_STORES,
    "stores:callback": None,  # the store calls it; its one-time token is the credential
    "stores:detail": Action.VIEW_STORES,
    "wc_compare:compare": Action.VIEW_REVENUE,  # WooCommerce's and Storelens's revenue totals side by side
    "stores:card": Action.VIEW_STORES,
    "stores:connect": Action.MANAGE_STORES,
    "stores:keys": Action.MANAGE_STORES,
    "stores:check": Action.MANAGE_STORES,
    "stores:sync_now": Action.MANAGE_STORES,
    "stores:figure_setting": Action.MANAGE_STORES,
    "stores:remove": Action.MANAGE_STORES,
    "sync:webhook": None,  # the store calls it; the webhook signature is the credential
    "sync:connector_notice": None,  # the Connector plugin calls it, signed like a webhook
    "connector:start": Action.MANAGE_STORES,  # connects (and may add) a store from the plugin
    "connector:back": None,  # WooCommerce's return_url: the one-time token in the query is the credential
    "connector:exchange": None,  # the plugin calls these three; its code or token is the credential
    "connector:status": None,
    "connector:disconnect": None,
    "connector:download": Action.MANAGE_STORES,
    "connector:installed": Action.MANAGE_STORES,
    "accounts:signup": None,
    "accounts:login": None,
    "accounts:logout": None,
    "accounts:password_change": None,
    "accounts:switch_workspace": None,
    "accounts:team": Action.VIEW_TEAM,
    "accounts:invite": Action.MANAGE_TEAM,  # inviting as owner needs MANAGE_OWNERS: checked in the view
    "accounts:revoke_invite": Action.MANAGE_TEAM,
    "accounts:change_role": Action.MANAGE_TEAM,  # owners and the owner role: MANAGE_OWNERS, in the view
    "accounts:remove_member": Action.MANAGE_TEAM,
    "accounts:transfer_ownership": Action.MANAGE_OWNERS,
    "accounts:accept_invite": None,  # the link is the credential; the person may not be a member yet
    "alerts:list": Action.VIEW_STORES,  # support sees only stores that are down (alerts.episodes.may_see)
    "alerts:mute": Action.MANAGE_SETTINGS,  # for the whole workspace: owner and admin
    "alerts:unmute": Action.MANAGE_SETTINGS,
    "alerts:webhook": Action.MANAGE_SETTINGS,  # a URL Storelens will POST to: owner and admin
    "alerts:test_webhook": Action.MANAGE_SETTINGS,  # queues a test POST to that URL
    "alerts:email": Action.VIEW_STORES,  # each member's own e-mails, of the kinds their role sees
    "doctor:index": None,
    "doctor:help": None,
    "healthz": None,
    "healthz_jobs": None,
}

# A route missing from ROUTE_ACTIONS (or a router from API_ACTIONS) is closed to roles without revenue access until
# someone says who may use it — the tests fail meanwhile.
UNLISTED_ROUTE_ACTION = Action.VIEW_REVENUE

# API router prefix (storelens.api.routers) → the action every endpoint under it needs (None: any member).
API_ACTIONS: dict[str, Action | None] = {
    "/": None,
    "/tokens": Action.OWN_TOKENS,
    "/metrics": Action.VIEW_REVENUE,
    "/orders": Action.VIEW_ORDERS,
    "/customers": Action.VIEW_CUSTOMERS,
    "/products": Action.VIEW_REVENUE,
    "/heatmap": Action.VIEW_REVENUE,  # orders and net sales by weekday and hour: totals
    "/cohorts": Action.VIEW_REVENUE,  # each cohort's net sales and net per customer: revenue
    "/breakdowns": Action.VIEW_REVENUE,  # net sales by coupon, payment, shipping, country: totals
    "/explain": Action.VIEW_REVENUE,  # WooCommerce's and Storelens's totals side by side
    "/subscriptions": Action.VIEW_REVENUE,  # MRR, ARR, LTV: revenue; support sees none of it
    "/alerts": Action.VIEW_STORES,  # support sees only stores that are down (alerts.episodes.may_see)
}


def allows(role: str | None, action: Action) -> bool:
    return role is not None and role in PERMISSIONS[action]


def role_of(membership: Membership | None) -> str | None:
    return membership.role if membership is not None else None


def capabilities(membership: Membership | None) -> dict[str, bool]:
    """Every action → whether this member may do it: `can` in templates."""
    role = role_of(membership)
    return {action.value: allows(role, action) for action in Action}


def refusal(role: str | None, action: Action) -> str:
    """The plain sentence a refused request answers with, saying whom to ask."""
    label = Role(role).label if role in Role.values else "none"
    return (
        f"Your role in this workspace ({label}) cannot {WORDS[action]}. "
        "Ask an owner or admin of the workspace to change your role on Settings → Team if you need to."
    )


def landing_route(role: str | None) -> str:
    """Where "/" sends a member: the Dashboard, or Orders for a role that cannot see revenue totals."""
    return "dashboard:home" if allows(role, Action.VIEW_REVENUE) else "insights:orders"
