from django.urls import path

from . import invitation_views, views

app_name = "incidents"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("incidents/new/", views.incident_declare, name="declare"),
    path("incidents/<int:pk>/", views.incident_detail, name="detail"),
    path("incidents/<int:pk>/edit/", views.incident_edit, name="edit"),
    path("incidents/<int:pk>/status/", views.incident_transition, name="transition"),
    path("incidents/<int:pk>/timeline/", views.incident_timeline, name="timeline"),
    path("incidents/<int:pk>/people/", views.incident_people, name="people"),
    path(
        "incidents/<int:pk>/people/<int:user_id>/remove/", views.incident_people_remove, name="people_remove"
    ),
    path(
        "incidents/<int:pk>/people/<int:user_id>/keep-access/",
        invitation_views.keep_access,
        name="people_keep_access",
    ),
    path("incidents/<int:pk>/invitations/", invitation_views.invitations, name="invitations"),
    path(
        "incidents/<int:pk>/invitations/<int:invitation_id>/withdraw/",
        invitation_views.invitation_withdraw,
        name="invitation_withdraw",
    ),
    path("invitations/<str:token>/", invitation_views.invitation_accept, name="invitation_accept"),
    path("incidents/<int:pk>/access-review/", invitation_views.access_review, name="access_review"),
]
