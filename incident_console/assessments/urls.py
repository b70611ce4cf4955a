from django.urls import path

from . import views

app_name = "assessments"

urlpatterns = [
    path("incidents/<int:pk>/assessments/", views.assessment_list, name="list"),
    path("incidents/<int:pk>/assessments/new/", views.assessment_new, name="new"),
    path("incidents/<int:pk>/assessments/verify/", views.verify_page, name="verify"),
    path("incidents/<int:pk>/assessments/awareness/", views.record_awareness, name="awareness"),
    path("incidents/<int:pk>/assessments.csv", views.assessment_csv, name="csv"),
    path("assessments/<int:assessment_id>/", views.assessment_detail, name="detail"),
    path("assessments/<int:assessment_id>/edit/", views.assessment_edit, name="edit"),
    path("assessments/<int:assessment_id>/submit/", views.assessment_submit, name="submit"),
    path("assessments/<int:assessment_id>/sign-off/", views.assessment_sign_off, name="sign_off"),
    path("assessments/<int:assessment_id>/ico-draft/", views.ico_draft, name="ico_draft"),
    path("assessments/<int:assessment_id>/ico-draft/pdf/", views.ico_draft_pdf, name="ico_draft_pdf"),
]
