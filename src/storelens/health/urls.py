from django.urls import path

from storelens.health import views

app_name = "health"

urlpatterns = [
    path("", views.index, name="index"),
    path("<slug:code>/", views.help_page, name="help"),
]
