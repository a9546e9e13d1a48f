"""Quiet terminals: the lines written per HTTP request and per background job appear only with `--verbose`.

httpx logs every request a command makes at INFO, and the job queue every task it runs; a newcomer's `storelens demo`
buried its login under a hundred of them. Warnings and errors from those loggers still show. `storelens.cli` applies
this before every command; `serve` again after Django's set-up, which re-applies the LOGGING setting.
"""

from __future__ import annotations

import logging

QUIET_BY_DEFAULT = ("httpx", "httpcore", "huey")


def quiet_logging(verbosity: int) -> None:
    """INFO for the per-request and per-job loggers at verbosity 2 and more (`--verbose`), else WARNING."""
    level = logging.INFO if verbosity >= 2 else logging.WARNING
    for name in QUIET_BY_DEFAULT:
        logging.getLogger(name).setLevel(level)
