from django.apps import AppConfig


class SourcesConfig(AppConfig):
    name = "storelens.sources"
    label = "sources"
