"""Writes for emergency payments and bank-detail changes. Every write records a timeline event
whose summary never names the payee."""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING

from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from incident_console.contacts.validation import is_uk_phone
from incident_console.incidents.models import Incident
from incident_console.lib.errors import StaleEditError, ValidationError
from incident_console.lib.time import london, now
from incident_console.timeline.services import record

from .models import (
    BankDetailChange,
    CallBackOutcome,
    ChangeState,
    EmergencyPayment,
    KnownNumberSource,
    PayeeType,
    PaymentMethod,
    PaymentState,
    ReceivedVia,
)

if TYPE_CHECKING:
    from incident_console.accounts.models import User

DUPLICATE_WINDOW = timedelta(days=7)
MAX_AMOUNT = Decimal("9999999999.99")


class LikelyDuplicate(ValidationError):
    """A payment to the same payee for the same amount was made or requested within seven days."""

    def __init__(self, duplicates: list[EmergencyPayment]) -> None:
        self.duplicates = duplicates
        first = duplicates[0]
        super().__init__(
            {
                "duplicate_of": _(
                    "This looks like a duplicate: payment %(number)s on %(incident)s to the same payee "
                    "for the same amount was requested on %(when)s. Check it is not the same payment, "
                    "then confirm it is not a duplicate."
                )
                % {
                    "number": first.number,
                    "incident": first.incident.reference,
                    "when": f"{london(first.requested_at):%d/%m/%Y}",
                }
            }
        )


def _check_open(incident: Incident) -> None:
    if not incident.is_open:
        raise ValidationError(_("This incident is closed."))


def check_amount(value: object) -> Decimal:
    """The amount as pounds and pence, or a ValidationError a person can act on."""
    try:
        amount = Decimal(str(value).strip().replace(",", "").removeprefix("£"))
    except (InvalidOperation, ValueError):
        raise ValidationError({"amount": _("Enter the amount in pounds and pence, like 250.00")}) from None
    if not amount.is_finite():
        raise ValidationError({"amount": _("Enter the amount in pounds and pence, like 250.00")})
    if amount <= 0:
        raise ValidationError({"amount": _("Enter an amount more than £0.00")})
    if amount != amount.quantize(Decimal("0.01")):
        raise ValidationError({"amount": _("Enter the amount to the nearest penny, like 250.50")})
    if amount > MAX_AMOUNT:
        raise ValidationError({"amount": _("Enter an amount less than £10,000,000,000")})
    return amount.quantize(Decimal("0.01"))


def likely_duplicates(*, incident: Incident, payee_reference: str, amount: Decimal) -> list[EmergencyPayment]:
    """Payments of the incident's council (on any of its incidents) to the same payee reference
    for the same amount, requested or paid in the last seven days, not rejected."""
    since = now() - DUPLICATE_WINDOW
    from django.db.models import Q

    return list(
        EmergencyPayment.objects.filter(
            council_id=incident.council_id, payee_reference__iexact=payee_reference.strip(), amount=amount
        )
        .filter(Q(requested_at__gte=since) | Q(paid_at__gte=since))
        .exclude(state=PaymentState.REJECTED)
        .select_related("incident")
        .order_by("-requested_at")
    )


def _next_number(model: type[EmergencyPayment] | type[BankDetailChange], incident: Incident) -> int:
    Incident.objects.select_for_update().only("id").get(pk=incident.pk)
    return int(model.objects.filter(incident=incident).aggregate(n=Max("number"))["n"] or 0) + 1


@transaction.atomic
def request_payment(
    *,
    incident: Incident,
    actor: User,
    payee_type: str,
    payee_reference: str,
    payee_name: str,
    amount: object,
    method: str,
    reason: str,
    confirm_not_duplicate: bool = False,
) -> EmergencyPayment:
    _check_open(incident)
    errors: dict[str, str] = {}
    if payee_type not in PayeeType.values:
        errors["payee_type"] = _("Choose who is being paid.")
    if not payee_reference.strip():
        errors["payee_reference"] = _("Enter the payee reference, for example the provider or person number.")
    if not payee_name.strip():
        errors["payee_name"] = _("Enter the payee's name.")
    if method not in PaymentMethod.values:
        errors["method"] = _("Choose how it is paid.")
    if not reason.strip():
        errors["reason"] = _("Say why the payment is needed now.")
    try:
        money = check_amount(amount)
    except ValidationError as error:
        errors.update({k: v[0] for k, v in error.message_dict.items()})
        money = None
    if errors:
        raise ValidationError(errors)
    assert money is not None
    duplicates = likely_duplicates(incident=incident, payee_reference=payee_reference, amount=money)
    if duplicates and not confirm_not_duplicate:
        raise LikelyDuplicate(duplicates)
    payment = EmergencyPayment.objects.create(
        incident=incident,
        council=incident.council,
        number=_next_number(EmergencyPayment, incident),
        payee_type=payee_type,
        payee_reference=payee_reference.strip(),
        payee_name=payee_name.strip(),
        amount=money,
        method=method,
        reason=reason.strip(),
        requested_by=actor,
        requested_at=now(),
        not_duplicate_confirmed=bool(duplicates),
        possible_duplicate_of=duplicates[0] if duplicates else None,
    )
    record(
        incident=incident,
        kind="payment_requested",
        actor=actor,
        summary=_("Emergency payment %(number)s (%(what)s) requested")
        % {"number": payment.number, "what": payment.short_description()},
        data={
            "payment": payment.pk,
            "amount": str(money),
            "payee_type": payee_type,
            "not_duplicate_confirmed": payment.not_duplicate_confirmed,
        },
    )
    return payment


def _locked_payment(payment: EmergencyPayment, expected_version: int | None) -> EmergencyPayment:
    locked = EmergencyPayment.objects.select_for_update().select_related("incident").get(pk=payment.pk)
    if expected_version is not None and locked.version != expected_version:
        raise StaleEditError(current_version=locked.version)
    _check_open(locked.incident)
    return locked


def _in_state(payment: EmergencyPayment, state: str, message: str) -> None:
    if payment.state != state:
        raise ValidationError(message % {"state": payment.get_state_display().lower()})


def _saved(payment: EmergencyPayment, verb: str, kind: str, actor: User, **data: object) -> EmergencyPayment:
    payment.version += 1
    payment.save()
    record(
        incident=payment.incident,
        kind=kind,
        actor=actor,
        summary=_("Emergency payment %(number)s (%(what)s) %(verb)s")
        % {"number": payment.number, "what": payment.short_description(), "verb": verb},
        data={"payment": payment.pk, "state": payment.state, **data},
    )
    return payment


@transaction.atomic
def authorise_payment(
    *, payment: EmergencyPayment, actor: User, expected_version: int | None
) -> EmergencyPayment:
    locked = _locked_payment(payment, expected_version)
    _in_state(
        locked,
        PaymentState.REQUESTED,
        _("Only a requested payment can be authorised; this one is %(state)s."),
    )
    if locked.requested_by_id == actor.pk:
        raise ValidationError(_("You requested this payment, so a second person must authorise it."))
    locked.state = PaymentState.AUTHORISED
    locked.authorised_by = actor
    locked.authorised_at = now()
    return _saved(locked, _("authorised"), "payment_authorised", actor)


@transaction.atomic
def reject_payment(
    *, payment: EmergencyPayment, actor: User, expected_version: int | None, reason: str
) -> EmergencyPayment:
    locked = _locked_payment(payment, expected_version)
    _in_state(
        locked, PaymentState.REQUESTED, _("Only a requested payment can be rejected; this one is %(state)s.")
    )
    if locked.requested_by_id == actor.pk:
        raise ValidationError(_("You requested this payment, so a second person must decide on it."))
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the payment is rejected.")})
    locked.state = PaymentState.REJECTED
    locked.rejected_by = actor
    locked.rejected_at = now()
    locked.rejection_reason = reason.strip()
    return _saved(locked, _("rejected"), "payment_rejected", actor)


@transaction.atomic
def mark_paid(
    *, payment: EmergencyPayment, actor: User, expected_version: int | None, paid_at: datetime | None = None
) -> EmergencyPayment:
    locked = _locked_payment(payment, expected_version)
    _in_state(
        locked, PaymentState.AUTHORISED, _("Only an authorised payment can be paid; this one is %(state)s.")
    )
    when = paid_at or now()
    if when > now():
        raise ValidationError({"paid_at": _("The time it was paid cannot be in the future.")})
    if locked.authorised_at and when < locked.authorised_at - timedelta(minutes=1):
        raise ValidationError(
            {
                "paid_at": _("The time it was paid cannot be before it was authorised (%(at)s).")
                % {"at": f"{london(locked.authorised_at):%d/%m/%Y %H:%M}"}
            }
        )
    locked.state = PaymentState.PAID
    locked.paid_by = actor
    locked.paid_at = when
    return _saved(locked, _("paid"), "payment_paid", actor)


@transaction.atomic
def reconcile_payment(
    *, payment: EmergencyPayment, actor: User, expected_version: int | None, finance_reference: str
) -> EmergencyPayment:
    locked = _locked_payment(payment, expected_version)
    _in_state(locked, PaymentState.PAID, _("Only a paid payment can be reconciled; this one is %(state)s."))
    if not finance_reference.strip():
        raise ValidationError({"finance_reference": _("Enter the finance system reference.")})
    locked.state = PaymentState.RECONCILED
    locked.reconciled_by = actor
    locked.reconciled_at = now()
    locked.finance_reference = finance_reference.strip()[:100]
    return _saved(
        locked, _("reconciled"), "payment_reconciled", actor, finance_reference=locked.finance_reference
    )


# --- Bank-detail changes ---------------------------------------------------------------------------

_SEPARATORS = re.compile(r"[\s\-]")


def check_sort_code(value: str) -> str:
    compact = _SEPARATORS.sub("", value)
    if not re.fullmatch(r"[0-9]{6}", compact):
        raise ValidationError({"sort_code": _("Enter a sort code of 6 digits, like 30-94-57")})
    return compact


def check_account_number(value: str) -> str:
    compact = _SEPARATORS.sub("", value)
    if not re.fullmatch(r"[0-9]{8}", compact):
        raise ValidationError({"account_number": _("Enter an account number of 8 digits, like 00733445")})
    return compact


@transaction.atomic
def request_bank_change(
    *,
    incident: Incident,
    actor: User,
    payee_reference: str,
    payee_name: str,
    sort_code: str,
    account_number: str,
    received_via: str,
    notes: str = "",
) -> BankDetailChange:
    _check_open(incident)
    errors: dict[str, str] = {}
    if not payee_reference.strip():
        errors["payee_reference"] = _("Enter the payee reference.")
    if not payee_name.strip():
        errors["payee_name"] = _("Enter the payee's name.")
    if received_via not in ReceivedVia.values:
        errors["received_via"] = _("Choose how the request arrived.")
    for check, value in ((check_sort_code, sort_code), (check_account_number, account_number)):
        try:
            check(value)
        except ValidationError as error:
            errors.update({k: v[0] for k, v in error.message_dict.items()})
    if errors:
        raise ValidationError(errors)
    change = BankDetailChange.objects.create(
        incident=incident,
        council=incident.council,
        number=_next_number(BankDetailChange, incident),
        payee_reference=payee_reference.strip(),
        payee_name=payee_name.strip(),
        sort_code=check_sort_code(sort_code),
        account_number=check_account_number(account_number),
        received_via=received_via,
        notes=notes.strip(),
        requested_by=actor,
        requested_at=now(),
    )
    record(
        incident=incident,
        kind="bank_change_requested",
        actor=actor,
        summary=_("Bank detail change %(number)s requested (%(via)s): awaiting a call-back")
        % {"number": change.number, "via": change.get_received_via_display().lower()},
        data={"change": change.pk, "received_via": received_via},
    )
    return change


def _locked_change(change: BankDetailChange, expected_version: int | None) -> BankDetailChange:
    locked = BankDetailChange.objects.select_for_update().select_related("incident").get(pk=change.pk)
    if expected_version is not None and locked.version != expected_version:
        raise StaleEditError(current_version=locked.version)
    _check_open(locked.incident)
    return locked


def _change_saved(change: BankDetailChange, summary: str, kind: str, actor: User) -> BankDetailChange:
    change.version += 1
    change.save()
    record(
        incident=change.incident,
        kind=kind,
        actor=actor,
        summary=summary,
        data={"change": change.pk, "state": change.state},
    )
    return change


@transaction.atomic
def record_call_back(
    *,
    change: BankDetailChange,
    actor: User,
    expected_version: int | None,
    known_number_source: str,
    known_number: str,
    number_held_before: bool,
    outcome: str,
    called_at: datetime | None = None,
    notes: str = "",
) -> BankDetailChange:
    """The call-back on a number the council held before the request arrived. A call-back that
    does not confirm the change rejects it."""
    locked = _locked_change(change, expected_version)
    if locked.state != ChangeState.AWAITING_CALL_BACK:
        raise ValidationError(_("This change is no longer awaiting a call-back."))
    errors: dict[str, str] = {}
    if known_number_source not in KnownNumberSource.values:
        errors["known_number_source"] = _("Choose where the number you called came from.")
    if not known_number.strip() or len(known_number) > 40 or not is_uk_phone(known_number):
        errors["known_number"] = _(
            "Enter the UK phone number you called, like 01632 960 001 or 07700 900 123."
        )
    if not number_held_before:
        errors["number_held_before"] = _(
            "Call back only on a number held before the request arrived, never one given in the request."
        )
    if outcome not in CallBackOutcome.values:
        errors["outcome"] = _("Choose whether the call-back confirmed the change.")
    when = called_at or now()
    if when > now():
        errors["called_at"] = _("The time of the call cannot be in the future.")
    elif when < locked.requested_at - timedelta(minutes=1):
        errors["called_at"] = _("The call-back must come after the request.")
    if errors:
        raise ValidationError(errors)
    locked.known_number_source = known_number_source
    locked.known_number = known_number.strip()
    locked.call_back_by = actor
    locked.call_back_at = when
    locked.call_back_outcome = outcome
    locked.call_back_notes = notes.strip()
    if outcome == CallBackOutcome.CONFIRMED:
        locked.state = ChangeState.AWAITING_CONFIRMATION
        summary = _("Bank detail change %(number)s: call-back confirmed it; awaiting a second person") % {
            "number": locked.number
        }
    else:
        locked.state = ChangeState.REJECTED
        locked.rejected_by = actor
        locked.rejected_at = when
        locked.rejection_reason = _("The call-back on a known number did not confirm the change.")
        summary = _(
            "Bank detail change %(number)s NOT confirmed by the call-back: rejected as possible fraud"
        ) % {"number": locked.number}
    return _change_saved(locked, summary, "bank_change_call_back", actor)


@transaction.atomic
def confirm_bank_change(
    *, change: BankDetailChange, actor: User, expected_version: int | None
) -> BankDetailChange:
    locked = _locked_change(change, expected_version)
    if locked.state != ChangeState.AWAITING_CONFIRMATION:
        raise ValidationError(_("Only a change whose call-back confirmed it can be confirmed."))
    if locked.requested_by_id == actor.pk:
        raise ValidationError(_("You recorded this change, so a second person must confirm it."))
    locked.state = ChangeState.CONFIRMED
    locked.confirmed_by = actor
    locked.confirmed_at = now()
    summary = _("Bank detail change %(number)s confirmed by a second person") % {"number": locked.number}
    return _change_saved(locked, summary, "bank_change_confirmed", actor)


@transaction.atomic
def reject_bank_change(
    *, change: BankDetailChange, actor: User, expected_version: int | None, reason: str
) -> BankDetailChange:
    locked = _locked_change(change, expected_version)
    if locked.state not in (ChangeState.AWAITING_CALL_BACK, ChangeState.AWAITING_CONFIRMATION):
        raise ValidationError(_("This change has already been decided."))
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the change is rejected.")})
    locked.state = ChangeState.REJECTED
    locked.rejected_by = actor
    locked.rejected_at = now()
    locked.rejection_reason = reason.strip()
    summary = _("Bank detail change %(number)s rejected") % {"number": locked.number}
    return _change_saved(locked, summary, "bank_change_rejected", actor)
