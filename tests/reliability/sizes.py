"""How big a reliability run is, read from the environment (the Makefile passes its variables):

    RELIABILITY_ROUNDS      worker kills, one fresh worker after each (full 5, CI 1)
    RELIABILITY_REMINDERS   overdue-action reminders in flight while workers are killed (full 1000)
    RELIABILITY_PDFS        PDF jobs (sitreps and grab packs) in flight while workers are killed (full 20)
    REDIS_OUTAGE_SECONDS    how long Redis stays stopped during sweeps and web requests (full 60)
    RELIABILITY_SEED        seed for the random kill points; a fresh one is drawn and printed if unset

Unset, each is the full run's size.
"""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass


def _positive(name: str, default: int) -> int:
    raw = os.environ.get(name, "").strip()
    value = int(raw) if raw else default
    if value < 1:
        raise ValueError(f"{name} must be at least 1, not {value}")
    return value


@dataclass(frozen=True)
class Sizes:
    rounds: int
    reminders: int
    pdfs: int
    outage_seconds: int
    seed: int

    @classmethod
    def from_environment(cls) -> Sizes:
        raw_seed = os.environ.get("RELIABILITY_SEED", "").strip()
        return cls(
            rounds=_positive("RELIABILITY_ROUNDS", 5),
            reminders=_positive("RELIABILITY_REMINDERS", 1000),
            pdfs=_positive("RELIABILITY_PDFS", 20),
            outage_seconds=_positive("REDIS_OUTAGE_SECONDS", 60),
            seed=int(raw_seed) if raw_seed else secrets.randbelow(2**31),
        )
