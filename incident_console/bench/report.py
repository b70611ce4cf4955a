"""The bench's results: a table on stdout, docs/benchmarks.json and the figures in docs/benchmarks.md."""

from __future__ import annotations

import json
import re
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

START = "<!-- bench:results:start -->"
END = "<!-- bench:results:end -->"


@dataclass
class Row:
    """One measured line. ``met`` is None for figures reported without a target."""

    section: str
    name: str
    measured: str
    values: dict[str, Any] = field(default_factory=dict)
    floor: float | None = None
    ratio: float | None = None
    target: str = ""
    met: bool | None = None


def _cell(value: float | None) -> str:
    if value is None:
        return "—"
    return f"{value:,.2f}" if abs(value) < 100 else f"{value:,.0f}"


def _met(row: Row) -> str:
    return "—" if row.met is None else ("yes" if row.met else "NO")


def table(rows: list[Row]) -> str:
    """A fixed-width table for the terminal."""
    head = ("section", "name", "measured", "floor", "ratio", "target", "met")
    lines = [(r.section, r.name, r.measured, _cell(r.floor), _cell(r.ratio), r.target, _met(r)) for r in rows]
    widths = [max(len(str(line[n])) for line in [head, *lines]) for n in range(len(head))]
    out = [
        "  ".join(str(cell).ljust(width) for cell, width in zip(line, widths, strict=True))
        for line in [head, *lines]
    ]
    out.insert(1, "  ".join("-" * width for width in widths))
    return "\n".join(out)


def markdown(rows: list[Row]) -> str:
    lines = [
        "| section | name | measured | floor | ratio | target | met |",
        "|---|---|---|--:|--:|---|---|",
    ]
    for r in rows:
        lines.append(
            f"| {r.section} | {r.name} | {r.measured} | {_cell(r.floor)} | {_cell(r.ratio)} "
            f"| {r.target} | {_met(r)} |"
        )
    return "\n".join(lines)


def write_json(path: Path, rows: list[Row], meta: dict[str, Any]) -> None:
    data = {**meta, "rows": [asdict(r) for r in rows], "all_met": all(r.met is not False for r in rows)}
    path.write_text(json.dumps(data, indent=2, sort_keys=False) + "\n")


def update_markdown(path: Path, rows: list[Row], meta: dict[str, Any]) -> None:
    """Replace the figures between the result markers, keeping the prose around them."""
    block = "\n".join(
        [
            START,
            f"Measured {meta['measured_at']} with `{meta['command']}` on {meta['machine']}.",
            "",
            markdown(rows),
            END,
        ]
    )
    text = path.read_text() if path.exists() else f"# Benchmarks\n\n{START}\n{END}\n"
    if START not in text:
        text = text.rstrip("\n") + f"\n\n{START}\n{END}\n"
    pattern = re.compile(re.escape(START) + r".*?" + re.escape(END), re.DOTALL)
    path.write_text(pattern.sub(lambda _match: block, text))
