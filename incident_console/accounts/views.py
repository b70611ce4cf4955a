"""Account pages that need more than Django's stock views."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse, reverse_lazy
from django.utils.translation import gettext as _

from . import audit, services, two_factor
from .auth import signed_in_user
from .forms import ContactDetailsForm
from .models import Membership, Role


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("accounts:password_change_done")

    def form_valid(self, form: Any) -> HttpResponse:
        response = super().form_valid(form)
        user = signed_in_user(self.request)
        if user.must_change_password:
            user.must_change_password = False
            user.save(update_fields=["must_change_password"])
        audit.record_for_person(
            user, actor=user, kind="password_changed", summary="Changed their password", data={}
        )
        return response

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["must_change"] = getattr(self.request.user, "must_change_password", False)
        return context


@login_required
def account_home(request: HttpRequest) -> HttpResponse:
    """The person's own account: password, second factor, API tokens; admin tools for admins."""
    user = signed_in_user(request)
    roles = Membership.objects.filter(user=user, is_active=True).select_related("council")
    role_names = {m.role for m in roles}
    return render(
        request,
        "accounts/home.html",
        {
            "memberships": list(roles),
            "two_factor_on": two_factor.has_two_factor(user),
            "is_admin": Role.COUNCIL_ADMIN in role_names,
            "reads_audit": bool(role_names & {Role.COUNCIL_ADMIN, Role.SIRO, Role.DPO}),
            "nav": "account",
        },
    )


@login_required
def contact_details(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    if request.method == "POST":
        form = ContactDetailsForm(request.POST)
        if form.is_valid():
            services.update_contact_details(
                user=user,
                mobile_phone=form.cleaned_data["mobile_phone"],
                personal_email=form.cleaned_data["personal_email"],
            )
            messages.success(request, _("Your contact details are saved."))
            return HttpResponseRedirect(reverse("accounts:home"))
    else:
        form = ContactDetailsForm(
            initial={"mobile_phone": user.mobile_phone, "personal_email": user.personal_email}
        )
    return render(request, "accounts/contact_details.html", {"form": form, "nav": "account"})
