from django.apps import AppConfig


class AnalyticsConfig(AppConfig):
    name = "storelens.analytics"
    label = "analytics"
