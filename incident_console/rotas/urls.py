from django.urls import path

from . import views

app_name = "rotas"

urlpatterns = [
    path("rotas/", views.rota_list, name="list"),
    path("rotas/new/", views.rota_create, name="create"),
    path("rotas/mine/", views.my_shifts, name="mine"),
    path("rotas/mine/calendar/", views.calendar_key, name="calendar_key"),
    path("rotas/mine/calendar/revoke/", views.calendar_revoke, name="calendar_revoke"),
    path("rotas/mine/working-time/", views.working_time_opt_out, name="opt_out"),
    path("rotas/councils/<int:council_id>/settings/", views.council_settings, name="council_settings"),
    path("rotas/swaps/<int:pk>/agree/", views.swap_agree, name="swap_agree"),
    path("rotas/swaps/<int:pk>/withdraw/", views.swap_withdraw, name="swap_withdraw"),
    path("rotas/<int:pk>/", views.rota_detail, name="detail"),
    path("rotas/<int:pk>/overrides/new/", views.override_create, name="override"),
    path("rotas/<int:pk>/import/", views.members_import, name="import"),
    path("rotas/<int:pk>/hours/", views.hours, name="hours"),
    path("rotas/<int:pk>/swaps/new/", views.swap_new, name="swap_new"),
    path("calendar/<str:token>.ics", views.calendar_feed, name="calendar_feed"),
]
