"""Load guidance module files (modules/<slug>/module.yaml) into the database.

Every file is validated before anything is written; one bad file means nothing is loaded. A
file whose bytes (SHA-256) were loaded before creates nothing; a changed file becomes the next
version of its module and that module's current version. Old versions, and the checklists made
from them, are never altered.
"""

from __future__ import annotations

import enum
import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.db.models import Max

from incident_console.guidance.models import GuidanceModule, ModuleVersion, StrategicAction
from incident_console.guidance.schema import (
    MODULE_FILE_NAME,
    FieldProblem,
    ModuleDocument,
    ModuleFileError,
    parse_module_bytes,
)


class ModuleLoadError(Exception):
    """Nothing was loaded. `file_errors` holds one ModuleFileError per bad file."""

    def __init__(self, message: str, file_errors: Sequence[ModuleFileError] = ()) -> None:
        self.file_errors: tuple[ModuleFileError, ...] = tuple(file_errors)
        details = "".join(f"\n{error}" for error in self.file_errors)
        super().__init__(f"{message}{details}")


class LoadOutcome(enum.StrEnum):
    CREATED = "created"  # a new version was stored and made current
    UNCHANGED = "unchanged"  # the file is the current version already
    RESTORED = "restored"  # the file matches an older stored version, which is current again


@dataclass(frozen=True)
class ModuleLoadResult:
    slug: str
    version: int
    outcome: LoadOutcome
    action_count: int
    source_path: str

    @property
    def created(self) -> bool:
        return self.outcome is LoadOutcome.CREATED

    def describe(self) -> str:
        actions = f"{self.action_count} action{'' if self.action_count == 1 else 's'}"
        if self.outcome is LoadOutcome.CREATED:
            return f"{self.slug}: version {self.version} loaded ({actions})"
        if self.outcome is LoadOutcome.RESTORED:
            return f"{self.slug}: version {self.version} is current again ({actions})"
        return f"{self.slug}: unchanged (version {self.version}, {actions})"


@dataclass(frozen=True)
class LoadReport:
    modules: tuple[ModuleLoadResult, ...]

    @property
    def created(self) -> tuple[ModuleLoadResult, ...]:
        return tuple(result for result in self.modules if result.created)


@dataclass(frozen=True)
class _ValidFile:
    path: Path
    content_hash: str
    document: ModuleDocument


def find_module_files(directory: Path) -> list[Path]:
    """The module files under `directory`, one per sub-folder, in a stable order."""
    return sorted(directory.glob(f"*/{MODULE_FILE_NAME}"))


def load_modules(*, directory: Path | None = None) -> LoadReport:
    """Validate every module file under `directory` (default settings.MODULES_DIR), then load them.

    Raises ModuleLoadError, having written nothing, if the directory holds no module files or
    any file is invalid (the error lists every bad file and every problem in each).
    """
    directory = Path(directory if directory is not None else settings.MODULES_DIR)
    paths = find_module_files(directory)
    if not paths:
        raise ModuleLoadError(
            f"{directory}: no module files (*/{MODULE_FILE_NAME}) found; nothing was loaded"
        )

    valid: list[_ValidFile] = []
    errors: list[ModuleFileError] = []
    for path in paths:
        try:
            content = path.read_bytes()
            document = parse_module_bytes(content, path=path)
        except OSError as exc:
            errors.append(
                ModuleFileError(path, [FieldProblem("", None, f"cannot read the file: {exc.strerror}")])
            )
        except ModuleFileError as exc:
            errors.append(exc)
        else:
            valid.append(_ValidFile(path, hashlib.sha256(content).hexdigest(), document))
    if errors:
        count = f"{len(errors)} module file{'' if len(errors) == 1 else 's'}"
        raise ModuleLoadError(f"{count} rejected; nothing was loaded:", errors)

    with transaction.atomic():
        return LoadReport(tuple(_store(valid_file) for valid_file in valid))


def _store(valid_file: _ValidFile) -> ModuleLoadResult:
    document = valid_file.document
    module, _ = GuidanceModule.objects.select_for_update().get_or_create(
        slug=document.slug, defaults={"title": document.title, "service": document.service.value}
    )
    if (module.title, module.service) != (document.title, document.service.value):
        module.title, module.service = document.title, document.service.value
        module.save(update_fields=["title", "service"])

    source_path = _display_path(valid_file.path)
    existing = module.versions.filter(content_hash=valid_file.content_hash).first()
    if existing is not None:
        outcome = LoadOutcome.UNCHANGED
        if module.current_version_id != existing.pk:
            module.current_version = existing
            module.save(update_fields=["current_version"])
            outcome = LoadOutcome.RESTORED
        return ModuleLoadResult(module.slug, existing.number, outcome, existing.actions.count(), source_path)

    previous = module.versions.aggregate(highest=Max("number"))["highest"] or 0
    version = ModuleVersion.objects.create(
        module=module,
        number=previous + 1,
        content_hash=valid_file.content_hash,
        source_path=source_path,
        document=document.model_dump(mode="json"),
    )
    StrategicAction.objects.bulk_create(
        StrategicAction(
            module_version=version,
            action_id=action.id,
            position=position,
            text=action.text,
            default_tier=action.defaults.tier.value if action.defaults.tier else "",
            default_cell=action.defaults.cell.value if action.defaults.cell else "",
            due_offset_hours=action.defaults.due_offset_hours,
            stage_tags=[stage.value for stage in action.defaults.stage_tags],
        )
        for position, action in enumerate(document.strategic_actions, start=1)
    )
    module.current_version = version
    module.save(update_fields=["current_version"])
    return ModuleLoadResult(
        module.slug, version.number, LoadOutcome.CREATED, len(document.strategic_actions), source_path
    )


def _display_path(path: Path) -> str:
    """The path relative to the repository when it is inside it, otherwise absolute."""
    resolved = path.resolve()
    base = Path(settings.BASE_DIR).resolve()
    return (resolved.relative_to(base) if resolved.is_relative_to(base) else resolved).as_posix()
