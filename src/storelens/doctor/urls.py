from django.urls import path

from storelens.doctor import views

app_name = "doctor"

urlpatterns = [
    path("", views.index, name="index"),
    path("<slug:code>/", views.help_page, name="help"),
]
