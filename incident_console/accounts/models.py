"""Councils, people and their roles in each council."""

from __future__ import annotations

from datetime import datetime

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class CouncilManager(models.Manager["Council"]):
    def get_by_natural_key(self, slug: str) -> Council:
        return self.get(slug=slug)


class Council(models.Model):
    """A local authority. Several share one deployment (shared services, connected authorities)."""

    name = models.CharField(_("name"), max_length=200, unique=True)
    slug = models.SlugField(_("short name"), max_length=50, unique=True)
    reference_prefix = models.CharField(
        _("incident reference prefix"),
        max_length=8,
        default="CYB",
        help_text=_("Incident references look like CYB-2026-001."),
    )
    connected_councils = models.ManyToManyField(
        "self",
        blank=True,
        symmetrical=True,
        verbose_name=_("connected councils"),
        help_text=_("Councils that share systems or services with this one."),
    )
    retention_days = models.PositiveIntegerField(
        _("retention period (days)"),
        null=True,
        blank=True,
        help_text=_(
            "How long a real incident's records are kept after it closes. Empty means the "
            "deployment's default (six years)."
        ),
    )

    objects = CouncilManager()

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def natural_key(self) -> tuple[str]:
        return (self.slug,)

    @property
    def retention(self) -> int:
        """Days a closed real incident is kept: the council's setting or the deployment's default."""
        return self.retention_days or int(settings.RETENTION_DAYS_DEFAULT)


class User(AbstractUser):
    """A person. Out-of-band routes matter because council email may be down."""

    full_name = models.CharField(_("full name"), max_length=200, blank=True)
    job_title = models.CharField(_("job title"), max_length=200, blank=True)
    mobile_phone = models.CharField(_("mobile phone"), max_length=30, blank=True)
    personal_email = models.EmailField(_("personal email"), blank=True)
    must_change_password = models.BooleanField(
        default=False,
        help_text=_("Set after an admin-assisted reset: the person chooses a new password first."),
    )

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        return self.full_name or self.get_full_name() or self.username


class Role(models.TextChoices):
    COUNCIL_ADMIN = "council_admin", _("Council admin")
    RESPONDER = "responder", _("Responder")
    DPO = "dpo", _("Data protection officer")
    CALDICOTT = "caldicott", _("Caldicott guardian")
    SIRO = "siro", _("Senior information risk owner")
    STAFF = "staff", _("Staff")
    PARTNER = "partner", _("Partner (read-only briefings)")
    # Council-level social care roles, held alongside a base role: they open the council's
    # vulnerable-family contacts (contacts/access.py).
    SOCIAL_CARE_ADULTS = "social_care_adults", _("Adult social care")
    SOCIAL_CARE_CHILDREN = "social_care_children", _("Children's social care")


# Roles that see every incident of their council. Staff and partners see only the
# incidents they take part in.
COUNCIL_WIDE_ROLES = frozenset({Role.COUNCIL_ADMIN, Role.RESPONDER, Role.DPO, Role.CALDICOTT, Role.SIRO})
SOCIAL_CARE_ROLES = frozenset({Role.SOCIAL_CARE_ADULTS, Role.SOCIAL_CARE_CHILDREN})


class Membership(models.Model):
    """A person's base role in a council. A person may hold roles in several councils."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    council = models.ForeignKey(Council, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "council", "role"], name="membership_unique_role"),
        ]
        ordering = ["council__name", "role"]

    def __str__(self) -> str:
        return f"{self.user} — {self.get_role_display()} at {self.council}"


# Audit log and admin-assisted recovery live in their own module; Django finds them through here.
from .recovery_models import AuditEvent, ResetRequest  # noqa: E402, F401


class ApiToken(models.Model):
    """A named, expiring, revocable key for the API. Only its SHA-256 hash is stored; the key itself
    is shown to its owner once, when it is created. Always issued by its owner, never for someone else.
    """

    class Status(models.TextChoices):
        ACTIVE = "active", _("Active")
        EXPIRED = "expired", _("Expired")
        REVOKED = "revoked", _("Revoked")

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("name"), max_length=100)
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    key_prefix = models.CharField(_("starts with"), max_length=8, editable=False)
    second_factor = models.BooleanField(
        default=False,
        help_text=_(
            "Issued after the owner passed a second factor. Accounts that need one refuse tokens without."
        ),
    )
    created_at = models.DateTimeField(_("created"))
    created_by = models.ForeignKey(User, on_delete=models.CASCADE, related_name="+")
    expires_at = models.DateTimeField(_("expires"))
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    revoked_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(created_by=models.F("user")), name="api_token_issued_by_owner"
            ),
            models.CheckConstraint(
                condition=models.Q(expires_at__gt=models.F("created_at")),
                name="api_token_expires_after_creation",
            ),
            models.CheckConstraint(
                condition=models.Q(revoked_at__isnull=True, revoked_by__isnull=True)
                | models.Q(revoked_at__isnull=False, revoked_by__isnull=False),
                name="api_token_revoked_by_someone",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.key_prefix}…)"

    def status_at(self, at: datetime) -> ApiToken.Status:
        if self.revoked_at is not None:
            return ApiToken.Status.REVOKED
        if self.expires_at <= at:
            return ApiToken.Status.EXPIRED
        return ApiToken.Status.ACTIVE

    @property
    def status(self) -> ApiToken.Status:
        return self.status_at(timezone.now())

    @property
    def is_active(self) -> bool:
        return self.status == ApiToken.Status.ACTIVE
