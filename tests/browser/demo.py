"""The start every demo-data browser walk shares: import the demo stores into a live server, then sign in."""

from __future__ import annotations

from typing import Any


def seed_demo_and_sign_in(server: Any, page: Any, email: str, password: str, orders: int = 400) -> None:
    """Runs `storelens demo --no-serve` against `server` (the real sync imports both fake stores), then signs in with
    the account it created and waits for the home page, so a walk starts from what a newcomer sees."""
    seeded = server.cli(
        "demo", "--no-serve", "--orders", str(orders), "--email", email, "--password", password, check=False
    )
    assert seeded.returncode == 0, seeded.stderr[-3000:]
    page.goto(server.url + "/accounts/login/")
    page.get_by_label("E-mail").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(server.url + "/")
