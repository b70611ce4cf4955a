from django.urls import path

from . import views

app_name = "recovery"

urlpatterns = [
    path("incidents/<int:pk>/systems/", views.systems, name="systems"),
    path("incidents/<int:pk>/systems/new/", views.system_new, name="system_new"),
    path("incidents/<int:pk>/systems/order/", views.restore_order, name="restore_order"),
    path("incidents/<int:pk>/systems/<int:system_id>/", views.system_edit, name="system_edit"),
    path("incidents/<int:pk>/external-notifications/", views.external_notifications, name="notifications"),
    path(
        "incidents/<int:pk>/external-notifications/new/",
        views.external_notification_new,
        name="notification_new",
    ),
    path(
        "incidents/<int:pk>/external-notifications/not-needed/",
        views.external_notification_not_needed,
        name="notification_not_needed",
    ),
]
