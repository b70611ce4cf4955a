"""The registry of PDF kinds: which template renders a kind, and which snapshot fields each variant
may show.

Another app adds a kind in its ``AppConfig.ready``::

    from incident_console.reports.kinds import PdfKind, Variant, register

    register(PdfKind(
        name="ico-draft",
        template="reports/pdf/ico_draft.html",
        variants={"full": Variant(fields=None, access_action="view_assessments")},
    ))

Variant ``fields`` lists the top-level snapshot keys that reach that variant (``None``: all). The
template gets only those keys, so a field left off a variant cannot leak into its PDF.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from incident_console.accounts.models import User

    from .models import PdfJob

DOCUMENT_KEY = "document"  # marking, exercise flag, reference, title: in every variant


@dataclass(frozen=True)
class Variant:
    fields: frozenset[str] | None
    # The `incidents.<action>` rule a person needs to download this variant of an incident's PDF.
    access_action: str = "view_incident"
    # For PDFs with no incident (or rules beyond one action): decides alone when given.
    may_download: Callable[[User, PdfJob], bool] | None = None
    # Called on every download (after the access check), e.g. to write an access log.
    on_download: Callable[[User, PdfJob], None] | None = None


@dataclass(frozen=True)
class PdfKind:
    name: str
    template: str
    variants: Mapping[str, Variant] = field(default_factory=lambda: {"full": Variant(fields=None)})


_REGISTRY: dict[str, PdfKind] = {}


def register(kind: PdfKind) -> PdfKind:
    _REGISTRY[kind.name] = kind
    return kind


def get(name: str) -> PdfKind:
    try:
        return _REGISTRY[name]
    except KeyError:
        raise LookupError(f"No PDF kind named {name!r} is registered.") from None


def registered() -> dict[str, PdfKind]:
    return dict(_REGISTRY)


def select(kind: PdfKind, variant: str, snapshot: Mapping[str, Any]) -> dict[str, Any]:
    """The part of a snapshot one variant may show: its listed fields and the document block."""
    spec = kind.variants[variant]
    if spec.fields is None:
        return dict(snapshot)
    keep = spec.fields | {DOCUMENT_KEY}
    return {key: value for key, value in snapshot.items() if key in keep}
