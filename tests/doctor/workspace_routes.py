"""Health routes with path parameters, for the workspace-scoping audit (tests/scoping.py)."""

from __future__ import annotations

UNSCOPED = {"doctor:help": "the code names a help page of the catalogue, not a workspace object"}
