from django.apps import AppConfig


class AlertsConfig(AppConfig):
    name = "storelens.alerts"
    label = "alerts"
    verbose_name = "Alerts"
