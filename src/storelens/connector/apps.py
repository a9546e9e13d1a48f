from django.apps import AppConfig


class ConnectorConfig(AppConfig):
    name = "storelens.connector"
    label = "connector"
