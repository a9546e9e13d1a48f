from django.urls import path

from . import views

app_name = "sync"

urlpatterns = [
    path("hooks/wc/<str:public_id>/", views.webhook, name="webhook"),
    path("hooks/connector/<str:public_id>/", views.connector_notice, name="connector_notice"),
]
