"""The JSON API at /api/v1/ (django-ninja). Add a router in your app and list it in `storelens/api/routers.py`."""
