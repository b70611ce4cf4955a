"""The bench dataset: councils, incidents, checklists, timeline, a year of rota and pending reminders.

Bulk rows are written by PostgreSQL itself (``INSERT … SELECT generate_series``) or streamed with
``COPY``; only the handful of people, modules and the rota go through the ORM. Each scale lives in
its own three councils, so the full and the small scale sit side by side in one database and the
same page can be asked of both. A marker table (``bench_dataset``) records what was made; a later
run with the same specification reuses it.

Timeline rows are only ever inserted (the append-only triggers stay in place) and are chained
exactly as ``timeline.services.record`` chains them, so ``manage.py verify_timeline`` accepts them.
"""

from __future__ import annotations

import hashlib
import io
import json
import time
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from datetime import UTC, datetime, timedelta
from datetime import time as wall
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, transaction

from incident_console.accounts.models import Council, Membership, Role, User
from incident_console.guidance.models import GuidanceModule, ModuleVersion
from incident_console.lib.choices import Classification
from incident_console.lib.time import LONDON, now
from incident_console.rotas.models import CoverKind, Override, Rota, RotaMember, ShiftPattern
from incident_console.timeline.services import GENESIS_HASH

COUNCILS = 3
ROTA_PEOPLE = 50
MODULES = 2
COPY_CHUNK = 50_000


@dataclass(frozen=True)
class Scale:
    """How much data one scale holds. ``big_*`` is the one large open incident the pages show."""

    name: str
    incidents: int
    items: int
    timeline: int
    reminders: int
    big_items: int
    big_events: int
    open_per_council: int

    @property
    def spec(self) -> dict[str, Any]:
        return asdict(self)


FULL = Scale("full", 10_000, 200_000, 1_000_000, 100_000, 400, 20_000, 10)
SMALL = Scale("small", 1_000, 20_000, 100_000, 10_000, 40, 2_000, 4)
TINY = Scale("tiny", 100, 2_000, 10_000, 1_000, 20, 200, 2)
# Each measured scale with the smaller one its query counts are compared against.
PAIRS = {"full": (FULL, SMALL), "small": (SMALL, TINY)}


@dataclass
class Dataset:
    """What the timings need to find in a generated scale."""

    scale: Scale
    council_ids: list[int]
    responder: User
    people_ids: list[int]
    big_incident_id: int
    rota_id: int
    seconds: float
    reused: bool


class DatasetMismatch(Exception):
    """The database holds this scale with another specification, or half-made: regenerate."""


def _ensure_marker_table() -> None:
    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE TABLE IF NOT EXISTS bench_dataset (scale text PRIMARY KEY, spec jsonb NOT NULL, "
            "made_at timestamptz NOT NULL, seconds double precision NOT NULL)"
        )


def _marker(scale: Scale) -> tuple[dict[str, Any], float] | None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT spec, seconds FROM bench_dataset WHERE scale = %s", [scale.name])
        row = cursor.fetchone()
    if row is None:
        return None
    spec = json.loads(row[0]) if isinstance(row[0], str) else row[0]
    return spec, float(row[1])


def council_slugs(scale: Scale) -> list[str]:
    return [f"bench-{scale.name}-{n + 1}" for n in range(COUNCILS)]


def ensure(scale: Scale) -> Dataset:
    """The dataset of this scale: the one already in the database, or a new one."""
    _ensure_marker_table()
    found = _marker(scale)
    if found is not None:
        spec, seconds = found
        if spec != scale.spec:
            raise DatasetMismatch(f"the {scale.name} scale in this database was made as {spec}: use --fresh")
        return _load(scale, seconds)
    if Council.objects.filter(slug__in=council_slugs(scale)).exists():
        raise DatasetMismatch(f"the {scale.name} scale is half-made in this database: use --fresh")
    began = time.perf_counter()
    with transaction.atomic():
        dataset = _generate(scale)
        dataset.seconds = time.perf_counter() - began
        with connection.cursor() as cursor:
            cursor.execute(
                "INSERT INTO bench_dataset (scale, spec, made_at, seconds) VALUES (%s, %s, now(), %s)",
                [scale.name, json.dumps(scale.spec), dataset.seconds],
            )
    with connection.cursor() as cursor:
        # What autovacuum would do a little later. Fresh statistics: without them the planner
        # misjudges the new rows (and may spend a second compiling a plan with JIT). The visibility
        # map: without it a count cannot be read from an index alone. (VACUUM cannot run in a
        # transaction, as in the bench's own tests.)
        cursor.execute("ANALYZE" if connection.in_atomic_block else "VACUUM ANALYZE")
    return dataset


def _load(scale: Scale, seconds: float) -> Dataset:
    councils = list(Council.objects.filter(slug__in=council_slugs(scale)).order_by("slug"))
    responder = User.objects.get(username=f"bench-{scale.name}-responder")
    people = list(
        User.objects.filter(username__startswith=f"bench-{scale.name}-p")
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    rota = Rota.objects.get(council=councils[0], name="Gold")
    big = (
        councils[0]
        .incidents.exclude(status="closed")
        .order_by("-declared_at")
        .values_list("pk", flat=True)
        .first()
    )
    assert big is not None
    return Dataset(
        scale, [c.pk for c in councils], responder, [responder.pk, *people], big, rota.pk, seconds, True
    )


# --- Generation -------------------------------------------------------------------------------------


def _generate(scale: Scale) -> Dataset:
    at = now().replace(microsecond=0)
    councils = [
        Council.objects.create(name=f"Bench {scale.name} council {n + 1}", slug=slug, reference_prefix="BEN")
        for n, slug in enumerate(council_slugs(scale))
    ]
    responder = User.objects.create(
        username=f"bench-{scale.name}-responder", full_name=f"Bench responder ({scale.name})"
    )
    Membership.objects.create(user=responder, council=councils[0], role=Role.RESPONDER)
    people = User.objects.bulk_create(
        User(
            username=f"bench-{scale.name}-p{n:02d}", full_name=f"Rota person {n}", mobile_phone="07700900123"
        )
        for n in range(1, ROTA_PEOPLE)
    )
    Membership.objects.bulk_create(Membership(user=p, council=councils[0], role=Role.STAFF) for p in people)
    everyone = [responder, *people]
    modules = _modules()
    big = _incidents(scale, [c.pk for c in councils], responder.pk, at)
    _checklists(scale, [c.pk for c in councils], modules, big, [p.pk for p in everyone], at)
    _timeline(scale, [c.pk for c in councils], big, responder.pk)
    _reminders(scale, councils[0].pk, responder.pk, at)
    rota = _rota(councils[0], everyone, at)
    return Dataset(
        scale, [c.pk for c in councils], responder, [p.pk for p in everyone], big, rota.pk, 0.0, False
    )


def _modules() -> list[tuple[int, int]]:
    """Two guidance modules for the bench checklists: (module id, version id)."""
    found = []
    for n in range(1, MODULES + 1):
        module, _created = GuidanceModule.objects.get_or_create(
            slug=f"bench-module-{n}", defaults={"title": f"Bench module {n}", "service": ""}
        )
        version = ModuleVersion.objects.filter(module=module).first() or ModuleVersion.objects.create(
            module=module,
            number=1,
            content_hash=hashlib.sha256(module.slug.encode()).hexdigest(),
            source_path="bench",
            document={},
        )
        if module.current_version_id != version.pk:
            module.current_version = version
            module.save(update_fields=["current_version"])
        found.append((module.pk, version.pk))
    return found


def _incidents(scale: Scale, council_ids: list[int], creator: int, at: datetime) -> int:
    """Incidents spread over the councils, most of them closed; returns the big incident's id."""
    per_council = scale.incidents // COUNCILS
    with connection.cursor() as cursor:
        for index, council_id in enumerate(council_ids):
            count = per_council + (scale.incidents - per_council * COUNCILS if index == 0 else 0)
            cursor.execute(
                """
                INSERT INTO incidents_incident (
                    reference, title, summary, severity, status, outcome, lga_stage, services_affected,
                    aware_at, declared_at, closed_at, retain_until, classification, is_exercise, version,
                    updated_at, council_id, created_by_id, council_email_unavailable, escalate_after_minutes)
                SELECT 'BEN-' || lpad(i::text, 6, '0'), 'Bench incident ' || i,
                    'A synthetic incident for the performance contract.',
                    (ARRAY['low', 'moderate', 'high', 'critical'])[1 + i %% 4],
                    CASE WHEN i < %(open)s THEN 'response' ELSE 'closed' END,
                    CASE WHEN i < %(open)s THEN '' ELSE 'resolved' END,
                    'respond', '[]'::jsonb, d - interval '1 hour', d,
                    CASE WHEN i < %(open)s THEN NULL ELSE d + interval '14 days' END,
                    CASE WHEN i < %(open)s THEN NULL ELSE d + interval '14 days' + interval '6 years' END,
                    %(classification)s, false, 1, %(at)s, %(council)s, %(creator)s, false, NULL
                FROM generate_series(0, %(count)s - 1) AS i,
                    LATERAL (SELECT %(at)s::timestamptz - i * interval '4 hours'
                             - %(index)s * interval '1 minute' AS d) AS t
                """,
                {
                    "open": scale.open_per_council,
                    "classification": Classification.OFFICIAL_SENSITIVE.value,
                    "at": at,
                    "council": council_id,
                    "creator": creator,
                    "count": count,
                    "index": index,
                },
            )
        cursor.execute(
            "SELECT id FROM incidents_incident WHERE council_id = %s ORDER BY declared_at DESC LIMIT 1",
            [council_ids[0]],
        )
        return int(cursor.fetchone()[0])


def _checklists(
    scale: Scale,
    council_ids: list[int],
    modules: list[tuple[int, int]],
    big: int,
    people: list[int],
    at: datetime,
) -> None:
    with connection.cursor() as cursor:
        cursor.execute(
            """
            INSERT INTO guidance_checklist (
                incident_id, module_id, module_version_id, applied_at, applied_by_id)
            SELECT i.id, m.module_id, m.version_id, i.declared_at, NULL
            FROM incidents_incident i
                CROSS JOIN unnest(%s::bigint[], %s::bigint[]) AS m(module_id, version_id)
            WHERE i.council_id = ANY(%s)
            """,
            [[m for m, _v in modules], [v for _m, v in modules], council_ids],
        )
        insert = """
            WITH cl AS (
                SELECT array_agg(c.id ORDER BY c.id) AS ids FROM guidance_checklist c
                JOIN incidents_incident i ON i.id = c.incident_id
                WHERE i.council_id = ANY(%(councils)s) AND (c.incident_id = %(big)s) = %(is_big)s)
            INSERT INTO guidance_checklistitem (
                position, title, status, not_applicable_reason, suggested_tier, suggested_cell, due_at,
                completed_at, version, updated_at, checklist_id, created_by_id, owner_id, updated_by_id,
                strategic_action_id)
            SELECT n / array_length(cl.ids, 1), 'Bench action ' || n || ': phone the provider and confirm '
                    'the visit list on paper',
                s.status, '', '', '',
                %(at)s::timestamptz + ((n %% 48) - 24) * interval '1 hour',
                CASE WHEN s.status = 'done' THEN %(at)s::timestamptz - interval '1 hour' END,
                1, %(at)s, cl.ids[1 + n %% array_length(cl.ids, 1)], NULL,
                CASE WHEN n %% 5 = 0 THEN NULL ELSE (%(people)s::bigint[])[1 + n %% %(people_count)s] END,
                NULL, NULL
            FROM cl, generate_series(0, %(count)s - 1) AS n,
                LATERAL (SELECT (ARRAY['done', 'done', 'in_progress', 'not_started'])[1 + n %% 4]
                         AS status) AS s
        """
        common: dict[str, Any] = {
            "councils": council_ids,
            "big": big,
            "at": at,
            "people": people,
            "people_count": len(people),
        }
        cursor.execute(insert, {**common, "is_big": True, "count": scale.big_items})
        cursor.execute(insert, {**common, "is_big": False, "count": scale.items - scale.big_items})


def chain(
    incident_id: int, declared_at: datetime, count: int, actor: int | None
) -> Iterator[tuple[Any, ...]]:
    """Timeline rows for one incident, hashed exactly as ``TimelineEvent.compute_hash`` does."""
    previous = GENESIS_HASH
    kinds = ("note_added", "checklist_item_updated", "status_changed")
    for sequence in range(1, count + 1):
        kind = kinds[sequence % 3]
        occurred = (declared_at + timedelta(seconds=sequence)).astimezone(UTC)
        summary = f"Bench event {sequence}"
        payload = {
            "incident": incident_id,
            "sequence": sequence,
            "kind": kind,
            "actor": actor,
            "occurred_at": occurred.isoformat(),
            "summary": summary,
            "data": {},
            "previous_hash": previous,
        }
        canonical = json.dumps(payload, sort_keys=True, separators=(",", ":"), cls=DjangoJSONEncoder)
        digest = hashlib.sha256(canonical.encode()).hexdigest()
        yield incident_id, sequence, kind, actor, occurred.isoformat(), summary, previous, digest
        previous = digest


def _timeline(scale: Scale, council_ids: list[int], big: int, actor: int) -> None:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT id, declared_at FROM incidents_incident WHERE council_id = ANY(%s) ORDER BY id",
            [council_ids],
        )
        incidents = cursor.fetchall()
    others = [row for row in incidents if row[0] != big]
    declared = dict(incidents)
    rest = scale.timeline - scale.big_events
    each, extra = divmod(rest, len(others)) if others else (0, 0)
    plan = [(big, declared[big], scale.big_events)] + [
        (pk, at, each + (1 if n < extra else 0)) for n, (pk, at) in enumerate(others)
    ]
    buffer = io.StringIO()
    rows = 0
    columns = "(incident_id, sequence, kind, actor_id, occurred_at, summary, previous_hash, hash, data)"
    with connection.cursor() as cursor:
        for pk, at, count in plan:
            for row in chain(pk, at, count, actor):
                buffer.write("\t".join(str(value) for value in row))
                buffer.write("\t{}\n")
                rows += 1
                if rows % COPY_CHUNK == 0:
                    buffer.seek(0)
                    cursor.copy_expert(f"COPY timeline_timelineevent {columns} FROM STDIN", buffer)
                    buffer = io.StringIO()
        buffer.seek(0)
        cursor.copy_expert(f"COPY timeline_timelineevent {columns} FROM STDIN", buffer)


def _reminders(scale: Scale, council_id: int, recipient: int, at: datetime) -> None:
    """Pending reminders: open alerts, their notifications and SMS deliveries, none of them due."""
    add_reminders(
        kind=f"bench-{scale.name}",
        council_id=council_id,
        recipient=recipient,
        count=scale.reminders,
        due_at=at + timedelta(days=3650),
        at=at,
    )


def add_reminders(
    *, kind: str, council_id: int, recipient: int, count: int, due_at: datetime, at: datetime
) -> None:
    with connection.cursor() as cursor:
        cursor.execute(
            """
            INSERT INTO notifications_alert (
                council_id, incident_id, kind, source_key, occurrence, subject, link, first_recipients,
                tier, cell, state, step, next_step_at, created_at)
            SELECT %(council)s, NULL, %(kind)s, 'reminder:' || n, '1', 'Bench reminder', '/', '[]'::jsonb,
                '', '', 'open', 0, %(due)s, %(at)s
            FROM generate_series(1, %(count)s) AS n
            """,
            {"council": council_id, "kind": kind, "due": due_at, "at": at, "count": count},
        )
        cursor.execute(
            """
            INSERT INTO notifications_notification (alert_id, step, reason, recipient_id, created_at, read_at)
            SELECT id, 0, 'bench', %(recipient)s, created_at, NULL
            FROM notifications_alert WHERE kind = %(kind)s
            """,
            {"recipient": recipient, "kind": kind},
        )
        cursor.execute(
            """
            INSERT INTO notifications_delivery (
                notification_id, channel, address, state, due_at, attempts, reference, provider_id,
                last_error)
            SELECT n.id, 'sms', '07700900123', 'pending', a.next_step_at, 0,
                md5(%(kind)s || ':' || n.id), '', ''
            FROM notifications_notification n JOIN notifications_alert a ON a.id = n.alert_id
            WHERE a.kind = %(kind)s
            """,
            {"kind": kind},
        )


def _rota(council: Council, people: list[User], at: datetime) -> Rota:
    """A year of 24/7 cover: day and night shifts rotating through 50 people, weekly overrides."""
    anchor = at.astimezone(LONDON).date() - timedelta(days=182)
    rota = Rota.objects.create(
        council=council, name="Gold", owner=people[0], cover=CoverKind.ON_SHIFT, anchor_date=anchor
    )
    ShiftPattern.objects.bulk_create(
        [
            ShiftPattern(
                rota=rota,
                name="Day",
                start_time=wall(8),
                end_time=wall(20),
                valid_from=anchor,
                order=0,
                slot=0,
            ),
            ShiftPattern(
                rota=rota,
                name="Night",
                start_time=wall(20),
                end_time=wall(8),
                valid_from=anchor,
                order=1,
                slot=1,
            ),
        ]
    )
    RotaMember.objects.bulk_create(RotaMember(rota=rota, user=p, position=n) for n, p in enumerate(people))
    starts = [
        datetime.combine(anchor + timedelta(days=7 * week), wall(9), tzinfo=LONDON) for week in range(52)
    ]
    Override.objects.bulk_create(
        Override(
            rota=rota,
            user=people[(week * 7) % len(people)],
            start=start,
            end=start + timedelta(hours=8),
            reason="Bench cover",
            created_by=people[0],
        )
        for week, start in enumerate(starts)
    )
    return rota
