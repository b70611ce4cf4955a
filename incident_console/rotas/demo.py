"""Demo rotas from the `rotas:` section of fixtures/demo.yaml. Idempotent: a rota that exists (by
council and name) is left alone. Dates are relative to today, so the demo always shows next week."""

from __future__ import annotations

from datetime import date, time, timedelta
from typing import Any

from django.db import transaction

from incident_console.accounts.models import Council, User
from incident_console.lib.time import london, now

from .models import CoverKind, Rota, RotaMember, ShiftPattern


@transaction.atomic
def load_demo_rotas(rows: list[dict[str, Any]], councils: dict[str, Council], people: dict[str, User]) -> int:
    today = london(now()).date()
    next_monday = today + timedelta(days=7 - today.weekday())
    created = 0
    for row in rows:
        council = councils[row["council"]]
        if Rota.objects.filter(council=council, name=row["name"]).exists():
            continue
        anchor = today - timedelta(days=int(row.get("anchor_days_ago", 7)))
        rota = Rota.objects.create(
            council=council,
            name=row["name"],
            cover=CoverKind(row.get("cover", CoverKind.ON_SHIFT)),
            owner=people[row["owner"]],
            anchor_date=anchor,
        )
        order = 0
        for slot, shift in enumerate(row["shifts"]):
            start, end = time.fromisoformat(shift["start"]), time.fromisoformat(shift["end"])
            gap_day: date | None = None
            if shift.get("gap_next_week"):
                # Nobody is rostered for this shift on the given day of next week (0 = Monday).
                gap_day = next_monday + timedelta(days=int(shift["gap_next_week"]["weekday"]))
            spans = (
                [(anchor, None)]
                if gap_day is None
                else [(anchor, gap_day - timedelta(days=1)), (gap_day + timedelta(days=1), None)]
            )
            for valid_from, valid_until in spans:
                ShiftPattern.objects.create(
                    rota=rota,
                    name=shift["name"],
                    start_time=start,
                    end_time=end,
                    valid_from=valid_from,
                    valid_until=valid_until,
                    order=order,
                    slot=slot,
                )
                order += 1
        for position, username in enumerate(row.get("members", [])):
            RotaMember.objects.create(rota=rota, user=people[username], position=position)
        for position, username in enumerate(row.get("backups", [])):
            RotaMember.objects.create(rota=rota, user=people[username], position=position, is_backup=True)
        created += 1
    return created
