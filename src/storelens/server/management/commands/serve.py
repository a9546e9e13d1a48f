from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from storelens.server.logs import quiet_logging
from storelens.server.schema import require_migrated


def port_number(raw: str) -> int:
    """A TCP port, 1-65535: uvicorn would otherwise wrap 99999 round to 34463 and say it listens on 99999."""
    try:
        port = int(raw)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{raw!r} is not a port number: use a whole number from 1 to 65535.") from None
    if not 1 <= port <= 65535:
        raise argparse.ArgumentTypeError(f"{port} is not a port number: use a whole number from 1 to 65535.")
    return port


class Command(BaseCommand):
    help = "Serve Storelens over ASGI with an in-process job consumer (HTTPS with --tls-cert and --tls-key)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--host", default="127.0.0.1", help="Address to listen on (default 127.0.0.1).")
        parser.add_argument("--port", type=port_number, default=8000, help="Port to listen on (default 8000).")
        parser.add_argument("--tls-cert", type=Path, metavar="FILE", help="PEM certificate (chain) file: serve HTTPS.")
        parser.add_argument("--tls-key", type=Path, metavar="FILE", help="PEM private key file for --tls-cert.")
        parser.add_argument("--workers", type=int, metavar="N", default=None, help="Job consumer threads (default 2).")
        parser.add_argument(
            "--no-consumer",
            action="store_true",
            help="Run no job consumer in this process (when `storelens worker` processes run elsewhere).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        import uvicorn
        from django.conf import settings

        cert, key = options["tls_cert"], options["tls_key"]
        if bool(cert) != bool(key):
            raise CommandError("HTTPS needs both --tls-cert and --tls-key.")
        for path in (cert, key):
            if path and not path.is_file():
                raise CommandError(f"{path} does not exist or is not a file.")
        require_migrated()

        consumer = None
        if not options["no_consumer"]:
            from storelens.server.queue import queue_description, start_in_process

            consumer = start_in_process(options["workers"])
            self.stdout.write(f"Job consumer: {consumer.workers} threads on the {queue_description()} queue.")
        scheme = "https" if cert else "http"
        self.stdout.write(f"Storelens serving at {scheme}://{options['host']}:{options['port']}/")
        if settings.STORELENS_PUBLIC_URL:
            self.stdout.write(f"Public URL (for stores): {settings.STORELENS_PUBLIC_URL}")
        self.stdout.flush()

        from storelens.server.bodylimit import application as limited_application

        application = limited_application()  # Django behind the request body limits
        trusted = settings.STORELENS_TRUSTED_PROXIES
        quiet_logging(options["verbosity"])  # Django's set-up just re-applied the LOGGING setting
        config = uvicorn.Config(
            application,
            host=options["host"],
            port=options["port"],
            ssl_certfile=str(cert) if cert else None,
            ssl_keyfile=str(key) if key else None,
            lifespan="off",
            # X-Forwarded-For/-Proto only from the proxies the operator named: any client can send them.
            proxy_headers=bool(trusted),
            forwarded_allow_ips=list(trusted),
            server_header=False,
            log_level="info",
            # One line per request buries what matters (the demo's login, errors): --verbose turns it on.
            access_log=options["verbosity"] >= 2,
        )
        try:
            uvicorn.Server(config).run()
        finally:
            if consumer is not None:
                consumer.stop(graceful=True)
