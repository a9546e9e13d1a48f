from django.apps import AppConfig


class DoctorConfig(AppConfig):
    name = "storelens.doctor"
    label = "doctor"
    verbose_name = "Doctor: connection checks and help pages"

    def ready(self) -> None:
        """Give the store pages (below us) their Check connection."""
        from storelens.stores import hooks

        from .runner import check_store

        hooks.register(check_store=check_store)
