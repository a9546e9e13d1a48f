"""Running Storelens: `serve`, `worker` and `version`, the health checks, the job queue, and the demo."""
