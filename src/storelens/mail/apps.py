from django.apps import AppConfig


class MailConfig(AppConfig):
    """An app only so that Django finds the shared mail layout (`templates/mail/`) and its style tag."""

    name = "storelens.mail"
    label = "mail"
    verbose_name = "Mail"
