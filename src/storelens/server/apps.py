from django.apps import AppConfig


class ServerConfig(AppConfig):
    name = "storelens.server"
    label = "server"
    verbose_name = "Server"
