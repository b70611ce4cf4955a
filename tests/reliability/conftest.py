from __future__ import annotations

import pytest

from tests.reliability.figures import TABLES
from tests.reliability.sizes import Sizes


@pytest.fixture(scope="session")
def sizes() -> Sizes:
    return Sizes.from_environment()


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    if not TABLES:
        return
    terminalreporter.section("reliability figures")
    for made in TABLES:
        terminalreporter.write_line(made.markdown())
        terminalreporter.write_line("")
