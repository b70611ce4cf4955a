"""The PDF kinds this app renders (see kinds.py for how another app adds one)."""

from __future__ import annotations

from .kinds import PdfKind, Variant, register
from .snapshot import PARTNER_FIELDS

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

GRAB_PACK = register(
    PdfKind(
        name="grab-pack",
        template="reports/pdf/grab_pack.html",
        variants={"general": Variant(fields=None, access_action="view_command")},
    )
)
