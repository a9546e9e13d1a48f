"""The ASGI application `storelens serve` runs (uvicorn storelens.asgi:application works too)."""

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "storelens.settings")

application = get_asgi_application()
