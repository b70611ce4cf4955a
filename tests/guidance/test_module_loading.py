"""Loading module files into the database: all-or-nothing, idempotent, versioned."""

from __future__ import annotations

import hashlib
import shutil
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from incident_console.guidance.loading import LoadOutcome, ModuleLoadError, load_modules
from incident_console.guidance.management.commands.load_modules import Command as LoadModulesCommand
from incident_console.guidance.models import GuidanceModule, ModuleVersion, StrategicAction

REPO_MODULES = Path(__file__).resolve().parents[2] / "modules"
ADULT = "adult-social-care"
CHILDRENS = "childrens-social-care"

pytestmark = pytest.mark.django_db


def counts() -> tuple[int, int, int]:
    return GuidanceModule.objects.count(), ModuleVersion.objects.count(), StrategicAction.objects.count()


@pytest.fixture
def modules_dir(tmp_path: Path) -> Path:
    """A copy of the real modules/ directory that a test may change."""
    directory = tmp_path / "modules"
    for slug in (ADULT, CHILDRENS):
        (directory / slug).mkdir(parents=True)
        shutil.copyfile(REPO_MODULES / slug / "module.yaml", directory / slug / "module.yaml")
    return directory


def edit(directory: Path, slug: str, old: str, new: str) -> Path:
    path = directory / slug / "module.yaml"
    text = path.read_text(encoding="utf-8")
    assert old in text, f"fixture text {old!r} not found in {slug}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


def line_of(path: Path, needle: str) -> int:
    text = path.read_text(encoding="utf-8")
    return text[: text.index(needle)].count("\n") + 1


# ---- loading the real modules ------------------------------------------------------------------


def test_both_real_modules_load_with_nine_and_twelve_actions() -> None:
    report = load_modules(directory=REPO_MODULES)

    assert [(r.slug, r.version, r.outcome, r.action_count) for r in report.modules] == [
        (ADULT, 1, LoadOutcome.CREATED, 9),
        (CHILDRENS, 1, LoadOutcome.CREATED, 12),
    ]
    for slug, expected in ((ADULT, 9), (CHILDRENS, 12)):
        module = GuidanceModule.objects.get(slug=slug)
        assert module.current_version is not None
        actions = list(module.current_version.actions.order_by("position"))
        assert len(actions) == expected
        assert [action.position for action in actions] == list(range(1, expected + 1))
        assert len({action.action_id for action in actions}) == expected


def test_loaded_module_records_title_service_hash_and_source() -> None:
    load_modules(directory=REPO_MODULES)

    module = GuidanceModule.objects.get(slug=CHILDRENS)
    version = module.current_version
    assert version is not None
    raw = (REPO_MODULES / CHILDRENS / "module.yaml").read_bytes()
    assert module.title == "Managing a cyber incident impacting children\u2019s social care services"
    assert module.service == "childrens_social_care"
    assert version.number == 1
    assert version.content_hash == hashlib.sha256(raw).hexdigest()
    assert version.source_path == "modules/childrens-social-care/module.yaml"


def test_childrens_representation_rule_is_stored_with_the_version() -> None:
    load_modules(directory=REPO_MODULES)

    version = GuidanceModule.objects.get(slug=CHILDRENS).current_version
    assert version is not None
    assert version.document["representation_rules"] == [
        {
            "service": "childrens_social_care",
            "tiers": ["gold", "silver"],
            "reason": "Ensure children\u2019s social care is represented in Gold/Strategic and "
            "Silver/Tactical arrangements to weigh technical risk against safeguarding risk.",
        }
    ]


def test_action_defaults_are_copied_onto_strategic_actions() -> None:
    load_modules(directory=REPO_MODULES)

    data_stolen = StrategicAction.objects.get(action_id="asc-assume-data-stolen")
    assert data_stolen.position == 5
    assert data_stolen.text.startswith("Act on the assumption that sensitive health and safeguarding data")
    assert (data_stolen.default_tier, data_stolen.default_cell) == ("gold", "data_protection")
    assert data_stolen.due_offset_hours == 1
    assert data_stolen.stage_tags == ["identify", "respond"]
    reconcile = StrategicAction.objects.get(action_id="csc-reconcile-manual-records")
    assert reconcile.due_offset_hours is None
    assert reconcile.stage_tags == ["recovery"]


def test_default_directory_is_the_configured_modules_dir(settings: object, modules_dir: Path) -> None:
    edit(modules_dir, ADULT, "title: Managing", "title: Locally managing")
    settings.MODULES_DIR = modules_dir  # type: ignore[attr-defined]

    load_modules()

    assert GuidanceModule.objects.get(slug=ADULT).title.startswith("Locally managing")


# ---- idempotence and versions ------------------------------------------------------------------


def test_reloading_unchanged_files_creates_nothing(modules_dir: Path) -> None:
    load_modules(directory=modules_dir)
    before = counts()
    current = dict(GuidanceModule.objects.values_list("slug", "current_version_id"))

    report = load_modules(directory=modules_dir)

    assert counts() == before == (2, 2, 21)
    assert [(r.version, r.outcome, r.action_count) for r in report.modules] == [
        (1, LoadOutcome.UNCHANGED, 9),
        (1, LoadOutcome.UNCHANGED, 12),
    ]
    assert dict(GuidanceModule.objects.values_list("slug", "current_version_id")) == current


def test_a_changed_file_becomes_version_two_and_the_current_version(modules_dir: Path) -> None:
    load_modules(directory=modules_dir)
    first = GuidanceModule.objects.get(slug=ADULT).current_version
    assert first is not None
    edit(modules_dir, ADULT, "      due_offset_hours: 1\n", "      due_offset_hours: 2\n")

    report = load_modules(directory=modules_dir)

    assert [(r.slug, r.version, r.outcome) for r in report.modules] == [
        (ADULT, 2, LoadOutcome.CREATED),
        (CHILDRENS, 1, LoadOutcome.UNCHANGED),
    ]
    module = GuidanceModule.objects.get(slug=ADULT)
    assert module.current_version is not None
    assert module.current_version.number == 2
    assert module.current_version.pk != first.pk
    assert module.current_version.actions.get(action_id="asc-assume-data-stolen").due_offset_hours == 2
    assert first.actions.get(action_id="asc-assume-data-stolen").due_offset_hours == 1
    assert first.actions.count() == 9
    assert counts() == (2, 3, 30)


def test_a_title_change_updates_the_module_title(modules_dir: Path) -> None:
    load_modules(directory=modules_dir)
    edit(modules_dir, CHILDRENS, "title: Managing a cyber incident", "title: Handling a cyber incident")

    load_modules(directory=modules_dir)

    module = GuidanceModule.objects.get(slug=CHILDRENS)
    assert module.title.startswith("Handling a cyber incident")
    assert module.current_version is not None and module.current_version.number == 2


def test_reverting_a_file_makes_its_earlier_version_current_without_a_new_one(modules_dir: Path) -> None:
    original = (modules_dir / ADULT / "module.yaml").read_bytes()
    load_modules(directory=modules_dir)
    edit(modules_dir, ADULT, "useful_links: []", "useful_links: [{title: Local plan}]")
    load_modules(directory=modules_dir)
    (modules_dir / ADULT / "module.yaml").write_bytes(original)
    before = counts()

    report = load_modules(directory=modules_dir)

    assert counts() == before
    assert (report.modules[0].version, report.modules[0].outcome) == (1, LoadOutcome.RESTORED)
    module = GuidanceModule.objects.get(slug=ADULT)
    assert module.current_version is not None and module.current_version.number == 1


# ---- bad files leave the database exactly as it was --------------------------------------------

BAD_FILES = {
    # name: (old text, new text, field named, reason fragment, line marker or None)
    "invalid yaml": (
        "  - id: csc-workaround-risks",
        "  - id: [csc-workaround-risks",
        None,
        "invalid YAML",
        None,
    ),
    "missing field": (
        "use_when: >-",
        "usage: >-",
        "use_when",
        "this required field is missing",
        None,
    ),
    "duplicate action id": (
        "id: csc-workaround-risks",
        "id: csc-engage-dfe-and-ofsted",
        "strategic_actions[7].id",
        "duplicate strategic action id 'csc-engage-dfe-and-ofsted'",
        "  - id: csc-engage-dfe-and-ofsted\n    text: >-\n      Identify where",
    ),
    "unknown key": (
        "      due_offset_hours: 8\n",
        "      due_offset_hours: 8\n      priority: high\n",
        "strategic_actions[8].defaults.priority",
        "unknown key",
        "priority: high",
    ),
    "bad enum value": (
        "      cell: it\n",
        "      cell: ict\n",
        "strategic_actions[10].defaults.cell",
        "Input should be 'adult_social_care'",
        "cell: ict",
    ),
    "duplicate mapping key": (
        "  - category: schools\n",
        "  - category: schools\n    category: staff\n",
        "key_contacts[2].category",
        "duplicate key 'category'",
        "category: staff\n    text: Up to date and accessible contact details for schools.",
    ),
}


def break_childrens_module(directory: Path, case: str) -> tuple[Path, str, str, int | None]:
    old, new, field, reason, marker = BAD_FILES[case]
    path = edit(directory, CHILDRENS, old, new)
    text = path.read_text(encoding="utf-8")
    line = None if marker is None else text[: text.index(marker)].count("\n") + 1
    return path, field or "", reason, line


@pytest.mark.parametrize("case", BAD_FILES)
def test_a_bad_file_is_rejected_with_file_field_and_reason_and_nothing_changes(
    modules_dir: Path, case: str
) -> None:
    load_modules(directory=REPO_MODULES)
    before = counts()
    # The other file in the directory is good and changed: it would be version 2 if loaded.
    edit(modules_dir, ADULT, "useful_links: []", "useful_links: [{title: Local plan}]")
    path, field, reason, line = break_childrens_module(modules_dir, case)

    with pytest.raises(ModuleLoadError) as caught:
        load_modules(directory=modules_dir)

    message = str(caught.value)
    assert message.startswith("1 module file rejected; nothing was loaded:")
    [file_error] = caught.value.file_errors
    assert file_error.path == path
    assert str(path) in message
    assert field in message and reason in message
    if line is not None:
        assert f"{path}:{line}: {field}: " in message
    assert counts() == before
    adult = GuidanceModule.objects.get(slug=ADULT)
    assert adult.current_version is not None and adult.current_version.number == 1


@pytest.mark.parametrize("case", BAD_FILES)
def test_a_bad_file_stops_a_good_new_module_from_loading_into_an_empty_database(
    modules_dir: Path, case: str
) -> None:
    break_childrens_module(modules_dir, case)

    with pytest.raises(ModuleLoadError, match=CHILDRENS):
        load_modules(directory=modules_dir)

    assert counts() == (0, 0, 0)


def test_every_bad_file_is_listed(modules_dir: Path) -> None:
    edit(modules_dir, ADULT, "schema_version: 1", "schema_version: one")
    edit(modules_dir, CHILDRENS, "service: childrens_social_care", "service: children")

    with pytest.raises(ModuleLoadError) as caught:
        load_modules(directory=modules_dir)

    assert str(caught.value).startswith("2 module files rejected; nothing was loaded:")
    assert [error.path.parent.name for error in caught.value.file_errors] == [ADULT, CHILDRENS]
    adult_line = line_of(modules_dir / ADULT / "module.yaml", "schema_version: one")
    childrens_line = line_of(modules_dir / CHILDRENS / "module.yaml", "service: children")
    assert f"{modules_dir / ADULT / 'module.yaml'}:{adult_line}: schema_version: " in str(caught.value)
    assert f"{modules_dir / CHILDRENS / 'module.yaml'}:{childrens_line}: service: " in str(caught.value)


def test_a_directory_without_module_files_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(ModuleLoadError, match="no module files"):
        load_modules(directory=tmp_path)

    assert counts() == (0, 0, 0)


def test_a_failure_while_writing_rolls_back_every_module(
    modules_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    load_modules(directory=REPO_MODULES)
    before = counts()
    edit(modules_dir, ADULT, "useful_links: []", "useful_links: [{title: Local plan}]")
    edit(modules_dir, CHILDRENS, "useful_links:\n", "useful_links:\n  - title: Local plan\n")
    real_bulk_create = StrategicAction.objects.bulk_create
    calls: list[int] = []

    def fail_on_second_module(objs: object, *args: object, **kwargs: object) -> object:
        calls.append(1)
        if len(calls) == 2:
            raise RuntimeError("disk full")
        return real_bulk_create(objs, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(StrategicAction.objects, "bulk_create", fail_on_second_module)

    with pytest.raises(RuntimeError, match="disk full"):
        load_modules(directory=modules_dir)

    assert len(calls) == 2
    assert counts() == before


# ---- the management command --------------------------------------------------------------------


def test_command_prints_one_line_per_module(modules_dir: Path) -> None:
    out = StringIO()
    call_command("load_modules", "--path", str(modules_dir), stdout=out)
    call_command("load_modules", "--path", str(modules_dir), stdout=out)

    assert out.getvalue().splitlines() == [
        "adult-social-care: version 1 loaded (9 actions)",
        "childrens-social-care: version 1 loaded (12 actions)",
        "adult-social-care: unchanged (version 1, 9 actions)",
        "childrens-social-care: unchanged (version 1, 12 actions)",
    ]


def test_command_refuses_a_bad_file_naming_it_and_loads_nothing(modules_dir: Path) -> None:
    path, field, reason, line = break_childrens_module(modules_dir, "bad enum value")

    with pytest.raises(CommandError) as caught:
        call_command("load_modules", "--path", str(modules_dir), stdout=StringIO())

    assert f"{path}:{line}: {field}: {reason}" in str(caught.value)
    assert counts() == (0, 0, 0)


@pytest.mark.django_db(databases=[])
def test_command_exits_non_zero_with_the_errors_on_stderr(
    modules_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # No database access is allowed here: a bad file must be refused before any query.
    path, field, _reason, line = break_childrens_module(modules_dir, "duplicate mapping key")

    with pytest.raises(SystemExit) as caught:
        LoadModulesCommand().run_from_argv(["manage.py", "load_modules", "--path", str(modules_dir)])

    assert caught.value.code == 1
    captured = capsys.readouterr()
    assert captured.out == ""
    assert f"{path}:{line}: {field}: duplicate key 'category'" in captured.err
