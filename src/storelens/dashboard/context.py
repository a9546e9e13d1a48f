"""What every page's shell needs: the navigation and the workspaces the user can switch between."""

from __future__ import annotations

from dataclasses import dataclass

from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse

from storelens.accounts.models import Workspace
from storelens.accounts.permissions import ROUTE_ACTIONS, UNLISTED_ROUTE_ACTION, allows, capabilities, role_of


@dataclass(frozen=True)
class NavItem:
    label: str
    url: str
    active: bool


def optional_url(name: str) -> str:
    """The URL of a page another app provides, or "" while that app has no such page."""
    try:
        return reverse(name)
    except NoReverseMatch:
        return ""


# (label, URL name, URL prefix that marks the entry active). Data sources belongs to storelens.stores.
NAVIGATION = (
    ("Dashboard", "dashboard:home", None),
    ("Sales", "insights:sales", "/sales/"),
    ("Orders", "insights:orders", "/orders/"),
    ("Customers", "insights:customers", "/customers/"),
    ("Cohorts", "insights:cohorts", "/cohorts/"),
    ("Products", "insights:products", "/products/"),
    ("Subscriptions", "insights:subscriptions", "/subscriptions/"),
    ("Data sources", "stores:list", "/sources/"),
    ("Settings", "dashboard:settings", "/settings/"),
)


def navigation(request: HttpRequest) -> list[NavItem]:
    items = []
    role = role_of(getattr(request, "membership", None))
    for label, name, prefix in NAVIGATION:
        url = optional_url(name)
        action = ROUTE_ACTIONS.get(name, UNLISTED_ROUTE_ACTION)
        if not url or (action is not None and not allows(role, action)):
            continue  # a page this member's role cannot open is not offered
        active = request.path == url if prefix is None else request.path.startswith(prefix)
        items.append(NavItem(label, url, active))
    return items


def shell(request: HttpRequest) -> dict[str, object]:
    if not getattr(request, "user", None) or not request.user.is_authenticated:
        return {"nav_items": [], "workspaces": [], "can": capabilities(None)}
    workspaces: list[Workspace] = list(request.user.workspaces()) if hasattr(request.user, "workspaces") else []
    return {
        "nav_items": navigation(request),
        "workspaces": workspaces,
        "current_workspace": getattr(request, "workspace", None),
        "can": capabilities(getattr(request, "membership", None)),  # {% if can.manage_stores %}: role's buttons only
    }
