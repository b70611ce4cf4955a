from django.urls import path

from . import views

app_name = "payments"

urlpatterns = [
    path("incidents/<int:pk>/payments/", views.payments, name="list"),
    path("incidents/<int:pk>/payments/new/", views.payment_new, name="new"),
    path("incidents/<int:pk>/payments/export.csv", views.payments_csv, name="csv"),
    path("incidents/<int:pk>/payments/<int:payment_id>/", views.payment_detail, name="detail"),
    path(
        "incidents/<int:pk>/payments/<int:payment_id>/authorise/", views.payment_authorise, name="authorise"
    ),
    path("incidents/<int:pk>/payments/<int:payment_id>/reject/", views.payment_reject, name="reject"),
    path("incidents/<int:pk>/payments/<int:payment_id>/paid/", views.payment_paid, name="paid"),
    path(
        "incidents/<int:pk>/payments/<int:payment_id>/reconcile/", views.payment_reconcile, name="reconcile"
    ),
    path("incidents/<int:pk>/bank-detail-changes/new/", views.change_new, name="change_new"),
    path("incidents/<int:pk>/bank-detail-changes/<int:change_id>/", views.change_detail, name="change"),
    path(
        "incidents/<int:pk>/bank-detail-changes/<int:change_id>/call-back/",
        views.change_call_back,
        name="change_call_back",
    ),
    path(
        "incidents/<int:pk>/bank-detail-changes/<int:change_id>/confirm/",
        views.change_confirm,
        name="change_confirm",
    ),
    path(
        "incidents/<int:pk>/bank-detail-changes/<int:change_id>/reject/",
        views.change_reject,
        name="change_reject",
    ),
]
