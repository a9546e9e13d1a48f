from django.apps import AppConfig


class DoctorConfig(AppConfig):
    name = "storelens.doctor"
    label = "doctor"
    verbose_name = "Doctor: connection checks and help pages"
