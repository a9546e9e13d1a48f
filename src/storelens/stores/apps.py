from django.apps import AppConfig


class StoresConfig(AppConfig):
    name = "storelens.stores"
    label = "stores"
