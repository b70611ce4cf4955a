from django.urls import path

from . import views

app_name = "broadcasts"

urlpatterns = [
    path("incidents/<int:pk>/broadcasts/", views.broadcast_list, name="list"),
    path("incidents/<int:pk>/broadcasts/new/", views.broadcast_new, name="new"),
    path("incidents/<int:pk>/broadcasts/<int:broadcast_id>/", views.broadcast_detail, name="detail"),
    path(
        "incidents/<int:pk>/broadcasts/<int:broadcast_id>/received/",
        views.broadcast_received,
        name="received",
    ),
]
