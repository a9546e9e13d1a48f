"""Running Storelens: the `serve` and `version` commands, the health check, and the in-process job consumer."""
