from django.urls import path

from . import views

app_name = "health"

urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    path("healthz/live", views.live, name="live"),
]
