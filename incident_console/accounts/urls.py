from django.contrib.auth import views as auth_views
from django.urls import path

from . import recovery_views, two_factor_views, views

app_name = "accounts"

urlpatterns = [
    path("", views.account_home, name="home"),
    path("contact/", views.contact_details, name="contact_details"),
    path(
        "login/",
        auth_views.LoginView.as_view(template_name="accounts/login.html", redirect_authenticated_user=True),
        name="login",
    ),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("password/", views.PasswordChangeView.as_view(), name="password_change"),
    path(
        "password/done/",
        auth_views.PasswordChangeDoneView.as_view(template_name="accounts/password_change_done.html"),
        name="password_change_done",
    ),
    path("two-factor/", two_factor_views.overview, name="two_factor"),
    path("two-factor/setup/", two_factor_views.setup, name="two_factor_setup"),
    path("two-factor/verify/", two_factor_views.verify, name="two_factor_verify"),
    path("two-factor/recovery-codes/", two_factor_views.recovery_codes, name="two_factor_recovery_codes"),
    path("two-factor/recovery-codes/new/", two_factor_views.regenerate_codes, name="two_factor_new_codes"),
    path("two-factor/turn-off/", two_factor_views.turn_off, name="two_factor_turn_off"),
    path("resets/", recovery_views.resets, name="resets"),
    path("resets/<int:pk>/confirm/", recovery_views.confirm, name="reset_confirm"),
    path("resets/<int:pk>/cancel/", recovery_views.cancel, name="reset_cancel"),
    path("audit/", recovery_views.audit_log, name="audit"),
]
