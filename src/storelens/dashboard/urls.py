from django.urls import path

from storelens.dashboard import digest_views, views

app_name = "dashboard"

urlpatterns = [
    path("", views.home, name="home"),
    path("settings/", views.settings_page, name="settings"),
    path("settings/workspace/", views.rename_workspace, name="rename_workspace"),
    path("settings/digest/", digest_views.set_digest, name="set_digest"),
    path("settings/tokens/", views.create_token, name="create_token"),
    path("settings/tokens/<int:token_id>/revoke/", views.revoke_token, name="revoke_token"),
]
