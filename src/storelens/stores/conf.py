"""Settings of the connect flow, read from the environment (documented in the README)."""

from __future__ import annotations

from django.conf import settings

from storelens.config import SettingError, env_list


def callback_allowed_ports() -> tuple[int, ...]:
    """STORELENS_CALLBACK_ALLOWED_PORTS: ports besides 80/443/8080 that your stores accept for the wc-auth callback.

    WordPress refuses other ports unless a plugin extends its `http_allowed_safe_ports` filter; set this only when
    the stores you connect do that (the end-to-end tests do, with the fake store's matching --allow-port).
    """
    configured = getattr(settings, "STORELENS_CALLBACK_ALLOWED_PORTS", None)
    raw = list(configured) if configured is not None else env_list("STORELENS_CALLBACK_ALLOWED_PORTS")
    ports: list[int] = []
    for item in raw:
        try:
            ports.append(int(item))
        except ValueError:
            raise SettingError(
                f"STORELENS_CALLBACK_ALLOWED_PORTS={','.join(map(str, raw))!r} must be port numbers separated by "
                "commas, e.g. 8443,9443."
            ) from None
    return tuple(ports)
