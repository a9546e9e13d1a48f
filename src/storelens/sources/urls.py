from django.urls import path

from storelens.sources import views

app_name = "sources"

urlpatterns = [
    path("", views.source_list, name="list"),
    path("add/", views.add, name="add"),
    path("wc-callback/", views.callback, name="callback"),
    path("<int:source_id>/", views.detail, name="detail"),
    path("<int:source_id>/card/", views.card, name="card"),
    path("<int:source_id>/connect/", views.start_connect, name="connect"),
    path("<int:source_id>/keys/", views.manual_keys, name="keys"),
    path("<int:source_id>/check/", views.check, name="check"),
    path("<int:source_id>/sync/", views.sync_now, name="sync_now"),
    path("<int:source_id>/figures/", views.figure_setting, name="figure_setting"),
    path("<int:source_id>/remove/", views.remove, name="remove"),
]
