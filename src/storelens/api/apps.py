from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "storelens.api"
    label = "api"
    verbose_name = "JSON API"
