"""The ASGI application `storelens serve` runs (uvicorn storelens.asgi:application works too): Django behind the
request body limits (storelens.server.bodylimit)."""

import os

from storelens.server.bodylimit import application as limited_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "storelens.settings")

application = limited_application()
