from django.urls import path

from storelens.connector import views

app_name = "connector"

urlpatterns = [
    path("start/", views.start, name="start"),
    path("back/", views.back, name="back"),
    path("exchange/", views.exchange, name="exchange"),
    path("status/", views.status, name="status"),
    path("disconnect/", views.disconnect, name="disconnect"),
    path("download/", views.download, name="download"),
    path("installed/", views.installed, name="installed"),
]
