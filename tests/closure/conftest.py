from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest


@pytest.fixture(autouse=True)
def archive_dir(settings: Any, tmp_path: Path) -> Path:
    settings.ARCHIVE_STORAGE_DIR = tmp_path / "archives"
    return Path(settings.ARCHIVE_STORAGE_DIR)
