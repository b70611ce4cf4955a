"""Emergency payments made by hand while the payment systems are down, and requests to change a
payee's bank details (the usual route for payment diversion fraud).

- ``EmergencyPayment``: requested by one person, authorised (or rejected) by a second, then paid
  and later reconciled into the finance system.
- ``BankDetailChange``: a request to pay someone into a new account. It is usable only after a
  call-back on a number held before the request confirmed it and a second person confirmed it.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class PayeeType(models.TextChoices):
    PROVIDER = "provider", _("Provider")
    DIRECT_PAYMENT = "direct_payment", _("Direct-payment recipient")
    FOSTER_CARER = "foster_carer", _("Foster carer")
    PERSONAL_ALLOWANCE = "personal_allowance", _("Personal allowance")


class PaymentMethod(models.TextChoices):
    BACS = "bacs", _("BACS")
    CHAPS = "chaps", _("CHAPS")
    CHEQUE = "cheque", _("Cheque")
    PREPAID_CARD = "prepaid_card", _("Prepaid card")
    CASH = "cash", _("Cash")
    OTHER = "other", _("Other")


class PaymentState(models.TextChoices):
    REQUESTED = "requested", _("Requested")
    AUTHORISED = "authorised", _("Authorised")
    PAID = "paid", _("Paid")
    RECONCILED = "reconciled", _("Reconciled")
    REJECTED = "rejected", _("Rejected")


class EmergencyPayment(models.Model):
    incident = models.ForeignKey("incidents.Incident", on_delete=models.CASCADE, related_name="payments")
    council = models.ForeignKey("accounts.Council", on_delete=models.PROTECT, related_name="+")
    number = models.PositiveIntegerField(_("payment number"))
    payee_type = models.CharField(_("payee type"), max_length=30, choices=PayeeType.choices)
    payee_reference = models.CharField(_("payee reference"), max_length=100)
    payee_name = models.CharField(_("payee name"), max_length=200)
    amount = models.DecimalField(_("amount (£)"), max_digits=12, decimal_places=2)
    method = models.CharField(_("how it is paid"), max_length=20, choices=PaymentMethod.choices)
    reason = models.TextField(_("reason"))
    state = models.CharField(
        _("state"), max_length=20, choices=PaymentState.choices, default=PaymentState.REQUESTED
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("requested by")
    )
    requested_at = models.DateTimeField(_("requested at"))
    not_duplicate_confirmed = models.BooleanField(
        _("requester confirmed it is not a duplicate"), default=False
    )
    possible_duplicate_of = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    authorised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("authorised by"),
    )
    authorised_at = models.DateTimeField(_("authorised at"), null=True, blank=True)
    rejected_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    rejected_at = models.DateTimeField(null=True, blank=True)
    rejection_reason = models.TextField(_("why it was rejected"), blank=True)
    paid_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    paid_at = models.DateTimeField(_("paid at"), null=True, blank=True)
    reconciled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reconciled_at = models.DateTimeField(_("reconciled at"), null=True, blank=True)
    finance_reference = models.CharField(_("finance system reference"), max_length=100, blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["-requested_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["incident", "number"], name="payment_number_once_per_incident"),
            models.CheckConstraint(
                condition=models.Q(amount__gt=Decimal("0")), name="payment_amount_positive"
            ),
            # Segregation of duties: the requester never authorises or rejects their own request.
            models.CheckConstraint(
                condition=models.Q(authorised_by__isnull=True)
                | ~models.Q(authorised_by=models.F("requested_by")),
                name="payment_authoriser_is_not_requester",
            ),
            models.CheckConstraint(
                condition=models.Q(rejected_by__isnull=True)
                | ~models.Q(rejected_by=models.F("requested_by")),
                name="payment_rejecter_is_not_requester",
            ),
        ]
        indexes = [models.Index(fields=["council", "payee_reference"], name="payment_council_payee")]

    def __str__(self) -> str:
        return f"{self.incident_id}/{self.number}"

    @property
    def is_to_individual(self) -> bool:
        return self.payee_type != PayeeType.PROVIDER

    def short_description(self) -> str:
        """For the timeline: never the payee's name."""
        return f"{self.get_payee_type_display().lower()}, £{self.amount:,.2f}"


class ReceivedVia(models.TextChoices):
    LETTER = "letter", _("Letter")
    PHONE = "phone", _("Phone")
    EMAIL = "email", _("Email")
    IN_PERSON = "in_person", _("In person")


class KnownNumberSource(models.TextChoices):
    CONTACTS_REGISTER = "contacts_register", _("Key contacts register")
    FINANCE_RECORD = "finance_record", _("Finance system record (from before the request)")
    CONTRACT = "contract", _("Contract or agreement")
    CASE_RECORD = "case_record", _("Case record (from before the request)")


class CallBackOutcome(models.TextChoices):
    CONFIRMED = "confirmed", _("Confirmed: they asked for this change")
    NOT_CONFIRMED = "not_confirmed", _("Not confirmed")


class ChangeState(models.TextChoices):
    AWAITING_CALL_BACK = "awaiting_call_back", _("Awaiting call-back")
    AWAITING_CONFIRMATION = "awaiting_confirmation", _("Awaiting second-person confirmation")
    CONFIRMED = "confirmed", _("Confirmed")
    REJECTED = "rejected", _("Rejected")


class BankDetailChange(models.Model):
    incident = models.ForeignKey(
        "incidents.Incident", on_delete=models.CASCADE, related_name="bank_detail_changes"
    )
    council = models.ForeignKey("accounts.Council", on_delete=models.PROTECT, related_name="+")
    number = models.PositiveIntegerField(_("change number"))
    payee_reference = models.CharField(_("payee reference"), max_length=100)
    payee_name = models.CharField(_("payee name"), max_length=200)
    sort_code = models.CharField(_("new sort code"), max_length=6)
    account_number = models.CharField(_("new account number"), max_length=8)
    received_via = models.CharField(_("how the request arrived"), max_length=20, choices=ReceivedVia.choices)
    notes = models.TextField(_("notes"), blank=True)
    state = models.CharField(
        _("state"), max_length=30, choices=ChangeState.choices, default=ChangeState.AWAITING_CALL_BACK
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("recorded by")
    )
    requested_at = models.DateTimeField(_("recorded at"))
    known_number_source = models.CharField(
        _("where the number came from"), max_length=30, choices=KnownNumberSource.choices, blank=True
    )
    known_number = models.CharField(_("number called"), max_length=40, blank=True)
    call_back_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    call_back_at = models.DateTimeField(_("called at"), null=True, blank=True)
    call_back_outcome = models.CharField(
        _("outcome of the call-back"), max_length=20, choices=CallBackOutcome.choices, blank=True
    )
    call_back_notes = models.TextField(_("call-back notes"), blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    confirmed_at = models.DateTimeField(null=True, blank=True)
    rejected_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    rejected_at = models.DateTimeField(null=True, blank=True)
    rejection_reason = models.TextField(_("why it was rejected"), blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["-requested_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["incident", "number"], name="bank_change_number_once_per_incident"
            ),
            models.CheckConstraint(
                condition=models.Q(sort_code__regex=r"^[0-9]{6}$"), name="bank_change_sort_code"
            ),
            models.CheckConstraint(
                condition=models.Q(account_number__regex=r"^[0-9]{8}$"), name="bank_change_account_number"
            ),
            models.CheckConstraint(
                condition=models.Q(confirmed_by__isnull=True)
                | ~models.Q(confirmed_by=models.F("requested_by")),
                name="bank_change_confirmer_is_not_requester",
            ),
            # Only a change whose call-back confirmed it can be confirmed.
            models.CheckConstraint(
                condition=~models.Q(state="confirmed") | models.Q(call_back_outcome="confirmed"),
                name="bank_change_confirmed_after_call_back",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.incident_id}/{self.number}"

    @property
    def masked_account_number(self) -> str:
        return "••••" + self.account_number[-4:]

    @property
    def sort_code_display(self) -> str:
        return "-".join(self.sort_code[i : i + 2] for i in (0, 2, 4))

    @property
    def is_usable(self) -> bool:
        return self.state == ChangeState.CONFIRMED
