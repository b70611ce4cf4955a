"""Give a person a council-level social care role (or take it away), so they see the council's
vulnerable-family contacts. There is no membership page yet; the change goes to the audit log."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from incident_console.accounts import audit
from incident_console.accounts.models import SOCIAL_CARE_ROLES, Council, Membership, User


class Command(BaseCommand):
    help = "Grant or revoke social_care_adults / social_care_children for USER in COUNCIL (slug)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")
        parser.add_argument("council")
        parser.add_argument("role", choices=sorted(SOCIAL_CARE_ROLES))
        parser.add_argument("--revoke", action="store_true")

    @transaction.atomic
    def handle(self, *args: Any, **options: Any) -> None:
        user = User.objects.filter(username=options["username"]).first()
        council = Council.objects.filter(slug=options["council"]).first()
        if user is None or council is None:
            raise CommandError("No such person or council.")
        role = options["role"]
        if not Membership.objects.filter(user=user, council=council, is_active=True).exists():
            raise CommandError("The person must already be a member of the council.")
        if options["revoke"]:
            Membership.objects.filter(user=user, council=council, role=role).delete()
            kind, verb = "social_care_role_revoked", "revoked"
        else:
            Membership.objects.get_or_create(user=user, council=council, role=role)
            kind, verb = "social_care_role_granted", "granted"
        audit.record(
            council=council, actor=None, subject=user, kind=kind, summary=f"{role} {verb} for {user.username}"
        )
        self.stdout.write(f"{role} {verb} for {user.username} at {council.slug}")
