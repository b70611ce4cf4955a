"""Every write to rotas: creating a rota, overrides, swaps, member import, calendar keys."""

from __future__ import annotations

import csv
import hashlib
import io
import secrets
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils.translation import gettext as _

from incident_console.accounts.models import Membership, User
from incident_console.lib.errors import ValidationError
from incident_console.lib.time import now

from . import resolver
from .models import (
    CoverKind,
    Override,
    PersonRotaSettings,
    Rota,
    RotaMember,
    RotaSettings,
    ShiftPattern,
    Swap,
    SwapStatus,
)
from .selectors import rotas_with_everything, spec_for

if TYPE_CHECKING:
    from incident_console.accounts.models import Council
    from incident_console.incidents.models import Incident


@dataclass(frozen=True)
class PatternInput:
    name: str
    start: time
    end: time


def _minutes(value: time) -> int:
    return value.hour * 60 + value.minute


def patterns_overlap(patterns: list[PatternInput]) -> bool:
    """True when two daily patterns cover the same wall-clock minute."""
    taken = [False] * 1440
    for pattern in patterns:
        start, end = _minutes(pattern.start), _minutes(pattern.end)
        length = (end - start) % 1440 or 1440
        for minute in range(start, start + length):
            if taken[minute % 1440]:
                return True
            taken[minute % 1440] = True
    return False


def _is_council_member(user: User, council: Council) -> bool:
    return Membership.objects.filter(user=user, council=council, is_active=True).exists()


@transaction.atomic
def create_rota(
    *,
    council: Council,
    actor: User,
    name: str,
    cover: str,
    anchor_date: date,
    patterns: list[PatternInput],
    owner: User | None = None,
    incident: Incident | None = None,
) -> Rota:
    name = name.strip()
    if not name:
        raise ValidationError({"name": _("Enter the position this rota covers.")})
    if Rota.objects.filter(council=council, name=name).exists():
        raise ValidationError(
            {"name": _("This council already has a rota called %(name)s.") % {"name": name}}
        )
    if not patterns:
        raise ValidationError({"patterns": _("Enter at least one shift.")})
    if patterns_overlap(patterns):
        raise ValidationError(
            {"patterns": _("Two shifts cover the same time of day. Shifts must not overlap.")}
        )
    if owner is not None and not _is_council_member(owner, council):
        raise ValidationError({"owner": _("The owner must belong to the council.")})
    if incident is not None and incident.council_id != council.pk:
        raise ValidationError({"incident": _("The incident belongs to another council.")})
    rota = Rota.objects.create(
        council=council,
        name=name,
        cover=CoverKind(cover),
        anchor_date=anchor_date,
        owner=owner or actor,
        incident=incident,
    )
    for order, pattern in enumerate(patterns):
        ShiftPattern.objects.create(
            rota=rota,
            name=pattern.name,
            start_time=pattern.start,
            end_time=pattern.end,
            valid_from=anchor_date,
            order=order,
            slot=order,
        )
    return rota


@transaction.atomic
def set_members(*, rota: Rota, actor: User, members: list[User], backups: list[User] | None = None) -> None:
    """Replace the rotation (in order) and the back-up list."""
    RotaMember.objects.filter(rota=rota).delete()
    for position, user in enumerate(members):
        RotaMember.objects.create(rota=rota, user=user, position=position)
    for position, user in enumerate(backups or []):
        RotaMember.objects.create(rota=rota, user=user, position=position, is_backup=True)


@transaction.atomic
def add_override(
    *, rota: Rota, actor: User, user: User, start: datetime, end: datetime, reason: str = ""
) -> Override:
    """`user` covers the rota for [start, end). It wins over patterns, swaps and earlier overrides."""
    if start.tzinfo is None or end.tzinfo is None:
        raise ValidationError({"start": _("Give times with a time zone.")})
    if end <= start:
        raise ValidationError({"end": _("The end must be after the start.")})
    if not _is_council_member(user, rota.council):
        raise ValidationError({"user": _("Choose someone from the council.")})
    return Override.objects.create(
        rota=rota, user=user, start=start, end=end, reason=reason.strip()[:200], created_by=actor
    )


def _pattern_person_at(rota: Rota, start: datetime) -> int | None:
    """Who works the pattern shift starting exactly at `start` (before any override)."""
    fresh = rotas_with_everything(Rota.objects.filter(pk=rota.pk)).get()
    shift = resolver.pattern_shift_at(spec_for(fresh), start)
    if shift is None or shift.start != start:
        return None
    return shift.person


@transaction.atomic
def request_swap(
    *, rota: Rota, actor: User, my_shift_start: datetime, other: User, other_shift_start: datetime
) -> Swap:
    if other.pk == actor.pk:
        raise ValidationError({"other": _("Choose someone else to swap with.")})
    if _pattern_person_at(rota, my_shift_start) != actor.pk:
        raise ValidationError({"my_shift_start": _("You do not work a shift starting at this time.")})
    if _pattern_person_at(rota, other_shift_start) != other.pk:
        raise ValidationError(
            {
                "other_shift_start": _("%(name)s does not work a shift starting at this time.")
                % {"name": other}
            }
        )
    return Swap.objects.create(
        rota=rota,
        requested_by=actor,
        requested_shift_start=my_shift_start,
        other=other,
        other_shift_start=other_shift_start,
    )


@transaction.atomic
def agree_swap(*, swap: Swap, actor: User) -> Swap:
    """Only the other person agrees; only then does the swap change who is on."""
    swap = Swap.objects.select_for_update().get(pk=swap.pk)
    if actor.pk != swap.other_id:
        raise ValidationError(_("Only %(name)s can agree to this swap.") % {"name": swap.other})
    if swap.status != SwapStatus.REQUESTED:
        raise ValidationError(_("This swap is no longer waiting for agreement."))
    swap.status = SwapStatus.AGREED
    swap.decided_at = now()
    swap.save(update_fields=["status", "decided_at"])
    return swap


@transaction.atomic
def withdraw_swap(*, swap: Swap, actor: User) -> Swap:
    swap = Swap.objects.select_for_update().get(pk=swap.pk)
    if actor.pk not in (swap.requested_by_id, swap.other_id):
        raise ValidationError(_("Only the two people in a swap can withdraw it."))
    if swap.status != SwapStatus.REQUESTED:
        raise ValidationError(_("Only a swap waiting for agreement can be withdrawn."))
    swap.status = SwapStatus.WITHDRAWN
    swap.decided_at = now()
    swap.save(update_fields=["status", "decided_at"])
    return swap


# --- Member import ---------------------------------------------------------------------------------

IMPORT_COLUMNS = ("username", "order", "backup")
YES = {"yes", "y", "true", "1"}
NO = {"no", "n", "false", "0", ""}


@dataclass(frozen=True)
class ImportProblem:
    row: int  # 1 is the header row
    column: str
    reason: str


class ImportRejected(Exception):
    def __init__(self, problems: list[ImportProblem]) -> None:
        self.problems = problems
        super().__init__(f"{len(problems)} problem(s)")


@transaction.atomic
def import_members(*, rota: Rota, actor: User, text: str) -> int:
    """Replace the rota's members from CSV (username, order, backup). Every row is checked first;
    if any row is wrong nothing changes and every problem is reported with its row and column."""
    problems: list[ImportProblem] = []
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    header = [h.strip().lower() for h in (reader.fieldnames or [])]
    missing = [c for c in IMPORT_COLUMNS if c not in header]
    if missing:
        raise ImportRejected(
            [
                ImportProblem(1, c, _("The header row has no %(column)s column.") % {"column": c})
                for c in missing
            ]
        )
    reader.fieldnames = header
    council_users = {
        u.username.lower(): u
        for u in User.objects.filter(
            memberships__council=rota.council, memberships__is_active=True
        ).distinct()
    }
    seen_users: dict[int, int] = {}
    seen_orders: dict[tuple[bool, int], int] = {}
    rows: list[tuple[int, User, bool]] = []
    for number, row in enumerate(reader, start=2):
        username = (row.get("username") or "").strip()
        user = council_users.get(username.lower())
        if not username:
            problems.append(ImportProblem(number, "username", _("Enter a username.")))
        elif user is None:
            problems.append(
                ImportProblem(
                    number, "username", _("No one called %(name)s in this council.") % {"name": username}
                )
            )
        elif user.pk in seen_users:
            problems.append(
                ImportProblem(
                    number,
                    "username",
                    _("%(name)s is already on row %(row)s.") % {"name": username, "row": seen_users[user.pk]},
                )
            )
        backup_text = (row.get("backup") or "").strip().lower()
        backup = backup_text in YES
        if backup_text not in YES | NO:
            problems.append(ImportProblem(number, "backup", _("Write yes or no.")))
        order_text = (row.get("order") or "").strip()
        order: int | None = None
        if not order_text.isdigit() or int(order_text) < 1:
            problems.append(ImportProblem(number, "order", _("Write a whole number from 1.")))
        else:
            order = int(order_text)
            if (backup, order) in seen_orders:
                problems.append(
                    ImportProblem(
                        number,
                        "order",
                        _("Order %(order)s is already on row %(row)s.")
                        % {"order": order, "row": seen_orders[(backup, order)]},
                    )
                )
            seen_orders.setdefault((backup, order), number)
        if user is not None:
            seen_users.setdefault(user.pk, number)
        if user is not None and order is not None:
            rows.append((order, user, backup))
    if not rows and not problems:
        problems.append(ImportProblem(2, "username", _("The file has no rows of people.")))
    if problems:
        raise ImportRejected(problems)
    rows.sort(key=lambda r: r[0])
    set_members(
        rota=rota,
        actor=actor,
        members=[u for _o, u, b in rows if not b],
        backups=[u for _o, u, b in rows if b],
    )
    return len(rows)


# --- Calendar feed keys ------------------------------------------------------------------------------


def hash_key(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


@transaction.atomic
def issue_calendar_key(*, user: User) -> str:
    """A new secret address for the person's calendar feed; any earlier one stops working. Only the
    hash is kept: the key is shown once."""
    key = secrets.token_urlsafe(32)
    row, _created = PersonRotaSettings.objects.get_or_create(user=user)
    row.calendar_key_hash = hash_key(key)
    row.calendar_key_created_at = now()
    row.save(update_fields=["calendar_key_hash", "calendar_key_created_at"])
    return key


@transaction.atomic
def revoke_calendar_key(*, user: User) -> None:
    PersonRotaSettings.objects.filter(user=user).update(calendar_key_hash="", calendar_key_created_at=None)


# --- Settings ------------------------------------------------------------------------------------------


@transaction.atomic
def set_opt_out(*, user: User, opted_out: bool) -> None:
    """The person's own record that they have opted out (in writing) of the 48-hour average week."""
    row, _created = PersonRotaSettings.objects.get_or_create(user=user)
    row.opted_out_of_48_hours = opted_out
    row.save(update_fields=["opted_out_of_48_hours"])


@transaction.atomic
def set_standby_is_working_time(*, council: Council, actor: User, value: bool) -> None:
    RotaSettings.objects.update_or_create(council=council, defaults={"standby_is_working_time": value})
