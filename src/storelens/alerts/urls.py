from django.urls import path

from storelens.alerts import views

app_name = "alerts"

urlpatterns = [
    path("", views.alert_list, name="list"),
    path("sources/<int:store_id>/mute/", views.mute, name="mute"),
    path("sources/<int:store_id>/unmute/", views.unmute, name="unmute"),
    path("email/", views.set_email, name="email"),
    path("webhook/", views.set_webhook, name="webhook"),
    path("webhook/test/", views.test_webhook, name="test_webhook"),
]
