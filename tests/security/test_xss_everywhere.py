"""A script payload in every free-text field of every model reaches every page, API answer and PDF
as literal text.

One world holds one of everything: every page in the accessibility test's ``PAGES`` is built in it
(so a new page, and what it shows, joins this test too). Then every free-text ``CharField`` and
``TextField`` of every model in the console's apps, found by introspection, is overwritten in every
row with a payload carrying its own marker: ``<script>x("f12")</script>`` for field number 12. The
fields left alone are those with choices, slugs, e-mail addresses and URLs, fields whose validators
reject the payload, fields too short to hold it, and the ones named in ``SKIPPED`` with a reason.

Then every page of ``PAGES`` is fetched as the person it names, a few API lists and details, and
the sitrep (full and partner) and grab pack (general and restricted) PDFs are rendered. No page may
contain an unescaped ``<script>x(``; each field's marker is collected where it is seen escaped (or,
in a PDF, as the literal text), and the fields the incident page, the dashboard and the PDFs show
must all be seen there.
"""

from __future__ import annotations

import json
import re
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any, TypeAlias

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import models
from django.test import Client

from incident_console.accounts.models import User
from incident_console.incidents.models import Incident
from incident_console.reports import grab_pack
from incident_console.reports import services as reports
from incident_console.reports.models import PdfJob, Sitrep
from tests.browser.test_accessibility import PAGES, PageCase
from tests.conftest import World
from tests.reports.helpers import bronze_in_social_care
from tests.reports.pdf_text import read_pages
from tests.timeline.tamper import triggers_lifted

pytestmark = pytest.mark.django_db

APPS = "incident_console."
AnyField: TypeAlias = "models.Field[Any, Any]"

# Free-text fields deliberately left alone, with the reason. (Fields with choices, slug, e-mail and
# URL fields, fields whose validators reject the payload, and fields too short for it are left
# alone by rule: see ``why_skipped``.)
SKIPPED = {
    "accounts.User.password": "a password hash, never shown",
    "accounts.ApiToken.key_hash": "a hash of the key, written by the console",
    "timeline.TimelineEvent.kind": "a code the console matches on, not text a person types",
    "timeline.TimelineEvent.previous_hash": "a hash, written by the console",
    "timeline.TimelineEvent.hash": "a hash, written by the console",
    "accounts.AuditEvent.kind": "a code the console matches on",
    "accounts.User.mobile_phone": "a phone number, checked by the form",
    "incidents.Invitation.token_hash": "a hash of the invitation token",
    "guidance.GuidanceModule.service": "a service code from the module file",
    "guidance.ModuleVersion.content_hash": "a hash of the module file",
    "guidance.ModuleVersion.source_path": "a file path on the server",
    "guidance.StrategicAction.action_id": "an identifier in the module file",
    "guidance.StrategicAction.default_cell": "a cell code from the module file",
    "command.Assignment.cell": "a cell code the access rules match on (finance, social care, ...)",
    "broadcasts.Broadcast.cell": "a cell code naming who receives the broadcast",
    "notifications.Alert.kind": "a code the console matches on",
    "notifications.Alert.source_key": "a key naming what raised the alert",
    "notifications.Alert.occurrence": "a key naming one occurrence",
    "notifications.Alert.link": "a path inside the console, built by the console",
    "notifications.Alert.tier": "a tier code",
    "notifications.Alert.cell": "a cell code",
    "notifications.Delivery.address": "an e-mail address or phone number",
    "notifications.Delivery.reference": "an identifier the console makes",
    "notifications.Delivery.provider_id": "an identifier from the sending service",
    "rotas.PersonRotaSettings.calendar_key_hash": "a hash of the calendar key",
    "assessments.SignOff.content_hash": "the SHA-256 of what was signed",
    "reports.PdfJob.kind": "a code naming the kind of PDF",
    "reports.PdfJob.variant": "a code naming the variant",
    "reports.PdfJob.key": "an identifier the console makes",
    "reports.PdfJob.snapshot_sha256": "a hash, written by the console",
    "reports.PdfJob.file_sha256": "a hash, written by the console",
    "reports.Sitrep.snapshot_sha256": "a hash, written by the console",
    "reports.Distribution.variant": "a code naming the variant",
    "contacts.PartnerContact.phone": "a phone number, checked by the form",
    "contacts.PartnerContact.out_of_band_phone": "a phone number, checked by the form",
    "closure.ArchiveJob.file_sha256": "a hash, written by the console",
    "closure.ArchiveJob.manifest_sha256": "a hash, written by the console",
    "lessons.RecoveryHandover.sha256": "a hash, written by the console",
    "payments.BankDetailChange.known_number": "a phone number, checked by the form",
    "continuity.ManualRecord.attachment_type": "a file's media type, checked on upload",
}

# Pages of PAGES that cannot share one world with all the others (their builders refuse what the
# others already made). What they show is shown by another page here too.
NOT_BUILT_HERE = {
    "payment-authorised": "a second payment to the same payee and amount is refused as a likely "
    "duplicate; the payment page itself is checked as 'payment'",
}

# Where each field must be seen, at least: everything the incident page, the dashboard and the PDFs
# show of the text fields (as measured; a field that stops showing there fails the test).
EVERY_PDF = {"accounts.Council.name", "guidance.GuidanceModule.title", "incidents.Incident.reference"}
GRAB_PACK = EVERY_PDF | {
    "accounts.User.full_name",
    "accounts.User.job_title",
    "command.Decision.decision",
    "command.Decision.rationale",
    "command.RhythmEntry.title",
    "contacts.PartnerContact.name",
    "contacts.PartnerContact.organisation",
    "contacts.PartnerContact.role",
    "guidance.ChecklistItem.title",
    "incidents.Incident.title",
    "rotas.Rota.name",
}
PARTNER_SITREP = EVERY_PDF | {"reports.Sitrep.partner_headline", "reports.Sitrep.requests_of_partners"}
MUST_BE_SEEN = {
    "incident": {
        "accounts.Council.name",
        "accounts.User.full_name",
        "command.RhythmEntry.title",
        "guidance.ChecklistItem.title",
        "guidance.GuidanceModule.title",
        "incidents.Incident.reference",
        "incidents.Incident.summary",
        "incidents.Incident.title",
        "timeline.TimelineEvent.summary",
    },
    "dashboard": {
        "accounts.Council.name",
        "accounts.User.full_name",
        "incidents.Incident.reference",
        "incidents.Incident.title",
        "safeguarding.Deadline.case_reference",
    },
    "sitrep PDF (full)": PARTNER_SITREP
    | {
        "accounts.User.full_name",
        "command.Risk.mitigations",
        "command.Risk.title",
        "guidance.ChecklistItem.title",
        "incidents.Incident.summary",
        "incidents.Incident.title",
        "reports.Sitrep.headline",
        "reports.Sitrep.impact",
        "reports.Sitrep.risks_issues",
    },
    "sitrep PDF (partner)": PARTNER_SITREP,
    "grab pack PDF (general)": GRAB_PACK,
    "grab pack PDF (restricted)": GRAB_PACK
    | {
        "contacts.PartnerContact.address",
        "contacts.PartnerContact.notes",
        "continuity.ManualRecord.case_reference",
        "continuity.ManualRecord.summary",
        "priority_cases.PriorityCase.reference",
        "priority_cases.PriorityCase.why_at_risk",
    },
}

# Where to look, in what the server sends: escaped in HTML, as text in JSON and PDFs.
ESCAPED = re.compile(r"&lt;script&gt;x\((?:&quot;|&#34;|&#x27;|\"|')f(\d+)")
IN_JSON_SCRIPT = re.compile(r"\\u003Cscript\\u003Ex\(\"f(\d+)")  # |json_script's escaping
LITERAL = re.compile(r"<script>x\(\"f(\d+)")
UNESCAPED = "<script>x("


def payload(number: int, row: int | None = None) -> str:
    suffix = "" if row is None else f"-{row}"
    return f'<script>x("f{number}{suffix}")</script>'


def label(model: type[models.Model], f: AnyField) -> str:
    return f"{model._meta.label}.{f.name}"


def why_skipped(f: AnyField, name: str, longest: str) -> str | None:
    if name in SKIPPED:
        return SKIPPED[name]
    if f.choices:
        return "has choices"
    if isinstance(f, models.SlugField | models.EmailField | models.URLField):
        return f"a {type(f).__name__}"
    if f.max_length is not None and f.max_length < len(longest):
        return f"too short for the payload ({f.max_length} characters)"
    try:
        f.run_validators(payload(999))
    except ValidationError:
        return "its validators reject the payload"
    return None


@dataclass
class Fields:
    numbered: dict[int, str] = field(default_factory=dict)  # marker number -> "app.Model.field"
    skipped: dict[str, str] = field(default_factory=dict)
    empty: set[str] = field(default_factory=set)  # no row to fill in this world
    rows: int = 0


def text_fields() -> list[tuple[type[models.Model], AnyField]]:
    found: list[tuple[type[models.Model], AnyField]] = []
    for model in apps.get_models():
        if not model.__module__.startswith(APPS) or model._meta.proxy:
            continue
        for f in model._meta.concrete_fields:
            if isinstance(f, models.CharField | models.TextField):
                found.append((model, f))
    return found


def unique_with_others(model: type[models.Model], f: AnyField) -> bool:
    """Whether two rows may not share this field's value (alone, or with other fields)."""
    together = [set(names) for names in model._meta.unique_together]
    together += [set(c.fields) for c in model._meta.constraints if isinstance(c, models.UniqueConstraint)]
    return f.unique or any(f.name in names for names in together)


def fill_every_text_field() -> Fields:
    """Overwrite every free-text field of every row with its own payload (append-only tables
    included: their triggers are lifted for the moment)."""
    fields = Fields()
    with triggers_lifted():
        for number, (model, f) in enumerate(text_fields(), start=1):
            name = label(model, f)
            rows: models.QuerySet[models.Model] = models.QuerySet(model)  # past append-only guards
            unique = unique_with_others(model, f)
            longest = payload(number, max(rows.values_list("pk", flat=True), default=0) if unique else None)
            reason = why_skipped(f, name, longest)
            if reason is not None:
                fields.skipped[name] = reason
                continue
            fields.numbered[number] = name
            if not rows.exists():
                fields.empty.add(name)
            if unique:
                for pk in rows.values_list("pk", flat=True):
                    rows.filter(pk=pk).update(**{f.attname: payload(number, pk)})
            else:
                fields.rows += rows.update(**{f.attname: payload(number)})
    return fields


@dataclass
class Seen:
    where: dict[str, set[int]] = field(default_factory=lambda: defaultdict(set))
    unescaped: list[str] = field(default_factory=list)
    failed: dict[str, int] = field(default_factory=dict)

    def html(self, where: str, body: str) -> None:
        if UNESCAPED in body:
            at = body.index(UNESCAPED)
            self.unescaped.append(f"{where}: …{body[max(0, at - 120) : at + 60]}…")
        found = {int(n) for n in ESCAPED.findall(body)} | {int(n) for n in IN_JSON_SCRIPT.findall(body)}
        self.where[where] |= found

    def literal(self, where: str, text: str) -> None:
        self.where[where] |= {int(n) for n in LITERAL.findall(text)}

    def anywhere(self) -> set[int]:
        return set().union(*self.where.values())


def pages_of(world: World) -> list[tuple[PageCase, str]]:
    """Every page PAGES opens without acting on it first, built in this one world (each once).
    The archive pages are left out: they need the exercise closed, which would shut most of the
    others; tests/closure/test_xss.py checks the archive's contents."""
    pages: list[tuple[PageCase, str]] = []
    seen: set[tuple[str | None, str]] = set()
    not_built: dict[str, str] = {}
    for case in PAGES:
        if case.then is not None or case.route.startswith("closure:archive"):
            continue
        try:
            path = case.path(world)
        except Exception as error:  # reported; must be one NOT_BUILT_HERE names
            not_built[case.id] = f"{type(error).__name__}: {error}"
            continue
        if (case.user, path) not in seen:
            seen.add((case.user, path))
            pages.append((case, path))
    unexpected = {id: why for id, why in not_built.items() if id not in NOT_BUILT_HERE}
    assert not unexpected, f"pages that could not be built in the shared world: {unexpected}"
    return pages


def the_rest(world: World) -> None:
    """Rows that no page of PAGES makes, for pages that show them: comms log entries and a sitrep's
    distribution, cover on a rota, a sign-off, a progress note, an API token and a reset request."""
    from datetime import timedelta

    from incident_console.accounts.recovery import request_reset
    from incident_console.accounts.services import issue_api_token
    from incident_console.assessments.services import sign_off
    from incident_console.guidance.services import update_item
    from incident_console.lib.time import now
    from incident_console.rotas.services import add_override
    from tests.assessments.helpers import submitted_assessment
    from tests.browser.test_accessibility import first_action
    from tests.reports.sitrep_helpers import an_issued
    from tests.rotas.helpers import gold_rota

    gold, admin = world.people["gold"], world.people["admin"]
    at = now()
    reports.record_comms(
        incident=world.incident_a,
        actor=gold,
        audience="public",
        channel="Website",
        content="Services are running on paper.",
        approved_by="Head of communications",
        sent_at=at - timedelta(minutes=1),
    )
    issued = Sitrep.objects.filter(incident=world.incident_a, status="issued").first() or an_issued(world)
    reports.record_distribution(
        sitrep=issued,
        actor=gold,
        organisation="Fernley ICB",
        recipient="Duty manager",
        variant="partner",
        sent_at=at,
    )
    add_override(
        rota=gold_rota(world), actor=gold, user=gold, start=at, end=at + timedelta(hours=2), reason="Covering"
    )
    sign_off(
        assessment=submitted_assessment(world), actor=world.people["dpo"], role="dpo", statement="Agreed."
    )
    update_item(item=first_action(world), actor=gold, expected_version=None, note="Called the supplier.")
    issue_api_token(user=gold, name="Reporting script", second_factor=True)
    request_reset(
        requested_by=admin,
        subject=world.people["staff"],
        reason="Lost phone",
        how_identity_was_checked="Video",
    )


def api_paths(world: World) -> list[str]:
    incident = world.incident_a.pk
    return [
        "/api/v1/incidents/",
        f"/api/v1/incidents/{incident}/",
        f"/api/v1/incidents/{incident}/timeline/",
        f"/api/v1/incidents/{incident}/checklist-items/",
        f"/api/v1/incidents/{incident}/decisions/",
        f"/api/v1/incidents/{incident}/sitreps/",
        "/api/v1/contacts/",
    ]


def strings_in(value: object) -> list[str]:
    """Every string in a decoded JSON document."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for item in value.values() for s in strings_in(item)]
    if isinstance(value, list):
        return [s for item in value for s in strings_in(item)]
    return []


def pdf_text(job: PdfJob) -> str:
    assert reports.render_job(job_id=job.pk) == "done", job.error
    job.refresh_from_db()
    with job.file.open("rb") as handle:
        return "".join(page.text for page in read_pages(bytes(handle.read()))).replace("\n", "")


def pdfs(world: World) -> dict[str, PdfJob]:
    """The sitrep (issued now, so its snapshot carries the payloads) and both grab packs."""
    # Read back from the database: the objects the world holds still carry the text from before.
    gold, bronze = (User.objects.get(pk=world.people[key].pk) for key in ("gold", "bronze"))
    incident = Incident.objects.get(pk=world.incident_a.pk)
    draft = Sitrep.objects.filter(incident=world.incident_a, status="draft").order_by("-pk").first()
    assert draft is not None, "PAGES built no draft sitrep"
    draft = reports.approve_sitrep(sitrep=draft, actor=gold)
    issued = reports.issue_sitrep(sitrep=draft, actor=bronze)
    assert issued.full_pdf is not None and issued.partner_pdf is not None
    bronze_in_social_care(world)
    return {
        "sitrep PDF (full)": issued.full_pdf,
        "sitrep PDF (partner)": issued.partner_pdf,
        "grab pack PDF (general)": grab_pack.request_grab_pack(incident=incident, actor=gold),
        "grab pack PDF (restricted)": grab_pack.request_restricted_grab_pack(incident=incident, actor=bronze),
    }


def client_for(case: PageCase, world: World, clients: dict[str | None, Client]) -> Client:
    if case.user not in clients:
        clients[case.user] = Client() if case.user is None else world.client_for(case.user)
    return clients[case.user]


def test_a_payload_in_every_text_field_is_literal_text_on_every_page_api_answer_and_pdf(
    world: World,
) -> None:
    pages = pages_of(world)
    the_rest(world)
    fields = fill_every_text_field()
    assert len(fields.numbered) > 100, "introspection found too few text fields to be believed"
    seen = Seen()

    clients: dict[str | None, Client] = {}
    for case, path in pages:
        response = client_for(case, world, clients).get(path)
        if response.status_code != 200:
            seen.failed[f"{case.id} {path}"] = response.status_code
            continue
        seen.html(case.id, response.content.decode())

    api = world.client_for("gold")
    for path in api_paths(world):
        response = api.get(path)
        assert response.status_code == 200, f"{path} answered {response.status_code}"
        assert response["Content-Type"].startswith("application/json"), path
        seen.literal(f"API {path}", "\n".join(strings_in(response.json())))

    for where, job in pdfs(world).items():
        seen.literal(where, pdf_text(job))

    assert not seen.failed, f"pages that did not open with the payloads in place: {seen.failed}"
    assert not seen.unescaped, "unescaped payloads:\n" + "\n".join(seen.unescaped)
    anywhere = seen.anywhere()
    never = sorted(name for n, name in fields.numbered.items() if n not in anywhere)
    on_pages = set().union(
        *(found for where, found in seen.where.items() if where in {c.id for c, _ in pages})
    )
    in_pdfs = set().union(*(found for where, found in seen.where.items() if "PDF" in where))
    in_api = set().union(*(found for where, found in seen.where.items() if where.startswith("API")))
    print(
        f"\n{len(fields.numbered)} text fields filled ({len(fields.skipped)} left alone), "
        f"{len(pages)} pages, {len(api_paths(world))} API answers, 4 PDFs."
        f"\nseen escaped on a page: {len(on_pages)}; in the API: {len(in_api)}; in a PDF: {len(in_pdfs)}; "
        f"anywhere: {len(anywhere)}; never shown: {len(never)}"
        f"\nnever shown: {never}"
        f"\nof which with no row in this world: {sorted(fields.empty)}"
        f"\nleft alone: {json.dumps(fields.skipped, indent=1)}"
    )
    for where in MUST_BE_SEEN:
        print(f"{where}: {sorted(fields.numbered[n] for n in seen.where.get(where, set()))}")
    for where, names in MUST_BE_SEEN.items():
        shown = {fields.numbered[n] for n in seen.where.get(where, set())}
        missing = names - shown
        assert not missing, f"{where} did not show {sorted(missing)} (it showed {sorted(shown)})"
