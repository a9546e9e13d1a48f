from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "storelens.accounts"
    label = "accounts"
    verbose_name = "Accounts and workspaces"
