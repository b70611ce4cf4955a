"""Personal data typed into every internal field of a sitrep, to prove none reaches partners."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from incident_console.command.services import add_risk, assign_role, record_decision
from incident_console.guidance.models import ChecklistItem, ItemStatus
from incident_console.incidents.models import Incident
from incident_console.lib.time import now
from incident_console.reports import services
from incident_console.reports.models import Sitrep
from tests.conftest import World

# One token per internal field, single words so PDF line-wrapping cannot split them.
INTERNAL_TOKENS = {
    "incident title": "Zorbaltitle",
    "incident summary": "Quenbysummary",
    "headline": "Marrowheadline",
    "impact": "Tillyimpact",
    "risks and issues": "Pendrisks",
    "amendment reason": "Olvenreason",
    "completed action": "Hazeltonaction",
    "due action": "Brackenduetask",
    "decision": "Wrexdecision",
    "risk title": "Fennrisk",
    "risk mitigations": "Gorsemitigation",
    "comms content": "Yarrowcomms",
    "comms channel": "Nettlechannel",
    "comms approver": "Sorrelapprover",
    "preparer name": "Drummondprep",
    "approver name": "Ashcombegold",
    "action owner": "Kestrelowner",
}
PARTNER_TOKENS = {"partner headline": "Larkpartnerhead", "requests of partners": "Finchrequest"}


def sitrep_full_of_personal_data(w: World) -> Sitrep:
    """An issued amendment whose every internal field names a person (see INTERNAL_TOKENS)."""
    t = INTERNAL_TOKENS
    gold, bronze, staff = w.people["gold"], w.people["bronze"], w.people["staff"]
    gold.full_name = f"Patricia {t['approver name']}"
    bronze.full_name = f"Owen {t['preparer name']}"
    staff.full_name = f"Ruth {t['action owner']}"
    for person in (gold, bronze, staff):
        person.save()
    incident = w.incident_a
    Incident.objects.filter(pk=incident.pk).update(
        title=f"Records of {t['incident title']} exposed", summary=f"Child {t['incident summary']} at risk"
    )
    incident.refresh_from_db()
    assign_role(incident=incident, actor=gold, user=gold, tier="gold")
    items = list(ChecklistItem.objects.filter(checklist__incident=incident).order_by("pk")[:2])
    done, due = items
    done.title, done.owner, done.status, done.completed_at = (
        f"Call {t['completed action']}",
        staff,
        "done",
        now(),
    )
    due.title, due.owner, due.status = f"Visit {t['due action']}", staff, ItemStatus.IN_PROGRESS
    due.due_at = now() + timedelta(hours=1)
    done.save()
    due.save()
    record_decision(
        incident=incident,
        actor=gold,
        decision_maker=gold,
        decided_at=now() - timedelta(minutes=2),
        decision=f"Move {t['decision']} to a safe placement",
        rationale="Safeguarding",
    )
    add_risk(
        incident=incident,
        actor=gold,
        title=f"{t['risk title']} may miss medication",
        likelihood=4,
        impact=5,
        owner=staff,
        mitigations=f"Nurse visits {t['risk mitigations']}",
    )
    services.record_comms(
        incident=incident,
        actor=gold,
        audience="members",
        channel=f"Call to {t['comms channel']}",
        content=f"Briefed about {t['comms content']}",
        approved_by=f"Cllr {t['comms approver']}",
        sent_at=now() - timedelta(minutes=1),
    )
    text: dict[str, Any] = {
        "partner_headline": f"Services running on paper {PARTNER_TOKENS['partner headline']}",
        "requests_of_partners": f"Please phone {PARTNER_TOKENS['requests of partners']}",
    }
    original = services.draft_sitrep(incident=incident, actor=bronze, headline="First", **text)
    services.approve_sitrep(sitrep=original, actor=gold)
    original = services.issue_sitrep(sitrep=original, actor=bronze)
    amendment = services.draft_sitrep(
        incident=incident,
        actor=bronze,
        amends=original,
        amendment_reason=f"Corrected {t['amendment reason']}",
        headline=f"Family {t['headline']} rehoused",
        impact=f"Carer {t['impact']} unpaid",
        risks_issues=f"Resident {t['risks and issues']} missing",
        **text,
    )
    services.approve_sitrep(sitrep=amendment, actor=gold)
    return services.issue_sitrep(sitrep=amendment, actor=bronze)


def squashed(text: str) -> str:
    """PDF text with line breaks, spaces and hyphenation removed, for token searches."""
    for hyphen in ("-\n", "\u2010\n", "\u00ad"):
        text = text.replace(hyphen, "")
    return "".join(text.split())
