"""Who may do what, page by page and endpoint by endpoint: every role of the incident's own council,
and every role of another council (who must get 404, so the incident's existence does not leak).

New pages and endpoints join ENDPOINTS in the same change that adds them.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import pytest
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, resolve

from incident_console.guidance.models import ChecklistItem, ModuleVersion
from incident_console.lib.time import now
from tests.assessments.helpers import an_assessment, command_roles, content, submitted_assessment
from tests.broadcasts.helpers import a_broadcast
from tests.closure.helpers import built_archive, closed_exercise
from tests.command.helpers import (
    a_decision,
    a_rhythm_entry,
    a_risk,
    gold_holder,
    handover_to_bronze,
    handover_to_gold,
    next_silver_meeting,
)
from tests.conftest import ROLE_KEYS, World
from tests.contacts.helpers import a_contact
from tests.continuity.helpers import COMMAND_VIEWERS as RECORD_VIEWERS
from tests.continuity.helpers import a_record as _a_record
from tests.continuity.helpers import a_record_with_scan
from tests.lessons.helpers import a_lesson, a_recovery_handover
from tests.payments.helpers import (
    a_called_back_change,
    a_change,
    a_payment,
    an_authorised_payment,
    change_fields,
    payment_fields,
    payment_roles,
)
from tests.priority_cases.helpers import a_case, cases_url
from tests.recovery.helpers import a_system
from tests.reports.helpers import (
    a_grab_pack,
    a_restricted_pack,
    bronze_in_social_care,
    finished_job,
    rendered,
)
from tests.reports.sitrep_helpers import a_draft, an_approved, an_issued
from tests.rotas.helpers import gold_rota, gold_staff_swap
from tests.safeguarding.helpers import a_deadline, deadlines_url, safeguarding_roles, today

ROLES = list(ROLE_KEYS)
LEADS = {"admin", "gold"}
WRITERS = {"admin", "gold", "bronze"}
ICO_LOGGERS = WRITERS | {"dpo", "siro"}  # the DPO and SIRO log who was told, as they report to the ICO
DECLARERS = {"admin", "gold", "bronze", "bystander"}
NOT_PARTNER = set(ROLES) - {"partner"}
ROTA_MANAGERS = {"admin", "gold"}  # council admin and the rota's owner
ROTA_MEMBERS = {"gold", "bronze", "staff"}
# DPO, Caldicott guardian and SIRO; gold holds Gold; bronze holds Silver and wrote the assessment.
ASSESSORS = {"dpo", "caldicott", "siro", "gold", "bronze"}
DATA_PROTECTION = {"dpo", "caldicott", "siro"}
ARCHIVISTS = {"admin", "gold", "dpo", "siro"}  # council admin, the incident's lead, DPO and SIRO


def assessments_of(w: World) -> str:
    command_roles(w)
    return f"/incidents/{w.incident_a.pk}/assessments"


DRAFTERS = {"admin", "gold", "bronze"}  # council admin, lead, responder
COUNCIL_WIDE = set(ROLES) - {"staff", "partner"}


def item_of(w: World) -> ChecklistItem:
    return ChecklistItem.objects.filter(checklist__incident=w.incident_a).order_by("pk").first()  # type: ignore[return-value]


PAYERS = {"gold", "bronze"}  # hold Gold / Silver adult social care, and take part in the incident


def payments_of(w: World) -> str:
    payment_roles(w)
    return f"/incidents/{w.incident_a.pk}/payments"


def changes_of(w: World) -> str:
    payment_roles(w)
    return f"/incidents/{w.incident_a.pk}/bank-detail-changes"


@dataclass
class Endpoint:
    name: str
    method: str
    url: Callable[[World], str]
    allowed: set[str]
    ok: int = 200
    data: Callable[[World], dict[str, Any]] | None = None
    json_body: bool = False
    scoped: bool = True  # False for pages with no incident in the URL


ENDPOINTS = [
    Endpoint("dashboard", "get", lambda w: "/", set(ROLES), scoped=False),
    Endpoint("modules page", "get", lambda w: "/modules/", set(ROLES), scoped=False),
    Endpoint("declare page", "get", lambda w: "/incidents/new/", DECLARERS, scoped=False),
    Endpoint("incident page", "get", lambda w: f"/incidents/{w.incident_a.pk}/", set(ROLES)),
    Endpoint("timeline page", "get", lambda w: f"/incidents/{w.incident_a.pk}/timeline/", NOT_PARTNER),
    Endpoint("edit page", "get", lambda w: f"/incidents/{w.incident_a.pk}/edit/", LEADS),
    Endpoint("status page", "get", lambda w: f"/incidents/{w.incident_a.pk}/status/", LEADS),
    Endpoint(
        "status change",
        "post",
        lambda w: f"/incidents/{w.incident_a.pk}/status/",
        LEADS,
        ok=302,
        data=lambda w: {"to_status": "response", "version": w.incident_a.version},
    ),
    Endpoint("people page", "get", lambda w: f"/incidents/{w.incident_a.pk}/people/", NOT_PARTNER),
    Endpoint(
        "add a person",
        "post",
        lambda w: f"/incidents/{w.incident_a.pk}/people/",
        LEADS,
        ok=302,
        data=lambda w: {"user": w.people["bystander"].pk, "role": "responder"},
    ),
    Endpoint(
        "remove a person",
        "post",
        lambda w: f"/incidents/{w.incident_a.pk}/people/{w.people['staff'].pk}/remove/",
        LEADS,
        ok=302,
    ),
    Endpoint("invitations page", "get", lambda w: f"/incidents/{w.incident_a.pk}/invitations/", {"admin"}),
    Endpoint(
        "invite someone",
        "post",
        lambda w: f"/incidents/{w.incident_a.pk}/invitations/",
        {"admin"},
        data=lambda w: {"role": "partner", "name": "Sam", "organisation": "ICB", "valid_for_hours": 72},
    ),
    Endpoint("access review", "get", lambda w: f"/incidents/{w.incident_a.pk}/access-review/", LEADS),
    Endpoint("apply guidance page", "get", lambda w: f"/incidents/{w.incident_a.pk}/guidance/apply/", LEADS),
    Endpoint("add action page", "get", lambda w: f"/incidents/{w.incident_a.pk}/actions/new/", LEADS),
    Endpoint(
        "checklist page",
        "get",
        lambda w: f"/incidents/{w.incident_a.pk}/checklists/{item_of(w).checklist_id}/?show=completed",
        NOT_PARTNER,
    ),
    Endpoint("action page", "get", lambda w: f"/actions/{item_of(w).pk}/", NOT_PARTNER),
    Endpoint(
        "action update",
        "post",
        lambda w: f"/actions/{item_of(w).pk}/",
        WRITERS,
        ok=302,
        data=lambda w: {"status": "in_progress", "version": item_of(w).version, "note": "Checked"},
    ),
    Endpoint(
        "action quick status",
        "post",
        lambda w: f"/actions/{item_of(w).pk}/status/",
        WRITERS,
        ok=302,
        data=lambda w: {"status": "done", "version": item_of(w).version},
    ),
    Endpoint("API incident list", "get", lambda w: "/api/v1/incidents/", set(ROLES), scoped=False),
    Endpoint("API incident", "get", lambda w: f"/api/v1/incidents/{w.incident_a.pk}/", set(ROLES)),
    Endpoint(
        "API incident edit",
        "patch",
        lambda w: f"/api/v1/incidents/{w.incident_a.pk}/",
        LEADS,
        data=lambda w: {"version": w.incident_a.version, "title": "Renamed"},
        json_body=True,
    ),
    Endpoint(
        "API transition",
        "post",
        lambda w: f"/api/v1/incidents/{w.incident_a.pk}/transition/",
        LEADS,
        data=lambda w: {"to_status": "response"},
        json_body=True,
    ),
    Endpoint("API timeline", "get", lambda w: f"/api/v1/incidents/{w.incident_a.pk}/timeline/", NOT_PARTNER),
    Endpoint(
        "API checklists", "get", lambda w: f"/api/v1/incidents/{w.incident_a.pk}/checklists/", NOT_PARTNER
    ),
    Endpoint(
        "API checklist items",
        "get",
        lambda w: f"/api/v1/incidents/{w.incident_a.pk}/checklist-items/",
        NOT_PARTNER,
    ),
    Endpoint("API checklist item", "get", lambda w: f"/api/v1/checklist-items/{item_of(w).pk}/", NOT_PARTNER),
    Endpoint(
        "API checklist item update",
        "patch",
        lambda w: f"/api/v1/checklist-items/{item_of(w).pk}/",
        WRITERS,
        data=lambda w: {"version": item_of(w).version, "status": "in_progress"},
        json_body=True,
    ),
    Endpoint("API modules", "get", lambda w: "/api/v1/modules/", set(ROLES), scoped=False),
    Endpoint("API module", "get", lambda w: "/api/v1/modules/adult-social-care/", set(ROLES), scoped=False),
    Endpoint(
        "module version page",
        "get",
        lambda w: f"/modules/versions/{ModuleVersion.objects.latest('pk').pk}/",
        set(ROLES),  # guidance is the same published text for every council
        scoped=False,
    ),
    # --- command: board, assignments, handovers, decision log, risks, battle rhythm ---
    Endpoint("command board", "get", lambda w: f"/incidents/{w.incident_a.pk}/command/", NOT_PARTNER),
    Endpoint("assign page", "get", lambda w: f"/incidents/{w.incident_a.pk}/command/assign/", LEADS),
    Endpoint(
        "assign a role",
        "post",
        lambda w: f"/incidents/{w.incident_a.pk}/command/assign/",
        LEADS,
        ok=302,
        data=lambda w: {"user": w.people["bronze"].pk, "tier": "silver", "cell": "it"},
    ),
    Endpoint(
        "stand someone down",
        "post",
        lambda w: f"/incidents/{w.incident_a.pk}/command/assignments/{gold_holder(w).pk}/relinquish/",
        LEADS,
        ok=302,
    ),
    Endpoint(
        "handover page",
        "get",
        lambda w: f"/incidents/{w.incident_a.pk}/command/handovers/{handover_to_gold(w).pk}/",
        NOT_PARTNER,
    ),
    Endpoint(
        "acknowledge a handover",
        "post",
        lambda w: f"/incidents/{w.incident_a.pk}/command/handovers/{handover_to_bronze(w).pk}/acknowledge/",
        {"bronze"},
        ok=302,
    ),
    Endpoint("decision log", "get", lambda w: f"/incidents/{w.incident_a.pk}/decisions/", NOT_PARTNER),
    Endpoint(
        "decision log print", "get", lambda w: f"/incidents/{w.incident_a.pk}/decisions/print/", NOT_PARTNER
    ),
    Endpoint("decision log CSV", "get", lambda w: f"/incidents/{w.incident_a.pk}/decisions.csv", NOT_PARTNER),
    Endpoint("record decision page", "get", lambda w: f"/incidents/{w.incident_a.pk}/decisions/new/", LEADS),
    Endpoint(
        "record a decision",
        "post",
        lambda w: f"/incidents/{w.incident_a.pk}/decisions/new/",
        LEADS,
        ok=302,
        data=lambda w: {
            "decision": "Isolate",
            "rationale": "Contain",
            "decision_maker": w.people["gold"].pk,
            "decided_at": "01/01/2026 09:00",
        },
    ),
    Endpoint("risk register", "get", lambda w: f"/incidents/{w.incident_a.pk}/risks/", NOT_PARTNER),
    Endpoint("add risk page", "get", lambda w: f"/incidents/{w.incident_a.pk}/risks/new/", WRITERS),
    Endpoint(
        "edit a risk",
        "post",
        lambda w: f"/incidents/{w.incident_a.pk}/risks/{a_risk(w).pk}/",
        WRITERS,
        ok=302,
        data=lambda w: {
            "title": "Carers unpaid",
            "likelihood": "3",
            "impact": "4",
            "status": "open",
            "version": "1",
        },
    ),
    Endpoint(
        "battle rhythm page", "get", lambda w: f"/incidents/{w.incident_a.pk}/battle-rhythm/", NOT_PARTNER
    ),
    Endpoint(
        "add to the battle rhythm",
        "post",
        lambda w: f"/incidents/{w.incident_a.pk}/battle-rhythm/",
        LEADS,
        ok=302,
        data=lambda w: {"kind": "gold", "title": "Gold meeting", "times": "09:30"},
    ),
    Endpoint(
        "mark a meeting held",
        "post",
        lambda w: f"/incidents/{w.incident_a.pk}/battle-rhythm/{a_rhythm_entry(w).pk}/held/",
        WRITERS,
        ok=302,
        data=lambda w: {"occurs_at": next_silver_meeting()},
    ),
    Endpoint(
        "API assignments", "get", lambda w: f"/api/v1/incidents/{w.incident_a.pk}/assignments/", NOT_PARTNER
    ),
    Endpoint(
        "API assign",
        "post",
        lambda w: f"/api/v1/incidents/{w.incident_a.pk}/assignments/",
        LEADS,
        ok=201,
        data=lambda w: {"user": w.people["bronze"].pk, "tier": "bronze", "cell": "it"},
        json_body=True,
    ),
    Endpoint(
        "API handovers", "get", lambda w: f"/api/v1/incidents/{w.incident_a.pk}/handovers/", NOT_PARTNER
    ),
    Endpoint(
        "API acknowledge handover",
        "post",
        lambda w: f"/api/v1/incidents/{w.incident_a.pk}/handovers/{handover_to_bronze(w).pk}/acknowledge/",
        {"bronze"},
    ),
    Endpoint(
        "API decisions", "get", lambda w: f"/api/v1/incidents/{w.incident_a.pk}/decisions/", NOT_PARTNER
    ),
    Endpoint(
        "API decision",
        "get",
        lambda w: f"/api/v1/incidents/{w.incident_a.pk}/decisions/{a_decision(w).pk}/",
        NOT_PARTNER,
    ),
    Endpoint(
        "API record decision",
        "post",
        lambda w: f"/api/v1/incidents/{w.incident_a.pk}/decisions/",
        LEADS,
        ok=201,
        data=lambda w: {
            "decision": "Isolate",
            "rationale": "Contain",
            "decision_maker": w.people["gold"].pk,
            "decided_at": "2026-01-01T09:00:00Z",
        },
        json_body=True,
    ),
    # --- emergency payments and bank-detail changes ---
    # gold holds Gold and bronze holds Silver (adult social care): only they may see service-user
    # data; both take part as lead or responder, so both may also make payments.
    Endpoint("payments page", "get", lambda w: f"{payments_of(w)}/", PAYERS),
    Endpoint("request payment page", "get", lambda w: f"{payments_of(w)}/new/", PAYERS),
    Endpoint(
        "request a payment",
        "post",
        lambda w: f"{payments_of(w)}/new/",
        PAYERS,
        ok=302,
        data=lambda w: payment_fields(),
    ),
    Endpoint("payments CSV", "get", lambda w: f"{payments_of(w)}/export.csv", PAYERS),
    Endpoint("payment page", "get", lambda w: f"{payments_of(w)}/{a_payment(w).pk}/", PAYERS),
    Endpoint(
        "authorise a payment",
        "post",
        lambda w: f"{payments_of(w)}/{a_payment(w, requester='admin').pk}/authorise/",
        PAYERS,
        ok=302,
        data=lambda w: {"authorise-version": "1"},
    ),
    Endpoint(
        "reject a payment",
        "post",
        lambda w: f"{payments_of(w)}/{a_payment(w, requester='admin').pk}/reject/",
        PAYERS,
        ok=302,
        data=lambda w: {"reject-version": "1", "reject-reason": "Duplicate"},
    ),
    Endpoint(
        "record a payment as paid",
        "post",
        lambda w: f"{payments_of(w)}/{an_authorised_payment(w).pk}/paid/",
        PAYERS,
        ok=302,
        data=lambda w: {"paid-version": "2"},
    ),
    Endpoint(
        "reconcile a payment",
        "post",
        lambda w: f"{payments_of(w)}/{an_authorised_payment(w).pk}/reconcile/",
        PAYERS,
        ok=200,  # not yet paid: the page says so
        data=lambda w: {"reconcile-version": "2", "reconcile-finance_reference": "AP-1"},
    ),
    Endpoint("record bank change page", "get", lambda w: f"{changes_of(w)}/new/", PAYERS),
    Endpoint(
        "record a bank change",
        "post",
        lambda w: f"{changes_of(w)}/new/",
        PAYERS,
        ok=302,
        data=lambda w: change_fields(),
    ),
    Endpoint("bank change page", "get", lambda w: f"{changes_of(w)}/{a_change(w).pk}/", PAYERS),
    Endpoint(
        "record a call-back",
        "post",
        lambda w: f"{changes_of(w)}/{a_change(w).pk}/call-back/",
        PAYERS,
        ok=302,
        data=lambda w: {
            "call_back-version": "1",
            "call_back-known_number_source": "contract",
            "call_back-known_number": "01632 960 001",
            "call_back-number_held_before": "on",
            "call_back-outcome": "confirmed",
        },
    ),
    Endpoint(
        "confirm a bank change",
        "post",
        lambda w: f"{changes_of(w)}/{a_called_back_change(w).pk}/confirm/",
        PAYERS,
        ok=302,
        data=lambda w: {"confirm-version": "2"},
    ),
    Endpoint(
        "reject a bank change",
        "post",
        lambda w: f"{changes_of(w)}/{a_change(w).pk}/reject/",
        PAYERS,
        ok=302,
        data=lambda w: {"reject-version": "1", "reject-reason": "Forged letter"},
    ),
    Endpoint("API payments", "get", lambda w: f"/api/v1{payments_of(w)}/", PAYERS),
    Endpoint(
        "API request a payment",
        "post",
        lambda w: f"/api/v1{payments_of(w)}/",
        PAYERS,
        ok=201,
        data=lambda w: payment_fields(),
        json_body=True,
    ),
    Endpoint("API payment", "get", lambda w: f"/api/v1/payments/{a_payment(w).pk}/", PAYERS),
    Endpoint(
        "API authorise a payment",
        "post",
        lambda w: f"/api/v1/payments/{a_payment(w, requester='admin').pk}/authorise/",
        PAYERS,
        data=lambda w: {"version": 1},
        json_body=True,
    ),
    Endpoint(
        "API reject a payment",
        "post",
        lambda w: f"/api/v1/payments/{a_payment(w, requester='admin').pk}/reject/",
        PAYERS,
        data=lambda w: {"version": 1, "reason": "Duplicate"},
        json_body=True,
    ),
    Endpoint(
        "API record a payment as paid",
        "post",
        lambda w: f"/api/v1/payments/{an_authorised_payment(w).pk}/paid/",
        PAYERS,
        data=lambda w: {"version": 2},
        json_body=True,
    ),
    Endpoint(
        "API reconcile a payment",
        "post",
        lambda w: f"/api/v1/payments/{an_authorised_payment(w).pk}/reconcile/",
        PAYERS,
        ok=400,  # not yet paid
        data=lambda w: {"version": 2, "finance_reference": "AP-1"},
        json_body=True,
    ),
    Endpoint("API bank changes", "get", lambda w: f"/api/v1{changes_of(w)}/", PAYERS),
    Endpoint(
        "API record a bank change",
        "post",
        lambda w: f"/api/v1{changes_of(w)}/",
        PAYERS,
        ok=201,
        data=lambda w: change_fields(),
        json_body=True,
    ),
    Endpoint("API bank change", "get", lambda w: f"/api/v1/bank-detail-changes/{a_change(w).pk}/", PAYERS),
    Endpoint(
        "API record a call-back",
        "post",
        lambda w: f"/api/v1/bank-detail-changes/{a_change(w).pk}/call-back/",
        PAYERS,
        data=lambda w: {
            "version": 1,
            "known_number_source": "contract",
            "known_number": "01632 960 001",
            "number_held_before": True,
            "outcome": "confirmed",
        },
        json_body=True,
    ),
    Endpoint(
        "API confirm a bank change",
        "post",
        lambda w: f"/api/v1/bank-detail-changes/{a_called_back_change(w).pk}/confirm/",
        PAYERS,
        data=lambda w: {"version": 2},
        json_body=True,
    ),
    Endpoint(
        "API reject a bank change",
        "post",
        lambda w: f"/api/v1/bank-detail-changes/{a_change(w).pk}/reject/",
        PAYERS,
        data=lambda w: {"version": 1, "reason": "Forged letter"},
        json_body=True,
    ),
    # --- systems recovery and external notifications ---
    Endpoint("systems page", "get", lambda w: f"/incidents/{w.incident_a.pk}/systems/", NOT_PARTNER),
    Endpoint("add system page", "get", lambda w: f"/incidents/{w.incident_a.pk}/systems/new/", WRITERS),
    Endpoint(
        "add a system",
        "post",
        lambda w: f"/incidents/{w.incident_a.pk}/systems/new/",
        WRITERS,
        ok=302,
        data=lambda w: {"name": "Email", "kind": "email", "services": ["other"], "state": "unavailable"},
    ),
    Endpoint(
        "system page", "get", lambda w: f"/incidents/{w.incident_a.pk}/systems/{a_system(w).pk}/", WRITERS
    ),
    Endpoint("restore order page", "get", lambda w: f"/incidents/{w.incident_a.pk}/systems/order/", LEADS),
    Endpoint(
        "external notifications page",
        "get",
        lambda w: f"/incidents/{w.incident_a.pk}/external-notifications/",
        NOT_PARTNER,
    ),
    Endpoint(
        "record external notification page",
        "get",
        lambda w: f"/incidents/{w.incident_a.pk}/external-notifications/new/",
        ICO_LOGGERS,
    ),
    Endpoint(
        "record that someone does not need telling page",
        "get",
        lambda w: f"/incidents/{w.incident_a.pk}/external-notifications/not-needed/",
        ICO_LOGGERS,
    ),
    Endpoint(
        "record that someone does not need telling",
        "post",
        lambda w: f"/incidents/{w.incident_a.pk}/external-notifications/not-needed/",
        ICO_LOGGERS,
        ok=302,
        data=lambda w: {"body": "insurer", "reason": "No cyber insurance", "decided_by": w.people["gold"].pk},
    ),
    Endpoint("API systems", "get", lambda w: f"/api/v1/incidents/{w.incident_a.pk}/systems/", NOT_PARTNER),
    Endpoint(
        "API add system",
        "post",
        lambda w: f"/api/v1/incidents/{w.incident_a.pk}/systems/",
        WRITERS,
        ok=201,
        data=lambda w: {"name": "Email", "kind": "email", "services": ["other"]},
        json_body=True,
    ),
    Endpoint(
        "API system",
        "get",
        lambda w: f"/api/v1/incidents/{w.incident_a.pk}/systems/{a_system(w).pk}/",
        NOT_PARTNER,
    ),
    Endpoint(
        "API external notifications",
        "get",
        lambda w: f"/api/v1/incidents/{w.incident_a.pk}/external-notifications/",
        NOT_PARTNER,
    ),
    Endpoint(
        "API record external notification",
        "post",
        lambda w: f"/api/v1/incidents/{w.incident_a.pk}/external-notifications/",
        ICO_LOGGERS,
        ok=201,
        data=lambda w: {"body": "ncsc", "method": "phone", "notified_at": now().isoformat()},
        json_body=True,
    ),
    Endpoint(
        "API record that someone does not need telling",
        "post",
        lambda w: f"/api/v1/incidents/{w.incident_a.pk}/external-notifications/",
        ICO_LOGGERS,
        ok=201,
        data=lambda w: {"decision": "not_needed", "body": "insurer", "reason": "No cyber insurance"},
        json_body=True,
    ),
    # --- grab pack ---
    Endpoint(
        "grab pack page",
        "get",
        lambda w: f"/incidents/{w.incident_a.pk}/grab-pack/?j={a_grab_pack(w.incident_a).pk}",
        NOT_PARTNER,
    ),
    Endpoint(
        "make a grab pack", "post", lambda w: f"/incidents/{w.incident_a.pk}/grab-pack/", NOT_PARTNER, ok=302
    ),
    Endpoint(
        "API grab pack",
        "get",
        lambda w: f"/api/v1/incidents/{w.incident_a.pk}/grab-pack/?j={a_grab_pack(w.incident_a).pk}",
        NOT_PARTNER,
    ),
    Endpoint(
        "API make a grab pack",
        "post",
        lambda w: f"/api/v1/incidents/{w.incident_a.pk}/grab-pack/",
        NOT_PARTNER,
        ok=202,
    ),
    Endpoint(
        "make a restricted grab pack",
        "post",
        lambda w: f"/incidents/{bronze_in_social_care(w)}/grab-pack/",
        {"bronze"},  # only people who may see service-user data
        ok=302,
        data=lambda w: {"edition": "restricted"},
    ),
    Endpoint(
        "API restricted grab pack",
        "get",
        lambda w: f"/api/v1/incidents/{a_restricted_pack(w).incident_id}/grab-pack/restricted/",
        {"bronze"},
    ),
    Endpoint(
        "API make a restricted grab pack",
        "post",
        lambda w: f"/api/v1/incidents/{bronze_in_social_care(w)}/grab-pack/restricted/",
        {"bronze"},
        ok=202,
    ),
    Endpoint(
        "download a restricted grab pack",
        "get",
        lambda w: f"/reports/jobs/{rendered(a_restricted_pack(w)).pk}/download/",
        {"bronze"},  # the person it was made for
    ),
    # --- staff broadcasts ---
    Endpoint("broadcasts page", "get", lambda w: f"/incidents/{w.incident_a.pk}/broadcasts/", NOT_PARTNER),
    Endpoint("send broadcast page", "get", lambda w: f"/incidents/{w.incident_a.pk}/broadcasts/new/", LEADS),
    Endpoint(
        "send a broadcast",
        "post",
        lambda w: f"/incidents/{w.incident_a.pk}/broadcasts/new/",
        LEADS,
        ok=302,
        data=lambda w: {"audience": "responders", "message": "Stand-up at 09:00", "no_personal_data": "on"},
    ),
    Endpoint(
        "broadcast page",
        "get",
        lambda w: f"/incidents/{w.incident_a.pk}/broadcasts/{a_broadcast(w).pk}/",
        NOT_PARTNER,
    ),
    Endpoint(
        "broadcast received page",
        "get",
        lambda w: f"/incidents/{w.incident_a.pk}/broadcasts/{a_broadcast(w).pk}/received/",
        NOT_PARTNER,  # and everyone it was sent to
    ),
    Endpoint(
        "API broadcasts", "get", lambda w: f"/api/v1/incidents/{w.incident_a.pk}/broadcasts/", NOT_PARTNER
    ),
    Endpoint(
        "API send broadcast",
        "post",
        lambda w: f"/api/v1/incidents/{w.incident_a.pk}/broadcasts/",
        LEADS,
        ok=201,
        data=lambda w: {"audience": "responders", "message": "Stand-up at 09:00"},
        json_body=True,
    ),
    Endpoint(
        "API broadcast",
        "get",
        lambda w: f"/api/v1/incidents/{w.incident_a.pk}/broadcasts/{a_broadcast(w).pk}/",
        NOT_PARTNER,
    ),
    Endpoint("API risks", "get", lambda w: f"/api/v1/incidents/{w.incident_a.pk}/risks/", NOT_PARTNER),
    Endpoint(
        "API add risk",
        "post",
        lambda w: f"/api/v1/incidents/{w.incident_a.pk}/risks/",
        WRITERS,
        ok=201,
        data=lambda w: {"title": "Press", "likelihood": 2, "impact": 3},
        json_body=True,
    ),
    Endpoint(
        "API edit risk",
        "patch",
        lambda w: f"/api/v1/incidents/{w.incident_a.pk}/risks/{a_risk(w).pk}/",
        WRITERS,
        data=lambda w: {"version": 1, "likelihood": 5},
        json_body=True,
    ),
    Endpoint(
        "API battle rhythm",
        "get",
        lambda w: f"/api/v1/incidents/{w.incident_a.pk}/battle-rhythm/",
        NOT_PARTNER,
    ),
    Endpoint(
        "API add battle rhythm",
        "post",
        lambda w: f"/api/v1/incidents/{w.incident_a.pk}/battle-rhythm/",
        LEADS,
        ok=201,
        data=lambda w: {"kind": "sitrep", "title": "Sitrep", "times": ["17:00"]},
        json_body=True,
    ),
    Endpoint("your account", "get", lambda w: "/accounts/", set(ROLES), scoped=False),
    Endpoint("two-factor page", "get", lambda w: "/accounts/two-factor/", set(ROLES), scoped=False),
    Endpoint("sign-in resets", "get", lambda w: "/accounts/resets/", {"admin"}, scoped=False),
    Endpoint("audit log", "get", lambda w: "/accounts/audit/", {"admin", "dpo", "siro"}, scoped=False),
    Endpoint("tokens page", "get", lambda w: "/accounts/tokens/", set(ROLES), scoped=False),
    Endpoint(
        "create a token",
        "post",
        lambda w: "/accounts/tokens/",
        set(ROLES),
        data=lambda w: {"name": "Matrix", "expires_in_days": "1"},
        scoped=False,
    ),
    Endpoint("council tokens page", "get", lambda w: "/accounts/tokens/council/", {"admin"}, scoped=False),
    Endpoint("API my tokens", "get", lambda w: "/api/v1/me/tokens/", set(ROLES), scoped=False),
    Endpoint("contact details page", "get", lambda w: "/accounts/contact/", set(ROLES), scoped=False),
    Endpoint("notifications page", "get", lambda w: "/notifications/", set(ROLES), scoped=False),
    Endpoint("notifications count", "get", lambda w: "/notifications/count/", set(ROLES), scoped=False),
    Endpoint("rotas page", "get", lambda w: "/rotas/", NOT_PARTNER, scoped=False),
    Endpoint("create rota page", "get", lambda w: "/rotas/new/", {"admin"}, scoped=False),
    Endpoint("my shifts", "get", lambda w: "/rotas/mine/", set(ROLES), scoped=False),
    Endpoint("make calendar address", "post", lambda w: "/rotas/mine/calendar/", set(ROLES), scoped=False),
    Endpoint(
        "stop calendar address",
        "post",
        lambda w: "/rotas/mine/calendar/revoke/",
        set(ROLES),
        ok=302,
        scoped=False,
    ),
    Endpoint(
        "48-hour opt-out",
        "post",
        lambda w: "/rotas/mine/working-time/",
        set(ROLES),
        ok=302,
        data=lambda w: {"opted_out": "yes"},
        scoped=False,
    ),
    Endpoint(
        "council rota settings",
        "post",
        lambda w: f"/rotas/councils/{w.a.pk}/settings/",
        {"admin"},
        ok=302,
        data=lambda w: {"standby_is_working_time": "no"},
    ),
    Endpoint("rota page", "get", lambda w: f"/rotas/{gold_rota(w).pk}/", NOT_PARTNER),
    Endpoint("cover page", "get", lambda w: f"/rotas/{gold_rota(w).pk}/overrides/new/", ROTA_MANAGERS),
    Endpoint(
        "add cover",
        "post",
        lambda w: f"/rotas/{gold_rota(w).pk}/overrides/new/",
        ROTA_MANAGERS,
        ok=302,
        data=lambda w: {
            "user": w.people["bronze"].pk,
            "start": "2026-12-01 08:00",
            "end": "2026-12-01 20:00",
        },
    ),
    Endpoint("import members page", "get", lambda w: f"/rotas/{gold_rota(w).pk}/import/", ROTA_MANAGERS),
    Endpoint("hours report", "get", lambda w: f"/rotas/{gold_rota(w).pk}/hours/", ROTA_MANAGERS),
    Endpoint("swap page", "get", lambda w: f"/rotas/{gold_rota(w).pk}/swaps/new/", ROTA_MEMBERS),
    Endpoint(
        "agree to a swap", "post", lambda w: f"/rotas/swaps/{gold_staff_swap(w).pk}/agree/", {"staff"}, ok=302
    ),
    Endpoint(
        "API rotas", "get", lambda w: f"/api/v1/rotas/?made={gold_rota(w).pk}", set(ROLES), scoped=False
    ),
    Endpoint("API rota", "get", lambda w: f"/api/v1/rotas/{gold_rota(w).pk}/", NOT_PARTNER),
    Endpoint(
        "API rota shifts",
        "get",
        lambda w: (
            f"/api/v1/rotas/{gold_rota(w).pk}/shifts/?start=2026-12-01T00:00:00Z&end=2026-12-02T00:00:00Z"
        ),
        NOT_PARTNER,
    ),
    Endpoint("API rota gaps", "get", lambda w: f"/api/v1/rotas/{gold_rota(w).pk}/gaps/?days=7", NOT_PARTNER),
    Endpoint(
        "API rota overrides", "get", lambda w: f"/api/v1/rotas/{gold_rota(w).pk}/overrides/", NOT_PARTNER
    ),
    Endpoint(
        "API add cover",
        "post",
        lambda w: f"/api/v1/rotas/{gold_rota(w).pk}/overrides/",
        ROTA_MANAGERS,
        ok=201,
        data=lambda w: {"user": "a-bronze", "start": "2026-12-01T08:00:00Z", "end": "2026-12-01T20:00:00Z"},
        json_body=True,
    ),
    Endpoint("API rota swaps", "get", lambda w: f"/api/v1/rotas/{gold_rota(w).pk}/swaps/", NOT_PARTNER),
    Endpoint("API my shifts", "get", lambda w: "/api/v1/me/shifts/", set(ROLES), scoped=False),
    Endpoint("assessments page", "get", lambda w: f"{assessments_of(w)}/", ASSESSORS),
    Endpoint("start an assessment page", "get", lambda w: f"{assessments_of(w)}/new/", ASSESSORS),
    Endpoint(
        "assessments CSV",
        "get",
        lambda w: f"/incidents/{an_assessment(w).incident_id}/assessments.csv",
        ASSESSORS,
    ),
    Endpoint(
        "sign-off check page",
        "get",
        lambda w: f"/incidents/{an_assessment(w).incident_id}/assessments/verify/",
        ASSESSORS,
    ),
    Endpoint(
        "record telling a council page", "get", lambda w: f"{assessments_of(w)}/awareness/", DATA_PROTECTION
    ),
    Endpoint("assessment page", "get", lambda w: f"/assessments/{an_assessment(w).pk}/", ASSESSORS),
    Endpoint(
        "update assessment page", "get", lambda w: f"/assessments/{an_assessment(w).pk}/edit/", ASSESSORS
    ),
    Endpoint("ICO draft page", "get", lambda w: f"/assessments/{an_assessment(w).pk}/ico-draft/", ASSESSORS),
    Endpoint(
        "make the ICO draft PDF",
        "post",
        lambda w: f"/assessments/{an_assessment(w).pk}/ico-draft/pdf/",
        ASSESSORS,
        ok=302,
    ),
    Endpoint(
        "submit an assessment",
        "post",
        lambda w: f"/assessments/{an_assessment(w).pk}/submit/",
        ASSESSORS,
        ok=302,
    ),
    Endpoint(
        "sign-off page",
        "get",
        lambda w: f"/assessments/{submitted_assessment(w).pk}/sign-off/",
        DATA_PROTECTION,
    ),
    Endpoint(
        "sign off as DPO",
        "post",
        lambda w: f"/assessments/{submitted_assessment(w).pk}/sign-off/",
        {"dpo"},
        ok=302,
        data=lambda w: {"role": "dpo", "statement": "Report to the ICO.", "outcome": "signed"},
    ),
    Endpoint("API assessments", "get", lambda w: f"/api/v1{assessments_of(w)}/", ASSESSORS),
    Endpoint(
        "API start an assessment",
        "post",
        lambda w: f"/api/v1{assessments_of(w)}/",
        ASSESSORS,
        ok=201,
        data=lambda w: {"title": "Servers", **content()},
        json_body=True,
    ),
    Endpoint("API assessment", "get", lambda w: f"/api/v1/assessments/{an_assessment(w).pk}/", ASSESSORS),
    Endpoint(
        "API submit an assessment",
        "post",
        lambda w: f"/api/v1/assessments/{an_assessment(w).pk}/submit/",
        ASSESSORS,
        data=lambda w: {},
        json_body=True,
    ),
    Endpoint(
        "API sign off",
        "post",
        lambda w: f"/api/v1/assessments/{submitted_assessment(w).pk}/sign-off/",
        {"dpo"},
        ok=201,
        data=lambda w: {"role": "dpo", "statement": "Report it."},
        json_body=True,
    ),
    Endpoint(
        "API return",
        "post",
        lambda w: f"/api/v1/assessments/{submitted_assessment(w).pk}/return/",
        {"caldicott"},
        ok=201,
        data=lambda w: {"role": "caldicott", "statement": "Say what families will be told."},
        json_body=True,
    ),
    Endpoint(
        "withdraw a swap",
        "post",
        lambda w: f"/rotas/swaps/{gold_staff_swap(w).pk}/withdraw/",
        {"gold", "staff"},
        ok=302,
    ),
    # --- reports: PDF jobs ---
    Endpoint("PDF job page", "get", lambda w: f"/reports/jobs/{finished_job(w.incident_a).pk}/", NOT_PARTNER),
    Endpoint(
        "PDF download (full)",
        "get",
        lambda w: f"/reports/jobs/{finished_job(w.incident_a).pk}/download/",
        NOT_PARTNER,
    ),
    Endpoint(
        "PDF download (partner)",
        "get",
        lambda w: f"/reports/jobs/{finished_job(w.incident_a, 'partner').pk}/download/",
        set(ROLES),
    ),
    Endpoint(
        "PDF retry",
        "post",
        lambda w: f"/reports/jobs/{finished_job(w.incident_a, state='failed').pk}/retry/",
        NOT_PARTNER,
        ok=302,
    ),
    # --- reports: sitreps and the communications log ---
    Endpoint("sitreps page", "get", lambda w: f"/incidents/{w.incident_a.pk}/sitreps/", set(ROLES)),
    Endpoint("draft sitrep page", "get", lambda w: f"/incidents/{w.incident_a.pk}/sitreps/new/", DRAFTERS),
    Endpoint(
        "draft a sitrep",
        "post",
        lambda w: f"/incidents/{w.incident_a.pk}/sitreps/new/",
        DRAFTERS,
        ok=302,
        data=lambda w: {"headline": "Contained"},
    ),
    Endpoint(
        "sitrep page", "get", lambda w: f"/incidents/{w.incident_a.pk}/sitreps/{a_draft(w).pk}/", NOT_PARTNER
    ),
    Endpoint(
        "edit sitrep page",
        "get",
        lambda w: f"/incidents/{w.incident_a.pk}/sitreps/{a_draft(w).pk}/edit/",
        DRAFTERS,
    ),
    Endpoint(
        "approve a sitrep",
        "post",
        lambda w: f"/incidents/{w.incident_a.pk}/sitreps/{a_draft(w).pk}/approve/",
        {"gold"},
        ok=302,
    ),
    Endpoint(
        "issue a sitrep",
        "post",
        lambda w: f"/incidents/{w.incident_a.pk}/sitreps/{an_approved(w).pk}/issue/",
        DRAFTERS,
        ok=302,
    ),
    Endpoint(
        "record where a sitrep went",
        "post",
        lambda w: f"/incidents/{w.incident_a.pk}/sitreps/{an_issued(w).pk}/",
        DRAFTERS,
        ok=302,
        data=lambda w: {
            "organisation": "Police",
            "recipient": "Duty inspector",
            "variant": "partner",
            "sent_at": "01/01/2026 09:00",
        },
    ),
    Endpoint("comms log", "get", lambda w: f"/incidents/{w.incident_a.pk}/comms/", NOT_PARTNER),
    Endpoint("record comms page", "get", lambda w: f"/incidents/{w.incident_a.pk}/comms/new/", DRAFTERS),
    Endpoint(
        "record comms",
        "post",
        lambda w: f"/incidents/{w.incident_a.pk}/comms/new/",
        DRAFTERS,
        ok=302,
        data=lambda w: {
            "audience": "public",
            "channel": "Website",
            "content": "Phone lines open",
            "approved_by": "Gold",
            "sent_at": "01/01/2026 09:00",
        },
    ),
    Endpoint("partner contacts", "get", lambda w: "/contacts/", COUNCIL_WIDE, scoped=False),
    Endpoint("add partner contact page", "get", lambda w: "/contacts/new/", {"admin"}, scoped=False),
    Endpoint(
        "add a partner contact",
        "post",
        lambda w: "/contacts/new/",
        {"admin"},
        ok=302,
        data=lambda w: {"organisation": "Police", "role": "Inspector", "name": "Sam", "phone": "101"},
        scoped=False,
    ),
    Endpoint("edit a contact page", "get", lambda w: f"/contacts/{a_contact(w).pk}/edit/", {"admin"}),
    Endpoint(
        "mark a contact verified",
        "post",
        lambda w: f"/contacts/{a_contact(w).pk}/verify/",
        {"admin"},
        ok=302,
    ),
    Endpoint("export contacts CSV", "get", lambda w: "/contacts/export.csv", {"admin"}, scoped=False),
    # Nobody in the world holds a social care role or Gold yet: tests/contacts covers who does.
    Endpoint(
        "export vulnerable-family contacts",
        "get",
        lambda w: "/contacts/vulnerable-families.csv",
        set(),
        scoped=False,
    ),
    Endpoint("import contacts page", "get", lambda w: "/contacts/import/", {"admin"}, scoped=False),
    Endpoint(
        "contact access log", "get", lambda w: "/contacts/access-log/", {"dpo", "caldicott"}, scoped=False
    ),
    Endpoint("API contacts", "get", lambda w: "/api/v1/contacts/", COUNCIL_WIDE, scoped=False),
    Endpoint(
        "API add a contact",
        "post",
        lambda w: "/api/v1/contacts/",
        {"admin"},
        ok=201,
        data=lambda w: {"organisation": "Police", "role": "Inspector", "name": "Sam", "phone": "101"},
        json_body=True,
        scoped=False,
    ),
    Endpoint("API contact", "get", lambda w: f"/api/v1/contacts/{a_contact(w).pk}/", COUNCIL_WIDE),
    Endpoint(
        "API edit a contact",
        "patch",
        lambda w: f"/api/v1/contacts/{a_contact(w).pk}/",
        {"admin"},
        data=lambda w: {"version": 1, "notes": "Night line"},
        json_body=True,
    ),
    Endpoint("API sitreps", "get", lambda w: f"/api/v1/incidents/{w.incident_a.pk}/sitreps/", set(ROLES)),
    Endpoint(
        "API draft a sitrep",
        "post",
        lambda w: f"/api/v1/incidents/{w.incident_a.pk}/sitreps/",
        DRAFTERS,
        ok=201,
        data=lambda w: {"headline": "Contained"},
        json_body=True,
    ),
    Endpoint("API sitrep", "get", lambda w: f"/api/v1/sitreps/{a_draft(w).pk}/", NOT_PARTNER),
    Endpoint("API approve a sitrep", "post", lambda w: f"/api/v1/sitreps/{a_draft(w).pk}/approve/", {"gold"}),
    Endpoint("API issue a sitrep", "post", lambda w: f"/api/v1/sitreps/{an_approved(w).pk}/issue/", DRAFTERS),
    Endpoint(
        "API sitrep PDF (partner)",
        "get",
        lambda w: f"/api/v1/sitreps/{an_issued(w).pk}/pdf/?variant=partner",
        set(ROLES),
        ok=202,
    ),
    Endpoint(
        "API sitrep PDF (full)",
        "get",
        lambda w: f"/api/v1/sitreps/{an_issued(w).pk}/pdf/?variant=full",
        NOT_PARTNER,
        ok=202,
    ),
    Endpoint("API comms", "get", lambda w: f"/api/v1/incidents/{w.incident_a.pk}/comms/", NOT_PARTNER),
    Endpoint(
        "API record comms",
        "post",
        lambda w: f"/api/v1/incidents/{w.incident_a.pk}/comms/",
        DRAFTERS,
        ok=201,
        data=lambda w: {
            "audience": "staff",
            "channel": "Text message",
            "content": "Do not log in",
            "approved_by": "Gold",
            "sent_at": "2026-01-01T09:00:00Z",
        },
        json_body=True,
    ),
]


ENDPOINTS += [
    Endpoint("archive page", "get", lambda w: f"/incidents/{w.incident_a.pk}/archives/", ARCHIVISTS),
    Endpoint(
        "request an archive",
        "post",
        lambda w: f"/incidents/{closed_exercise(w).pk}/archives/new/",
        ARCHIVISTS,
        ok=302,
    ),
    Endpoint("archive progress", "get", lambda w: f"/archives/{built_archive(w, 'queued').pk}/", ARCHIVISTS),
    Endpoint(
        "retry an archive",
        "post",
        lambda w: f"/archives/{built_archive(w, 'failed').pk}/retry/",
        ARCHIVISTS,
        ok=302,
    ),
    Endpoint(
        "archive download",
        "get",
        lambda w: f"/archives/{built_archive(w).pk}/download/",
        {"dpo", "siro"},  # the ZIP holds service-user data: not the admin or lead without a social care role
    ),
    Endpoint("purge page", "get", lambda w: f"/incidents/{w.incident_a.pk}/purge/", {"admin"}),
    Endpoint(
        "purge",
        "post",
        lambda w: f"/incidents/{w.incident_a.pk}/purge/",
        {"admin"},
        ok=302,
        data=lambda w: {"reason": "Exercise over", "confirm_reference": w.incident_a.reference},
    ),
    Endpoint("reset page", "get", lambda w: f"/incidents/{w.incident_a.pk}/reset/", {"admin"}),
    Endpoint(
        "reset",
        "post",
        lambda w: f"/incidents/{w.incident_a.pk}/reset/",
        {"admin"},
        ok=302,
        data=lambda w: {"reason": "Run again", "confirm_reference": w.incident_a.reference},
    ),
    Endpoint("purge records", "get", lambda w: "/purge-records/", {"admin"}, scoped=False),
    Endpoint("API archives", "get", lambda w: f"/api/v1/incidents/{w.incident_a.pk}/archives/", ARCHIVISTS),
    Endpoint(
        "API request an archive",
        "post",
        lambda w: f"/api/v1/incidents/{closed_exercise(w).pk}/archives/",
        ARCHIVISTS,
        ok=202,
    ),
    Endpoint(
        "API archive", "get", lambda w: f"/api/v1/archives/{built_archive(w, 'queued').pk}/", ARCHIVISTS
    ),
    Endpoint(
        "API archive download",
        "get",
        lambda w: f"/api/v1/archives/{built_archive(w).pk}/download/",
        {"dpo", "siro"},  # as the page: the ZIP holds service-user data
    ),
    Endpoint(
        "API purge",
        "post",
        lambda w: f"/api/v1/incidents/{w.incident_a.pk}/purge/",
        {"admin"},
        ok=201,
        data=lambda w: {"reason": "Exercise over", "confirm_reference": w.incident_a.reference},
        json_body=True,
    ),
    Endpoint(
        "API reset",
        "post",
        lambda w: f"/api/v1/incidents/{w.incident_a.pk}/reset/",
        {"admin"},
        ok=201,
        data=lambda w: {"reason": "Run again", "confirm_reference": w.incident_a.reference},
        json_body=True,
    ),
    Endpoint("API purge records", "get", lambda w: "/api/v1/purge-records/", {"admin"}, scoped=False),
    Endpoint("retention page", "get", lambda w: f"/councils/{w.a.pk}/retention/", {"admin"}),
    Endpoint(
        "set retention",
        "post",
        lambda w: f"/councils/{w.a.pk}/retention/",
        {"admin"},
        ok=302,
        data=lambda w: {"retention_days": "365"},
    ),
]

ENDPOINTS += [
    # --- lessons log and the handover from response to recovery ---
    Endpoint("lessons log", "get", lambda w: f"/incidents/{w.incident_a.pk}/lessons/", NOT_PARTNER),
    Endpoint("lessons log CSV", "get", lambda w: f"/incidents/{w.incident_a.pk}/lessons.csv", NOT_PARTNER),
    Endpoint("add lesson page", "get", lambda w: f"/incidents/{w.incident_a.pk}/lessons/new/", WRITERS),
    Endpoint(
        "add a lesson",
        "post",
        lambda w: f"/incidents/{w.incident_a.pk}/lessons/new/",
        WRITERS,
        ok=302,
        data=lambda w: {"what_happened": "Rota on paper", "learned": "It worked"},
    ),
    Endpoint(
        "lesson page", "get", lambda w: f"/incidents/{w.incident_a.pk}/lessons/{a_lesson(w).pk}/", WRITERS
    ),
    Endpoint(
        "recovery handovers page",
        "get",
        lambda w: f"/incidents/{w.incident_a.pk}/recovery-handovers/",
        NOT_PARTNER,
    ),
    Endpoint(
        "recovery handover page",
        "get",
        lambda w: f"/incidents/{w.incident_a.pk}/recovery-handovers/{a_recovery_handover(w).pk}/",
        NOT_PARTNER,
    ),
    Endpoint(
        "take on a recovery handover",
        "post",
        lambda w: f"/incidents/{w.incident_a.pk}/recovery-handovers/{a_recovery_handover(w).pk}/acknowledge/",
        LEADS,
        ok=302,
        data=lambda w: {"note": "Taken on"},
    ),
    Endpoint(
        "bring a recovery handover up to date",
        "post",
        lambda w: f"/incidents/{w.incident_a.pk}/recovery-handovers/{a_recovery_handover(w).pk}/refresh/",
        LEADS,
        ok=302,
    ),
    Endpoint("API lessons", "get", lambda w: f"/api/v1/incidents/{w.incident_a.pk}/lessons/", NOT_PARTNER),
    Endpoint(
        "API add lesson",
        "post",
        lambda w: f"/api/v1/incidents/{w.incident_a.pk}/lessons/",
        WRITERS,
        ok=201,
        data=lambda w: {"what_happened": "Rota on paper", "learned": "It worked"},
        json_body=True,
    ),
    Endpoint("API lesson", "get", lambda w: f"/api/v1/lessons/{a_lesson(w).pk}/", NOT_PARTNER),
    Endpoint(
        "API lesson update",
        "patch",
        lambda w: f"/api/v1/lessons/{a_lesson(w).pk}/",
        WRITERS,
        data=lambda w: {"version": a_lesson(w).version, "status": "action_agreed"},
        json_body=True,
    ),
    Endpoint(
        "API recovery handovers",
        "get",
        lambda w: f"/api/v1/incidents/{w.incident_a.pk}/recovery-handovers/",
        NOT_PARTNER,
    ),
    Endpoint(
        "API take on a recovery handover",
        "post",
        lambda w: f"/api/v1/recovery-handovers/{a_recovery_handover(w).pk}/acknowledge/",
        LEADS,
        data=lambda w: {"note": "Taken on"},
        json_body=True,
    ),
]


# Safeguarding deadlines name service users: gold (holds Gold) and bronze (Silver, children's social
# care) may see and change them. tests/safeguarding covers a social worker who may only see them.
SAFEGUARDING_VIEWERS = {"gold", "bronze"}
SAFEGUARDING_EDITORS = {"gold", "bronze"}


def a_timing_rule_of(w: World) -> int:
    from incident_console.safeguarding.selectors import rules_for

    return rules_for(w.a)[1][0].pk


def api_deadlines_of(w: World) -> str:
    safeguarding_roles(w)
    return f"/api/v1/incidents/{w.incident_a.pk}/deadlines/"


def deadline_of(w: World) -> int:
    return a_deadline(w).pk


def new_item(w: World) -> dict[str, Any]:
    return {"kind": "referral_decision", "case_reference": "MASH-1", "start_date": f"{today():%d/%m/%Y}"}


ENDPOINTS += [
    Endpoint("safeguarding register", "get", deadlines_url, SAFEGUARDING_VIEWERS),
    Endpoint("add safeguarding item page", "get", lambda w: f"{deadlines_url(w)}new/", SAFEGUARDING_EDITORS),
    Endpoint(
        "add a safeguarding item",
        "post",
        lambda w: f"{deadlines_url(w)}new/",
        SAFEGUARDING_EDITORS,
        ok=302,
        data=new_item,
    ),
    Endpoint(
        "safeguarding item page",
        "get",
        lambda w: f"{deadlines_url(w)}{deadline_of(w)}/",
        SAFEGUARDING_EDITORS,
    ),
    Endpoint(
        "complete safeguarding item page",
        "get",
        lambda w: f"{deadlines_url(w)}{deadline_of(w)}/complete/",
        SAFEGUARDING_EDITORS,
    ),
    Endpoint(
        "complete a safeguarding item",
        "post",
        lambda w: f"{deadlines_url(w)}{deadline_of(w)}/complete/",
        SAFEGUARDING_EDITORS,
        ok=302,
        data=lambda w: {"outcome": "not_needed", "version": 1},
    ),
    Endpoint(
        "safeguarding timescales", "get", lambda w: f"/councils/{w.a.pk}/safeguarding-timings/", {"admin"}
    ),
    Endpoint(
        "safeguarding timescale page",
        "get",
        lambda w: f"/councils/{w.a.pk}/safeguarding-timings/{a_timing_rule_of(w)}/",
        {"admin"},
    ),
    Endpoint(
        "safeguarding working days page",
        "get",
        lambda w: f"/councils/{w.a.pk}/safeguarding-timings/policy/",
        {"admin"},
    ),
    Endpoint(
        "API deadlines",
        "get",
        api_deadlines_of,
        SAFEGUARDING_VIEWERS,
    ),
    Endpoint(
        "API add deadline",
        "post",
        api_deadlines_of,
        SAFEGUARDING_EDITORS,
        ok=201,
        data=lambda w: {"kind": "referral_decision", "case_reference": "MASH-1", "start_date": f"{today()}"},
        json_body=True,
    ),
    Endpoint("API deadline", "get", lambda w: f"/api/v1/deadlines/{deadline_of(w)}/", SAFEGUARDING_VIEWERS),
    Endpoint(
        "API edit deadline",
        "patch",
        lambda w: f"/api/v1/deadlines/{deadline_of(w)}/",
        SAFEGUARDING_EDITORS,
        data=lambda w: {"note": "Rang the family", "version": 1},
        json_body=True,
    ),
    Endpoint(
        "API complete deadline",
        "post",
        lambda w: f"/api/v1/deadlines/{deadline_of(w)}/complete/",
        SAFEGUARDING_EDITORS,
        data=lambda w: {"outcome": "not_needed", "version": 1},
        json_body=True,
    ),
    Endpoint(
        "API safeguarding timescales",
        "get",
        lambda w: "/api/v1/safeguarding/timings/",
        set(ROLES),
        scoped=False,
    ),
]


# Priority cases: the sensitivity rule. Nobody in the world holds a social care role; the helpers
# give gold Gold on council A's incident (tests/priority_cases covers social care roles and cells).
PRIORITY_SEERS = {"gold"}


def _in_two_hours() -> str:
    from incident_console.lib.time import london

    return f"{london(now() + timedelta(hours=2)):%d/%m/%Y %H:%M}"


def _case_form(w: World) -> dict[str, Any]:
    case = a_case(w)
    return {
        "reference": "ASC-2",
        "service": "adult_social_care",
        "why_at_risk": "Lives alone",
        "owner": w.people["gold"].pk,
        "next_contact_due": _in_two_hours(),
        "status": "awaiting_contact",
        "version": case.version,
    }


ENDPOINTS += [
    Endpoint("priority cases", "get", cases_url, PRIORITY_SEERS),
    Endpoint("add priority case page", "get", lambda w: cases_url(w) + "new/", PRIORITY_SEERS),
    Endpoint(
        "add a priority case",
        "post",
        lambda w: cases_url(w) + "new/",
        PRIORITY_SEERS,
        ok=302,
        data=_case_form,
    ),
    Endpoint("priority case page", "get", lambda w: f"{cases_url(w)}{a_case(w).pk}/", PRIORITY_SEERS),
    Endpoint(
        "edit priority case page", "get", lambda w: f"{cases_url(w)}{a_case(w).pk}/edit/", PRIORITY_SEERS
    ),
    Endpoint(
        "edit a priority case",
        "post",
        lambda w: f"{cases_url(w)}{a_case(w).pk}/edit/",
        PRIORITY_SEERS,
        ok=302,
        data=_case_form,
    ),
    Endpoint(
        "record a priority case contact",
        "post",
        lambda w: f"{cases_url(w)}{a_case(w).pk}/",
        PRIORITY_SEERS,
        ok=302,
        data=lambda w: {
            "contacted_at": f"{now():%d/%m/%Y} 00:00",
            "contacted_by": w.people["gold"].pk,
            "result": "contacted_safe",
            "outcome": "Seen",
            "next_contact_due": _in_two_hours(),
            "version": a_case(w).version,
        },
    ),
    Endpoint("export priority cases CSV", "get", lambda w: cases_url(w) + "export.csv", PRIORITY_SEERS),
    Endpoint("priority case access log", "get", lambda w: cases_url(w) + "access-log/", {"dpo", "caldicott"}),
    Endpoint("API priority cases", "get", lambda w: f"/api/v1{cases_url(w)}", PRIORITY_SEERS),
    Endpoint(
        "API add a priority case",
        "post",
        lambda w: f"/api/v1{cases_url(w)}",
        PRIORITY_SEERS,
        ok=201,
        data=lambda w: {
            "reference": "ASC-3",
            "service": "adult_social_care",
            "why_at_risk": "Lives alone",
            "owner": w.people["gold"].pk,
            "next_contact_due": (now() + timedelta(hours=2)).isoformat(),
        },
        json_body=True,
    ),
    Endpoint("API priority case", "get", lambda w: f"/api/v1/priority-cases/{a_case(w).pk}/", PRIORITY_SEERS),
    Endpoint(
        "API edit a priority case",
        "patch",
        lambda w: f"/api/v1/priority-cases/{a_case(w).pk}/",
        PRIORITY_SEERS,
        data=lambda w: {"version": a_case(w).version, "notes": "Police aware"},
        json_body=True,
    ),
    Endpoint(
        "API record a priority case contact",
        "post",
        lambda w: f"/api/v1/priority-cases/{a_case(w).pk}/contacts/",
        PRIORITY_SEERS,
        ok=201,
        data=lambda w: {
            "contacted_at": (now() - timedelta(hours=1)).isoformat(),
            "result": "contacted_safe",
            "outcome": "Seen",
            "next_contact_due": (now() + timedelta(hours=2)).isoformat(),
        },
        json_body=True,
    ),
]


# Manual records: service-user data. a_record() makes gold hold Gold and bronze hold Bronze in the
# adult social care cell (tests/continuity covers the council-level social care role); gold enters
# the record, so only bronze may verify or return it.
RECORD_VERIFIERS = RECORD_VIEWERS - {"gold"}


def a_record(w: World, state: str = "pending") -> Any:
    return _a_record(w, state, enterer="gold")


def manual_records(w: World) -> str:
    a_record(w)
    return f"/incidents/{w.incident_a.pk}/manual-records"


def a_manual_record_form() -> dict[str, Any]:
    return {
        "service": "adult_social_care",
        "case_reference": "ASC-1",
        "activity": "visit",
        "happened_at": "2026-01-01T09:00",
        "summary": "Home visit",
    }


ENDPOINTS += [
    Endpoint("manual records", "get", lambda w: f"{manual_records(w)}/", RECORD_VIEWERS),
    Endpoint("manual records CSV", "get", lambda w: f"{manual_records(w)}/export.csv", RECORD_VIEWERS),
    Endpoint("add manual record page", "get", lambda w: f"{manual_records(w)}/new/", RECORD_VIEWERS),
    Endpoint(
        "add a manual record",
        "post",
        lambda w: f"{manual_records(w)}/new/",
        RECORD_VIEWERS,
        ok=302,
        data=lambda w: a_manual_record_form(),
    ),
    Endpoint("manual record", "get", lambda w: f"{manual_records(w)}/{a_record(w).pk}/", RECORD_VIEWERS),
    Endpoint(
        "manual record scan",
        "get",
        lambda w: f"{manual_records(w)}/{a_record_with_scan(w).pk}/attachment/",
        RECORD_VIEWERS,
    ),
    Endpoint(
        "enter a manual record",
        "post",
        lambda w: f"{manual_records(w)}/{a_record(w).pk}/enter/",
        RECORD_VIEWERS,
        ok=302,
        data=lambda w: {"enter-system_reference": "MOS-1", "enter-version": 1},
    ),
    Endpoint(
        "verify a manual record",
        "post",
        lambda w: f"{manual_records(w)}/{a_record(w, 'entered').pk}/verify/",
        RECORD_VERIFIERS,
        ok=302,
        data=lambda w: {"verify-version": 2},
    ),
    Endpoint(
        "return a manual record",
        "post",
        lambda w: f"{manual_records(w)}/{a_record(w, 'entered').pk}/return/",
        RECORD_VERIFIERS,
        ok=302,
        data=lambda w: {"return-version": 2, "return-reason": "Wrong date"},
    ),
    Endpoint("close decision page", "get", lambda w: f"{manual_records(w)}/close-decision/", {"gold"}),
    Endpoint(
        "record the close decision",
        "post",
        lambda w: f"{manual_records(w)}/close-decision/",
        {"gold"},
        ok=302,
        data=lambda w: {"rationale": "Reconciliation continues as business as usual."},
    ),
    Endpoint(
        "API manual records",
        "get",
        lambda w: f"/api/v1{manual_records(w)}/",
        RECORD_VIEWERS,
    ),
    Endpoint(
        "API add a manual record",
        "post",
        lambda w: f"/api/v1{manual_records(w)}/",
        RECORD_VIEWERS,
        ok=201,
        data=lambda w: {**a_manual_record_form(), "happened_at": "2026-01-01T09:00:00Z"},
        json_body=True,
    ),
    Endpoint(
        "API manual record", "get", lambda w: f"/api/v1/manual-records/{a_record(w).pk}/", RECORD_VIEWERS
    ),
    Endpoint(
        "API enter a manual record",
        "post",
        lambda w: f"/api/v1/manual-records/{a_record(w).pk}/enter/",
        RECORD_VIEWERS,
        data=lambda w: {"version": 1, "system_reference": "MOS-1"},
        json_body=True,
    ),
    Endpoint(
        "API verify a manual record",
        "post",
        lambda w: f"/api/v1/manual-records/{a_record(w, 'entered').pk}/verify/",
        RECORD_VERIFIERS,
        data=lambda w: {"version": 2},
        json_body=True,
    ),
    Endpoint(
        "API return a manual record",
        "post",
        lambda w: f"/api/v1/manual-records/{a_record(w, 'entered').pk}/return/",
        RECORD_VERIFIERS,
        data=lambda w: {"version": 2, "reason": "Wrong date"},
        json_body=True,
    ),
]


def call(client: Client, endpoint: Endpoint, w: World) -> int:
    w.incident_a.refresh_from_db()
    kwargs: dict[str, Any] = {}
    if endpoint.data:
        payload = endpoint.data(w)
        if endpoint.json_body:
            kwargs = {"data": json.dumps(payload), "content_type": "application/json"}
        else:
            kwargs = {"data": payload}
    with transaction.atomic():
        response = getattr(client, endpoint.method)(endpoint.url(w), **kwargs)
        transaction.set_rollback(True)  # each role starts from the same state
    return int(response.status_code)


# Named routes the matrix does not call, each with the reason. Everything else in the URL conf
# must be in ENDPOINTS: test_every_route_is_in_the_matrix_or_says_why_not.
NOT_IN_MATRIX = {
    "admin:": "Django admin: only is_staff superusers, who are not council members at all",
    "accounts:login": "signing in: tests/accounts/test_login.py",
    "accounts:logout": "signing out: tests/accounts/test_login.py",
    "accounts:password_change": "your own password: tests/accounts",
    "accounts:password_change_done": "your own password: tests/accounts",
    "accounts:reset_cancel": "the admin-assisted reset link, by token: tests/accounts/test_recovery.py",
    "accounts:reset_confirm": "the admin-assisted reset link, by token: tests/accounts/test_recovery.py",
    "accounts:two_factor_": "your own second factor: tests/accounts/test_two_factor.py",
    "api-docs": "Swagger UI, the same for everyone: tests/api/test_api.py",
    "api-root": "the API's index of routes, no data",
    "api-schema": "the OpenAPI schema, no data: tests/api/test_api.py",
    "api-token": "getting a token with a password: tests/accounts/test_api_tokens.py",
    "api_tokens:revoke": "your own token, or a member's by their admin: tests/accounts/test_api_tokens.py",
    "my-token-revoke": "your own token only: tests/accounts/test_api_tokens.py",
    "health:": "liveness and readiness for the load balancer, no data: tests/health",
    "incidents:invitation_accept": "an invitation link, by token: tests/incidents/test_invitations.py",
    "incidents:invitation_withdraw": "per invitation: tests/incidents/test_invitations.py",
    "incidents:people_keep_access": "per participation: tests/incidents/test_invitations.py",
    "notifications:acknowledge": "only the person it was sent to: tests/notifications/test_pages.py",
    "notifications:acknowledge_link": "by token from an SMS or email: tests/notifications",
    "rotas:calendar_feed": "by the person's secret calendar token: tests/rotas/test_calendar.py",
    "swap-": "only the two people in a swap: tests/rotas/test_overrides_swaps_gaps.py",
}


def _route_names(resolver: URLResolver, prefix: str = "") -> set[str]:
    names: set[str] = set()
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            names |= _route_names(entry, f"{prefix}{entry.namespace}:" if entry.namespace else prefix)
        elif isinstance(entry, URLPattern) and entry.name:
            names.add(prefix + entry.name)
    return names


class _Built(Exception):
    """Carries an endpoint's URL out of a savepoint that undoes what building it made."""


@pytest.mark.django_db
def test_every_route_is_in_the_matrix_or_says_why_not(world: World) -> None:
    covered: set[str] = set()
    for endpoint in ENDPOINTS:
        try:
            with transaction.atomic():
                raise _Built(endpoint.url(world))
        except _Built as built:
            covered.add(resolve(str(built.args[0]).split("?")[0]).view_name)
    missing = {
        name
        for name in _route_names(get_resolver()) - covered
        if not any(
            name == key or (key.endswith((":", "_", "-")) and name.startswith(key)) for key in NOT_IN_MATRIX
        )
    }
    assert not missing, f"add these to ENDPOINTS (or NOT_IN_MATRIX, saying why): {sorted(missing)}"


@pytest.mark.django_db
@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=lambda e: e.name)
def test_each_role_gets_what_its_part_allows_and_other_councils_get_404(
    world: World, endpoint: Endpoint
) -> None:
    wrong: list[str] = []
    for role in ROLES:
        expected = endpoint.ok if role in endpoint.allowed else 403
        got = call(world.client_for(role), endpoint, world)
        if got != expected:
            wrong.append(f"own council {role}: expected {expected}, got {got}")
        other_expected = (endpoint.ok if role in endpoint.allowed else 403) if not endpoint.scoped else 404
        got = call(world.client_for(f"{role}_b"), endpoint, world)
        if got != other_expected:
            wrong.append(f"other council {role}: expected {other_expected}, got {got}")
    assert wrong == []


@pytest.mark.django_db
def test_signed_out_visitors_are_sent_to_sign_in_or_refused(world: World) -> None:
    client = Client()
    for endpoint in ENDPOINTS:
        status = call(client, endpoint, world)
        if endpoint.name.startswith("API"):
            assert status in (401, 403), endpoint.name
        else:
            assert status == 302, endpoint.name


@pytest.mark.django_db
def test_lists_never_include_another_councils_incident(world: World) -> None:
    for role in ROLES:
        client = world.client_for(f"{role}_b")
        page = client.get("/").content.decode()
        assert (
            world.incident_a.reference not in page or world.incident_a.reference == world.incident_b.reference
        )
        assert world.incident_a.title not in page or world.incident_b.title == world.incident_a.title
        api = client.get("/api/v1/incidents/").json()
        assert world.incident_a.pk not in [row["id"] for row in api["results"]], role


@pytest.mark.django_db
def test_staff_and_partners_see_only_incidents_they_take_part_in(world: World) -> None:
    from tests import factories

    other = factories.incident(world.a, world.people["gold"], title="A second incident", services_affected=[])
    for role in ("staff", "partner"):
        client = world.client_for(role)
        assert client.get(f"/incidents/{other.pk}/").status_code == 404
        ids = [row["id"] for row in client.get("/api/v1/incidents/").json()["results"]]
        assert ids == [world.incident_a.pk]
    assert world.client_for("dpo").get(f"/incidents/{other.pk}/").status_code == 200


@pytest.mark.django_db
def test_an_incident_shared_with_a_connected_council_is_visible_there_read_only(world: World) -> None:
    from incident_console.incidents.services import update_incident

    world.a.connected_councils.add(world.b)
    update_incident(
        incident=world.incident_a, actor=world.people["gold"], expected_version=None, shared_with=[world.b]
    )
    responder_b = world.client_for("bystander_b")
    assert responder_b.get(f"/incidents/{world.incident_a.pk}/").status_code == 200
    assert responder_b.get(f"/actions/{item_of(world).pk}/").status_code == 200
    assert responder_b.get(f"/incidents/{world.incident_a.pk}/edit/").status_code == 403
    # Staff and partners of the connected council still see only what they take part in.
    assert world.client_for("staff_b").get(f"/incidents/{world.incident_a.pk}/").status_code == 404
