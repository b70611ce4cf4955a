"""Figures each reliability test measured, printed as tables at the end of the run (see
conftest.py) so a run's numbers can be copied into docs/reliability.md."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Table:
    title: str
    headers: list[str]
    rows: list[list[object]] = field(default_factory=list)

    def add(self, *values: object) -> None:
        self.rows.append(list(values))

    def markdown(self) -> str:
        lines = [
            f"**{self.title}**",
            "",
            "| " + " | ".join(self.headers) + " |",
            "|" + "|".join("---" for _h in self.headers) + "|",
        ]
        lines += ["| " + " | ".join(str(v) for v in row) + " |" for row in self.rows]
        return "\n".join(lines)


TABLES: list[Table] = []


def table(title: str, headers: list[str]) -> Table:
    """A new table, printed at the end of the run."""
    made = Table(title=title, headers=headers)
    TABLES.append(made)
    return made
