from django.apps import AppConfig


class CommerceConfig(AppConfig):
    name = "storelens.commerce"
    label = "commerce"
