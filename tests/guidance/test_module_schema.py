"""The module file format: the real modules are valid, and every kind of bad file is explained."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from pydantic import ValidationError

from incident_console.guidance.schema import (
    DuplicateKeyError,
    ModuleDocument,
    ModuleFileError,
    UniqueKeySafeLoader,
    format_loc,
    parse_module_file,
)
from incident_console.lib.choices import Cell, ContactCategory, Tier

REPO_MODULES = Path(__file__).resolve().parents[2] / "modules"
ADULT = "adult-social-care"
CHILDRENS = "childrens-social-care"


def real_text(slug: str) -> str:
    return (REPO_MODULES / slug / "module.yaml").read_text(encoding="utf-8")


def write_module(root: Path, slug: str, text: str) -> Path:
    path = root / slug / "module.yaml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def broken_copy(root: Path, slug: str, old: str, new: str, count: int = 1) -> Path:
    """A copy of the real module file with `old` replaced; fails loudly if `old` is not there."""
    text = real_text(slug)
    assert text.count(old) >= count, f"fixture text {old!r} not found in {slug}"
    return write_module(root, slug, text.replace(old, new, count))


def line_of(path: Path, needle: str, occurrence: int = 1) -> int:
    seen = 0
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if needle in line:
            seen += 1
            if seen == occurrence:
                return number
    raise AssertionError(f"{needle!r} not in {path}")


def problems_of(path: Path) -> ModuleFileError:
    with pytest.raises(ModuleFileError) as caught:
        parse_module_file(path)
    return caught.value


# ---- the real modules ------------------------------------------------------------------------


def test_adult_module_is_valid_with_nine_strategic_actions() -> None:
    document = parse_module_file(REPO_MODULES / ADULT / "module.yaml")

    assert document.slug == ADULT
    assert document.service == "adult_social_care"
    assert len(document.strategic_actions) == 9
    assert len(document.impacts) == 7
    assert len(document.learning) == 6
    assert [contact.category for contact in document.key_contacts] == [
        ContactCategory.STAFF,
        ContactCategory.VULNERABLE_FAMILIES,
        ContactCategory.COMMUNITY_VOLUNTARY,
    ]
    assert document.stage_guidance == ()
    assert document.useful_links == ()


def test_childrens_module_is_valid_with_twelve_strategic_actions() -> None:
    document = parse_module_file(REPO_MODULES / CHILDRENS / "module.yaml")

    assert document.slug == CHILDRENS
    assert document.service == "childrens_social_care"
    assert len(document.strategic_actions) == 12
    assert len(document.impacts) == 4
    assert len(document.learning) == 6
    assert [contact.category for contact in document.key_contacts] == [
        ContactCategory.STAFF,
        ContactCategory.VULNERABLE_FAMILIES,
        ContactCategory.SCHOOLS,
        ContactCategory.REGULATORS_GOVERNMENT,
    ]
    [link] = document.useful_links
    assert (
        link.title == "Building a cyber resilient service: A guide for directors of children\u2019s services"
    )
    assert link.url is None


@pytest.mark.parametrize("slug", [ADULT, CHILDRENS])
def test_real_module_action_ids_are_unique_and_prefixed(slug: str) -> None:
    document = parse_module_file(REPO_MODULES / slug / "module.yaml")
    ids = [action.id for action in document.strategic_actions]
    prefix = "asc-" if slug == ADULT else "csc-"

    assert len(set(ids)) == len(ids)
    assert all(action_id.startswith(prefix) for action_id in ids)


def test_childrens_module_requires_childrens_social_care_at_gold_and_silver() -> None:
    document = parse_module_file(REPO_MODULES / CHILDRENS / "module.yaml")

    [rule] = document.representation_rules
    assert rule.service == Cell.CHILDRENS_SOCIAL_CARE
    assert rule.tiers == (Tier.GOLD, Tier.SILVER)
    assert "Gold/Strategic and Silver/Tactical" in rule.reason


def test_adult_module_requires_adult_social_care_at_silver() -> None:
    document = parse_module_file(REPO_MODULES / ADULT / "module.yaml")

    [rule] = document.representation_rules
    assert rule.service == Cell.ADULT_SOCIAL_CARE
    assert rule.tiers == (Tier.SILVER,)
    assert "designated leads" in rule.reason


def test_strategic_action_keeps_seed_wording_on_one_line() -> None:
    document = parse_module_file(REPO_MODULES / ADULT / "module.yaml")

    assert document.strategic_actions[4].text == (
        "Act on the assumption that sensitive health and safeguarding data has been stolen, "
        "involve your DPO and Caldicott Lead immediately to assess risk."
    )


# ---- bad files -------------------------------------------------------------------------------


def test_invalid_yaml_is_reported_with_file_and_line(tmp_path: Path) -> None:
    path = broken_copy(tmp_path, ADULT, "  - id: asc-emergency-payments", "  - id: [asc-emergency-payments")

    error = problems_of(path)

    line = line_of(path, "[asc-emergency-payments")
    assert len(error.problems) == 1
    assert error.problems[0].line is not None and error.problems[0].line >= line
    assert str(error).startswith(f"{path}:{error.problems[0].line}: invalid YAML: ")


def test_badly_indented_key_is_reported_on_its_line(tmp_path: Path) -> None:
    path = broken_copy(tmp_path, ADULT, "\nservice: adult_social_care", "\n  service: adult_social_care")

    error = problems_of(path)

    assert f"{path}:{line_of(path, '  service: adult_social_care')}: invalid YAML:" in str(error)


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("", "nothing (the file is empty)"),
        ("# only a comment\n", "nothing (the file is empty)"),
        ("- a list\n- of things\n", "a list"),
        ("just a sentence\n", "a string"),
    ],
)
def test_a_file_that_is_not_a_mapping_is_rejected(tmp_path: Path, text: str, found: str) -> None:
    path = write_module(tmp_path, ADULT, text)

    error = problems_of(path)

    assert str(error).endswith(f"expected a mapping of module fields, found {found}")
    assert str(path) in str(error)


def test_missing_top_level_field_is_named(tmp_path: Path) -> None:
    path = broken_copy(tmp_path, ADULT, "use_when: >-", "not_use_when: >-")

    error = problems_of(path)

    fields = {problem.field: problem for problem in error.problems}
    assert fields["use_when"].reason == "this required field is missing"
    assert fields["not_use_when"].reason.startswith("unknown key (allowed: schema_version, slug, title")
    assert fields["not_use_when"].line == line_of(path, "not_use_when:")


def test_missing_action_text_is_named_with_the_line_of_its_action(tmp_path: Path) -> None:
    path = broken_copy(
        tmp_path,
        ADULT,
        "  - id: asc-continuity-priorities\n    text: >-",
        "  - id: asc-continuity-priorities\n    txt: >-",
    )

    error = problems_of(path)

    expected = f"{path}:{line_of(path, 'id: asc-continuity-priorities')}: strategic_actions[2].text: "
    assert f"{expected}this required field is missing" in str(error)
    assert f"{path}:{line_of(path, '    txt: >-')}: strategic_actions[2].txt: unknown key" in str(error)


def test_unknown_key_is_named_with_its_line_and_the_allowed_keys(tmp_path: Path) -> None:
    path = broken_copy(
        tmp_path, CHILDRENS, "      due_offset_hours: 4\n", "      due_offset_hours: 4\n      owner: bob\n"
    )

    error = problems_of(path)

    assert str(error) == (
        f"{path}:{line_of(path, 'owner: bob')}: strategic_actions[0].defaults.owner: "
        "unknown key (allowed: tier, cell, due_offset_hours, stage_tags)"
    )


def test_bad_enum_values_are_each_named_with_the_allowed_values(tmp_path: Path) -> None:
    path = broken_copy(tmp_path, ADULT, "      tier: gold", "      tier: platinum")
    text = path.read_text(encoding="utf-8").replace("stage_tags: [respond]\n", "stage_tags: [respnd]\n", 1)
    path.write_text(text, encoding="utf-8")

    error = problems_of(path)

    assert len(error.problems) == 2
    tier, stage = error.problems
    assert (tier.field, tier.line) == ("strategic_actions[0].defaults.tier", line_of(path, "tier: platinum"))
    assert tier.reason == "Input should be 'gold', 'silver' or 'bronze' (found 'platinum')"
    assert stage.field == "strategic_actions[6].defaults.stage_tags[0]"
    assert stage.line == line_of(path, "stage_tags: [respnd]")
    assert "'identify'" in stage.reason and "(found 'respnd')" in stage.reason


def test_bad_service_and_contact_category_are_rejected(tmp_path: Path) -> None:
    path = broken_copy(tmp_path, CHILDRENS, "service: childrens_social_care\n", "service: kids\n")
    text = path.read_text(encoding="utf-8").replace("category: schools", "category: academies")
    path.write_text(text, encoding="utf-8")

    error = problems_of(path)

    assert [problem.field for problem in error.problems] == ["service", "key_contacts[2].category"]


def test_duplicate_strategic_action_id_names_both_places(tmp_path: Path) -> None:
    path = broken_copy(tmp_path, ADULT, "id: asc-emergency-payments", "id: asc-command-and-control")

    error = problems_of(path)

    assert str(error) == (
        f"{path}:{line_of(path, 'id: asc-command-and-control', 2)}: strategic_actions[6].id: "
        "duplicate strategic action id 'asc-command-and-control'; already used by "
        f"strategic_actions[1].id on line {line_of(path, 'id: asc-command-and-control')}"
    )


def test_duplicate_mapping_keys_are_named_with_their_path_and_lines(tmp_path: Path) -> None:
    path = broken_copy(
        tmp_path, ADULT, "service: adult_social_care\n", "service: adult_social_care\ntitle: Again\n"
    )
    text = path.read_text(encoding="utf-8").replace(
        "      due_offset_hours: 24\n", "      due_offset_hours: 24\n      due_offset_hours: 48\n", 1
    )
    path.write_text(text, encoding="utf-8")

    error = problems_of(path)

    first_due_line = line_of(path, "due_offset_hours: 48") - 1
    assert str(error).splitlines() == [
        f"{path}:{line_of(path, 'title: Again')}: title: duplicate key 'title'; "
        f"it is already set on line {line_of(path, 'title: Managing')}",
        f"{path}:{line_of(path, 'due_offset_hours: 48')}: strategic_actions[6].defaults.due_offset_hours: "
        f"duplicate key 'due_offset_hours'; it is already set on line {first_due_line}",
    ]


def test_slug_must_match_its_folder(tmp_path: Path) -> None:
    path = write_module(tmp_path, "adult-care", real_text(ADULT))

    error = problems_of(path)

    assert str(error) == (
        f"{path}:{line_of(path, 'slug: adult-social-care')}: slug: "
        "slug 'adult-social-care' must equal its folder name 'adult-care'"
    )


def test_wrong_types_and_ranges_are_all_reported_together(tmp_path: Path) -> None:
    text = (
        real_text(ADULT)
        .replace("schema_version: 1", "schema_version: 2")
        .replace("due_offset_hours: 4", 'due_offset_hours: "4"', 1)
        .replace("due_offset_hours: 1", "due_offset_hours: -1", 1)
        .replace("stage_tags: [respond]", "stage_tags: [respond, respond]", 1)
        .replace("id: asc-emergency-payments", "id: Emergency Payments")
    )
    path = write_module(tmp_path, ADULT, text)

    error = problems_of(path)

    assert [problem.field for problem in error.problems] == [
        "schema_version",
        "strategic_actions[0].defaults.due_offset_hours",
        "strategic_actions[4].defaults.due_offset_hours",
        "strategic_actions[6].id",
        "strategic_actions[6].defaults.stage_tags",
    ]
    reasons = [problem.reason for problem in error.problems]
    assert reasons[0] == "schema version 2 is not supported; this console reads version 1"
    assert reasons[1] == "Input should be a valid integer (found '4')"
    assert reasons[2].startswith("Input should be greater than or equal to 0")
    assert reasons[4] == "stage 'respond' is listed more than once"


def test_empty_action_list_and_blank_text_are_rejected(tmp_path: Path) -> None:
    minimal = {
        "schema_version": 1,
        "slug": ADULT,
        "title": "  ",
        "service": "adult_social_care",
        "use_when": "x",
        "context": ["x"],
        "impacts": ["x"],
        "strategic_actions": [],
        "learning": [],
        "stage_guidance": [],
        "key_contacts": [],
        "useful_links": [{"title": "Guide", "url": "not a url"}],
    }
    path = write_module(tmp_path, ADULT, yaml.safe_dump(minimal))

    error = problems_of(path)

    assert [problem.field for problem in error.problems] == [
        "strategic_actions",
        "title",
        "useful_links[0].url",
    ]


def test_a_second_yaml_document_is_rejected(tmp_path: Path) -> None:
    path = write_module(tmp_path, ADULT, real_text(ADULT) + "---\nslug: other\n")

    error = problems_of(path)

    assert "invalid YAML: expected a single document in the stream" in str(error)


def test_invalid_utf8_is_reported_with_its_line(tmp_path: Path) -> None:
    path = write_module(tmp_path, ADULT, real_text(ADULT))
    path.write_bytes(path.read_bytes().replace(b"title: Managing", b"title: \xff Managing"))

    error = problems_of(path)

    line = _line_of_bytes(path.read_bytes(), b"title: \xff")
    assert str(error).startswith(f"{path}:{line}: the file is not valid UTF-8")


def _line_of_bytes(content: bytes, needle: bytes) -> int:
    return content[: content.index(needle)].count(b"\n") + 1


def test_unreadable_path_is_reported(tmp_path: Path) -> None:
    error = problems_of(tmp_path / ADULT / "module.yaml")

    assert "cannot read the file" in str(error)


# ---- the pieces on their own ------------------------------------------------------------------


def test_unique_key_loader_refuses_duplicate_keys_even_when_used_directly() -> None:
    with pytest.raises(DuplicateKeyError) as caught:
        yaml.load("a: 1\nb: 2\na: 3\n", Loader=UniqueKeySafeLoader)  # noqa: S506 - a SafeLoader subclass

    assert caught.value.problem == "found duplicate key 'a'"
    assert caught.value.problem_mark is not None and caught.value.problem_mark.line == 2


def test_unique_key_loader_still_refuses_python_object_tags() -> None:
    with pytest.raises(yaml.constructor.ConstructorError):
        yaml.load("a: !!python/object/apply:os.system ['true']\n", Loader=UniqueKeySafeLoader)  # noqa: S506


def test_document_model_refuses_duplicate_action_ids_when_validated_directly() -> None:
    data = yaml.safe_load(real_text(ADULT))
    data["strategic_actions"][1]["id"] = data["strategic_actions"][0]["id"]

    with pytest.raises(ValidationError, match="duplicate strategic action id 'asc-prepare-for-long-outage'"):
        ModuleDocument.model_validate(data)


def test_field_paths_read_like_the_file() -> None:
    assert format_loc(("strategic_actions", 3, "defaults", "stage_tags", 0)) == (
        "strategic_actions[3].defaults.stage_tags[0]"
    )
