from django.urls import path

from storelens.stores import views

app_name = "stores"

urlpatterns = [
    path("", views.store_list, name="list"),
    path("add/", views.add, name="add"),
    path("wc-callback/", views.callback, name="callback"),
    path("<int:store_id>/", views.detail, name="detail"),
    path("<int:store_id>/card/", views.card, name="card"),
    path("<int:store_id>/connect/", views.start_connect, name="connect"),
    path("<int:store_id>/keys/", views.manual_keys, name="keys"),
    path("<int:store_id>/check/", views.check, name="check"),
    path("<int:store_id>/sync/", views.sync_now, name="sync_now"),
    path("<int:store_id>/figures/", views.figure_setting, name="figure_setting"),
    path("<int:store_id>/remove/", views.remove, name="remove"),
]
