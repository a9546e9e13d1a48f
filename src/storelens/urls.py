"""URL map: every app's pages, the JSON API and the health probes, mounted explicitly here.

Paths are the product's public surface (bookmarks, webhook delivery URLs on stores, API clients), so they stay put
even where a package's name changed: a connected store's pages live under /sources/ (package `stores`).
"""

from __future__ import annotations

from django.urls import include, path

from storelens.api.api import api
from storelens.server.views import healthz, jobs_healthz

urlpatterns = [
    path("", include("storelens.dashboard.urls")),
    path("", include("storelens.dashboard.insights_urls")),
    path("accounts/", include("storelens.accounts.urls")),
    path("sources/", include("storelens.stores.urls")),
    path("sources/", include("storelens.dashboard.wc_compare_urls")),
    path("sync/", include("storelens.sync.urls")),
    path("api/v1/", api.urls),
    path("healthz", healthz, name="healthz"),
    path("healthz/jobs", jobs_healthz, name="healthz_jobs"),
    path("help/", include("storelens.doctor.urls")),
    path("connector/", include("storelens.connector.urls")),
    path("alerts/", include("storelens.alerts.urls")),
]
