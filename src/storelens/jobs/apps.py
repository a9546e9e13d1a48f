from django.apps import AppConfig


class JobsConfig(AppConfig):
    name = "storelens.jobs"
    label = "storelens_jobs"
    verbose_name = "Background jobs"
