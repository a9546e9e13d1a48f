from django.apps import AppConfig


class SyncConfig(AppConfig):
    name = "storelens.sync"
    label = "sync"
