from django.apps import AppConfig


class DashboardConfig(AppConfig):
    name = "storelens.dashboard"
    label = "dashboard"
    verbose_name = "Dashboard"
