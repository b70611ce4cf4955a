"""The PDF kinds this app renders (see kinds.py for how another app adds one)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from .kinds import PdfKind, Variant, register
from .snapshot import PARTNER_FIELDS

if TYPE_CHECKING:
    from incident_console.accounts.models import User

    from .models import PdfJob

SITREP = register(
    PdfKind(
        name="sitrep",
        template="reports/pdf/sitrep.html",
        variants={
            "full": Variant(fields=None, access_action="view_sitreps"),
            "partner": Variant(fields=PARTNER_FIELDS, access_action="view_partner_sitreps"),
        },
    )
)


def _restricted_pack_owner(user: User, job: PdfJob) -> bool:
    """A restricted grab pack is for the person it was made for, while they may still see the
    service-user data in it."""
    from incident_console.incidents.sensitivity import may_see_service_user_data

    return (
        job.incident is not None
        and job.requested_by_id == user.pk
        and may_see_service_user_data(user, job.incident)
    )


def _log_restricted_download(user: User, job: PdfJob) -> None:
    from .grab_pack import log_restricted_download

    log_restricted_download(user, job)


GRAB_PACK = register(
    PdfKind(
        name="grab-pack",
        template="reports/pdf/grab_pack.html",
        variants={
            "general": Variant(fields=None, access_action="view_command"),
            "restricted": Variant(
                fields=None, may_download=_restricted_pack_owner, on_download=_log_restricted_download
            ),
        },
    )
)
