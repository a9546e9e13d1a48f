from django.urls import path

from . import views

app_name = "sync"

urlpatterns = [
    path("hooks/wc/<str:public_id>/", views.webhook, name="webhook"),
]
