"""URL map. Apps that serve pages get mounted here; the API mounts its routers in storelens/api/routers.py."""

from __future__ import annotations

from importlib.util import find_spec

from django.urls import include, path

from storelens.api.api import api
from storelens.server.views import healthz, jobs_healthz

urlpatterns = [
    path("", include("storelens.dashboard.urls")),
    path("", include("storelens.dashboard.insights_urls")),  # analytics pages (issue 6)
    path("accounts/", include("storelens.accounts.urls")),
    path("api/v1/", api.urls),
    path("healthz", healthz, name="healthz"),
    path("healthz/jobs", jobs_healthz, name="healthz_jobs"),
    path("help/", include("storelens.health.urls")),  # help pages per problem code (storelens.health)
]

# Apps built alongside the foundation mount themselves at /<app>/ with namespace <app> as soon as they have urls.py
# (with `app_name = "<app>"`), so their engineers need not edit this file.
for _app in ("sources", "sync", "commerce", "analytics"):
    if find_spec(f"storelens.{_app}.urls") is not None:
        urlpatterns.append(path(f"{_app}/", include(f"storelens.{_app}.urls")))
