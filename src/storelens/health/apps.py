from django.apps import AppConfig


class HealthConfig(AppConfig):
    name = "storelens.health"
    label = "health"
    verbose_name = "Connection health"
