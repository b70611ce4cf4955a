"""Emergency payments and bank-detail change pages. Thin: parse, check access, call a service or
selector, render. Every page names payees, so every page is OFFICIAL-SENSITIVE."""

from __future__ import annotations

import csv
from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from incident_console.accounts.auth import signed_in_user
from incident_console.accounts.models import User
from incident_console.command.views import _csv_time, safe_cell
from incident_console.incidents import access
from incident_console.incidents.models import Incident
from incident_console.incidents.views import get_incident, incident_context
from incident_console.lib.choices import Classification
from incident_console.lib.errors import ValidationError
from incident_console.lib.forms import Saving, add_service_errors, saving

from . import selectors, services
from .forms import BankChangeForm, CallBackForm, PaidForm, PaymentForm, ReconcileForm, RejectForm, VersionForm
from .models import BankDetailChange, ChangeState, EmergencyPayment

SENSITIVE = Classification.OFFICIAL_SENSITIVE


def _context(request: HttpRequest, incident: Incident, **extra: Any) -> dict[str, Any]:
    return incident_context(
        request,
        incident,
        classification=SENSITIVE,
        may_manage_payments=access.can(request.user, "manage_payments", incident),
        **extra,
    )


@login_required
def payments(request: HttpRequest, pk: int) -> HttpResponse:
    incident = get_incident(request, pk, "view_payments")
    changes = list(selectors.changes_for(incident))
    listed = selectors.with_bank_warnings(list(selectors.payments_for(incident)), changes)
    return render(
        request,
        "payments/list.html",
        _context(
            request,
            incident,
            payments=listed,
            totals=selectors.totals(listed),
            changes=changes,
            rejected_changes=[c for c in changes if c.state == ChangeState.REJECTED],
            warned=[p for p in listed if p.bank_warnings],  # type: ignore[attr-defined]
        ),
    )


@login_required
@require_http_methods(["GET", "POST"])
def payment_new(request: HttpRequest, pk: int) -> HttpResponse:
    incident = get_incident(request, pk, "manage_payments")
    form = PaymentForm(request.POST or None)
    duplicates: list[EmergencyPayment] = []
    if request.method == "POST" and form.is_valid():
        try:
            payment = services.request_payment(
                incident=incident, actor=signed_in_user(request), **form.cleaned_data
            )
        except services.LikelyDuplicate as error:
            duplicates = error.duplicates
            form.add_error("confirm_not_duplicate", error.message_dict["duplicate_of"][0])
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Payment %(number)s requested.") % {"number": payment.number})
            return HttpResponseRedirect(reverse("payments:detail", args=[incident.pk, payment.pk]))
    return render(
        request, "payments/payment_form.html", _context(request, incident, form=form, duplicates=duplicates)
    )


def _payment_or_404(incident: Incident, payment_id: int) -> EmergencyPayment:
    payment = selectors.payment_for(incident, payment_id)
    if payment is None:
        raise Http404
    return payment


def _payment_page(
    request: HttpRequest, incident: Incident, payment: EmergencyPayment, status: int = 200, **forms_: Any
) -> HttpResponse:
    initial = {"version": payment.version}
    changes = list(selectors.changes_for(incident).filter(payee_reference__iexact=payment.payee_reference))
    selectors.with_bank_warnings([payment], changes)
    context = {
        "payment": payment,
        "authorise_form": VersionForm(initial=initial, prefix="authorise"),
        "reject_form": RejectForm(initial=initial, prefix="reject"),
        "paid_form": PaidForm(initial=initial, prefix="paid"),
        "reconcile_form": ReconcileForm(initial=initial, prefix="reconcile"),
        "is_requester": payment.requested_by_id == request.user.pk,
        **forms_,
    }
    return render(request, "payments/payment.html", _context(request, incident, **context), status=status)


@login_required
def payment_detail(request: HttpRequest, pk: int, payment_id: int) -> HttpResponse:
    incident = get_incident(request, pk, "view_payments")
    return _payment_page(request, incident, _payment_or_404(incident, payment_id))


def _payment_action(
    request: HttpRequest,
    pk: int,
    payment_id: int,
    name: str,
    form_class: type[VersionForm],
    call: Callable[[EmergencyPayment, User, dict[str, Any]], object],
    done: str,
) -> HttpResponse:
    incident = get_incident(request, pk, "manage_payments")
    payment = _payment_or_404(incident, payment_id)
    form = form_class(request.POST, prefix=name)
    outcome = Saving()
    if form.is_valid():
        with saving(form) as outcome:
            call(payment, signed_in_user(request), form.cleaned_data)
        if outcome.saved:
            messages.success(request, done)
            return HttpResponseRedirect(reverse("payments:detail", args=[incident.pk, payment.pk]))
    payment = _payment_or_404(incident, payment_id)
    return _payment_page(request, incident, payment, outcome.status, form=form, **{f"{name}_form": form})


@login_required
@require_POST
def payment_authorise(request: HttpRequest, pk: int, payment_id: int) -> HttpResponse:
    return _payment_action(
        request,
        pk,
        payment_id,
        "authorise",
        VersionForm,
        lambda p, u, d: services.authorise_payment(payment=p, actor=u, expected_version=d["version"]),
        _("Payment authorised."),
    )


@login_required
@require_POST
def payment_reject(request: HttpRequest, pk: int, payment_id: int) -> HttpResponse:
    return _payment_action(
        request,
        pk,
        payment_id,
        "reject",
        RejectForm,
        lambda p, u, d: services.reject_payment(
            payment=p, actor=u, expected_version=d["version"], reason=d["reason"]
        ),
        _("Payment rejected."),
    )


@login_required
@require_POST
def payment_paid(request: HttpRequest, pk: int, payment_id: int) -> HttpResponse:
    return _payment_action(
        request,
        pk,
        payment_id,
        "paid",
        PaidForm,
        lambda p, u, d: services.mark_paid(
            payment=p, actor=u, expected_version=d["version"], paid_at=d.get("paid_at")
        ),
        _("Payment recorded as paid."),
    )


@login_required
@require_POST
def payment_reconcile(request: HttpRequest, pk: int, payment_id: int) -> HttpResponse:
    return _payment_action(
        request,
        pk,
        payment_id,
        "reconcile",
        ReconcileForm,
        lambda p, u, d: services.reconcile_payment(
            payment=p, actor=u, expected_version=d["version"], finance_reference=d["finance_reference"]
        ),
        _("Payment reconciled into the finance system."),
    )


@login_required
def payments_csv(request: HttpRequest, pk: int) -> HttpResponse:
    incident = get_incident(request, pk, "view_payments")
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{incident.reference}-emergency-payments.csv"'
    writer = csv.writer(response)
    writer.writerow(
        [
            _("Number"),
            _("Payee type"),
            _("Payee reference"),
            _("Payee name"),
            _("Amount (GBP)"),
            _("Method"),
            _("Reason"),
            _("State"),
            _("Requested by"),
            _("Requested (UK)"),
            _("Confirmed not a duplicate"),
            _("Authorised by"),
            _("Authorised (UK)"),
            _("Paid by"),
            _("Paid (UK)"),
            _("Reconciled by"),
            _("Reconciled (UK)"),
            _("Finance system reference"),
            _("Rejected because"),
        ]
    )
    for p in selectors.payments_for(incident).order_by("number"):
        values: list[Any] = [
            p.number,
            p.get_payee_type_display(),
            p.payee_reference,
            p.payee_name,
            f"{p.amount:.2f}",
            p.get_method_display(),
            p.reason,
            p.get_state_display(),
            p.requested_by.display_name,
            _csv_time(p.requested_at),
            _("yes") if p.not_duplicate_confirmed else "",
            p.authorised_by.display_name if p.authorised_by else "",
            _csv_time(p.authorised_at),
            p.paid_by.display_name if p.paid_by else "",
            _csv_time(p.paid_at),
            p.reconciled_by.display_name if p.reconciled_by else "",
            _csv_time(p.reconciled_at),
            p.finance_reference,
            p.rejection_reason,
        ]
        writer.writerow([safe_cell(v) for v in values])
    return response


# --- Bank-detail changes ---------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def change_new(request: HttpRequest, pk: int) -> HttpResponse:
    incident = get_incident(request, pk, "manage_payments")
    form = BankChangeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            change = services.request_bank_change(
                incident=incident, actor=signed_in_user(request), **form.cleaned_data
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request, _("Bank detail change recorded. Nobody may use it until it is checked.")
            )
            return HttpResponseRedirect(reverse("payments:change", args=[incident.pk, change.pk]))
    return render(request, "payments/change_form.html", _context(request, incident, form=form))


def _change_or_404(incident: Incident, change_id: int) -> BankDetailChange:
    change = selectors.change_for(incident, change_id)
    if change is None:
        raise Http404
    return change


def _change_page(
    request: HttpRequest, incident: Incident, change: BankDetailChange, status: int = 200, **forms_: Any
) -> HttpResponse:
    initial = {"version": change.version}
    context = {
        "change": change,
        "call_back_form": CallBackForm(initial=initial, prefix="call_back"),
        "confirm_form": VersionForm(initial=initial, prefix="confirm"),
        "reject_form": RejectForm(initial=initial, prefix="reject"),
        "is_requester": change.requested_by_id == request.user.pk,
        **forms_,
    }
    return render(request, "payments/change.html", _context(request, incident, **context), status=status)


@login_required
def change_detail(request: HttpRequest, pk: int, change_id: int) -> HttpResponse:
    incident = get_incident(request, pk, "view_payments")
    return _change_page(request, incident, _change_or_404(incident, change_id))


def _change_action(
    request: HttpRequest,
    pk: int,
    change_id: int,
    name: str,
    form_class: type[forms.Form],
    call: Callable[[BankDetailChange, User, dict[str, Any]], object],
    done: str,
) -> HttpResponse:
    incident = get_incident(request, pk, "manage_payments")
    change = _change_or_404(incident, change_id)
    form = form_class(request.POST, prefix=name)
    outcome = Saving()
    if form.is_valid():
        with saving(form) as outcome:
            call(change, signed_in_user(request), form.cleaned_data)
        if outcome.saved:
            messages.success(request, done)
            return HttpResponseRedirect(reverse("payments:change", args=[incident.pk, change.pk]))
    change = _change_or_404(incident, change_id)
    return _change_page(request, incident, change, outcome.status, form=form, **{f"{name}_form": form})


@login_required
@require_POST
def change_call_back(request: HttpRequest, pk: int, change_id: int) -> HttpResponse:
    def call(c: BankDetailChange, u: User, d: dict[str, Any]) -> object:
        return services.record_call_back(
            change=c,
            actor=u,
            expected_version=d["version"],
            known_number_source=d["known_number_source"],
            known_number=d["known_number"],
            number_held_before=d["number_held_before"],
            outcome=d["outcome"],
            called_at=d.get("called_at"),
            notes=d.get("notes", ""),
        )

    return _change_action(request, pk, change_id, "call_back", CallBackForm, call, _("Call-back recorded."))


@login_required
@require_POST
def change_confirm(request: HttpRequest, pk: int, change_id: int) -> HttpResponse:
    return _change_action(
        request,
        pk,
        change_id,
        "confirm",
        VersionForm,
        lambda c, u, d: services.confirm_bank_change(change=c, actor=u, expected_version=d["version"]),
        _("Bank detail change confirmed. It may now be used."),
    )


@login_required
@require_POST
def change_reject(request: HttpRequest, pk: int, change_id: int) -> HttpResponse:
    return _change_action(
        request,
        pk,
        change_id,
        "reject",
        RejectForm,
        lambda c, u, d: services.reject_bank_change(
            change=c, actor=u, expected_version=d["version"], reason=d["reason"]
        ),
        _("Bank detail change rejected."),
    )
