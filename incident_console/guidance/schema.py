"""The guidance module file format (modules/<slug>/module.yaml) and its parser.

`parse_module_file` reads a module file with a safe YAML loader that refuses duplicate keys,
validates it against `ModuleDocument` and, when anything is wrong, raises `ModuleFileError`
listing every problem it found with the file, line, field path and reason, e.g.::

    modules/adult-social-care/module.yaml:57: strategic_actions[3].defaults.tier: Input should be
    'gold', 'silver' or 'bronze' (found 'platinum')

Field paths use the pydantic location with 0-based list indexes. Lines come from walking the YAML
node tree (`yaml.compose`) along that location.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any, get_args

import yaml
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationError,
    field_validator,
    model_validator,
)
from pydantic_core import PydanticCustomError
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from incident_console.lib.choices import Cell, ContactCategory, Service, Stage, Tier

SCHEMA_VERSION = 1
MODULE_FILE_NAME = "module.yaml"
SLUG_PATTERN = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"
MAX_DUE_OFFSET_HOURS = 24 * 366

Loc = tuple[int | str, ...]

Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
Slug = Annotated[str, StringConstraints(pattern=SLUG_PATTERN, max_length=80)]
Url = Annotated[str, StringConstraints(pattern=r"^https?://\S+$", max_length=2000)]
DueOffsetHours = Annotated[int, Field(strict=True, ge=0, le=MAX_DUE_OFFSET_HOURS)]

_DUPLICATE_ACTION_ID = "duplicate_action_id"
_DUPLICATE_ID_REASON = "duplicate strategic action id"
_UNSUPPORTED_SCHEMA_VERSION = "unsupported_schema_version"
_REPEATED_VALUE = "repeated_value"
# Error kinds whose message already quotes the offending value.
_NAMES_ITS_INPUT = frozenset({_DUPLICATE_ACTION_ID, _UNSUPPORTED_SCHEMA_VERSION, _REPEATED_VALUE})


# --------------------------------------------------------------------------------------------
# Models
# --------------------------------------------------------------------------------------------


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


def _refuse_repeats(values: Sequence[Any], what: str) -> None:
    seen: set[Any] = set()
    for value in values:
        if value in seen:
            raise PydanticCustomError(
                _REPEATED_VALUE,
                "{what} '{value}' is listed more than once",
                {
                    "what": what,
                    "value": str(getattr(value, "value", value)),
                },
            )
        seen.add(value)


class ActionDefaults(_Model):
    """Suggestions copied onto a checklist item when the module is applied. All optional."""

    tier: Tier | None = None
    cell: Cell | None = None
    due_offset_hours: DueOffsetHours | None = Field(
        default=None, description="Hours after the incident was declared."
    )
    stage_tags: tuple[Stage, ...] = ()

    @field_validator("stage_tags")
    @classmethod
    def _stage_tags_are_distinct(cls, value: tuple[Stage, ...]) -> tuple[Stage, ...]:
        _refuse_repeats(value, "stage")
        return value


class StrategicActionSpec(_Model):
    id: Slug = Field(description="Stable id, unique within the module (lowercase slug).")
    text: Text
    defaults: ActionDefaults = Field(default_factory=ActionDefaults)


class StageGuidance(_Model):
    stage: Stage
    title: Text
    text: Text


class KeyContact(_Model):
    category: ContactCategory
    text: Text


class RepresentationRule(_Model):
    """A cell that must be represented at the given command tiers while the module applies."""

    service: Cell
    tiers: tuple[Tier, ...] = Field(min_length=1)
    reason: Text

    @field_validator("tiers")
    @classmethod
    def _tiers_are_distinct(cls, value: tuple[Tier, ...]) -> tuple[Tier, ...]:
        _refuse_repeats(value, "tier")
        return value


class UsefulLink(_Model):
    title: Text
    url: Url | None = None


class ModuleDocument(_Model):
    """One guidance module file."""

    schema_version: Annotated[int, Field(strict=True)]
    slug: Slug
    title: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=300)]
    service: Service
    use_when: Text
    context: tuple[Text, ...] = Field(min_length=1)
    impacts: tuple[Text, ...] = Field(min_length=1)
    strategic_actions: tuple[StrategicActionSpec, ...] = Field(min_length=1)
    learning: tuple[Text, ...]
    stage_guidance: tuple[StageGuidance, ...]
    key_contacts: tuple[KeyContact, ...]
    representation_rules: tuple[RepresentationRule, ...] = ()
    useful_links: tuple[UsefulLink, ...]

    @field_validator("schema_version")
    @classmethod
    def _schema_version_is_supported(cls, value: int) -> int:
        if value != SCHEMA_VERSION:
            raise PydanticCustomError(
                _UNSUPPORTED_SCHEMA_VERSION,
                "schema version {value} is not supported; this console reads version {supported}",
                {"value": value, "supported": SCHEMA_VERSION},
            )
        return value

    @model_validator(mode="after")
    def _action_ids_are_unique(self) -> ModuleDocument:
        # parse_module_file reports duplicates itself (with both lines, alongside every other
        # problem); this keeps the model sound when it is validated directly.
        seen: set[str] = set()
        for index, action in enumerate(self.strategic_actions):
            if action.id in seen:
                raise PydanticCustomError(
                    _DUPLICATE_ACTION_ID,
                    "duplicate strategic action id '{id}' at strategic_actions[{index}].id",
                    {"id": action.id, "index": index},
                )
            seen.add(action.id)
        return self


# --------------------------------------------------------------------------------------------
# Errors
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class FieldProblem:
    """One thing wrong with a module file. `field` is "" when the problem is the whole file."""

    field: str
    line: int | None
    reason: str

    def render(self, path: Path | str) -> str:
        where = f"{path}:{self.line}" if self.line is not None else f"{path}"
        return f"{where}: {self.field}: {self.reason}" if self.field else f"{where}: {self.reason}"


class ModuleFileError(ValueError):
    """A module file is unusable. The message has one line per problem, each naming the file."""

    def __init__(self, path: Path, problems: Iterable[FieldProblem]) -> None:
        self.path = path
        self.problems: tuple[FieldProblem, ...] = tuple(
            sorted(problems, key=lambda problem: problem.line if problem.line is not None else 0)
        )
        super().__init__("\n".join(problem.render(path) for problem in self.problems))


class DuplicateKeyError(yaml.constructor.ConstructorError):
    pass


class UniqueKeySafeLoader(yaml.SafeLoader):
    """PyYAML's SafeLoader, except that a key repeated in one mapping is an error, not last-wins."""

    def construct_mapping(self, node: MappingNode, deep: bool = False) -> dict[Hashable, Any]:
        seen: dict[Any, Node] = {}
        for key_node, _value_node in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":
                continue
            key = self.construct_object(key_node, deep=True)
            if isinstance(key, Hashable) and key in seen:
                raise DuplicateKeyError(
                    "while constructing a mapping",
                    seen[key].start_mark,
                    f"found duplicate key {key!r}",
                    key_node.start_mark,
                )
            if isinstance(key, Hashable):
                seen[key] = key_node
        return super().construct_mapping(node, deep=deep)


# --------------------------------------------------------------------------------------------
# Parsing
# --------------------------------------------------------------------------------------------


def parse_module_file(path: Path) -> ModuleDocument:
    """Read, parse and validate one module file; raise ModuleFileError listing every problem."""
    try:
        content = path.read_bytes()
    except OSError as exc:
        raise ModuleFileError(
            path, [FieldProblem("", None, f"cannot read the file: {exc.strerror}")]
        ) from exc
    return parse_module_bytes(content, path=path)


def parse_module_bytes(content: bytes, *, path: Path) -> ModuleDocument:
    """Parse and validate the bytes of a module file that lives (or will live) at `path`.

    The slug must equal the name of the folder holding `path`.
    """
    try:
        text = content.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = content[: exc.start].count(b"\n") + 1
        problem = FieldProblem("", line, f"the file is not valid UTF-8 (byte {exc.start})")
        raise ModuleFileError(path, [problem]) from exc

    root, data = _load_yaml(text, path)
    if not isinstance(data, dict):
        found = "nothing (the file is empty)" if data is None else f"a {_yaml_kind(data)}"
        start = root.start_mark.line + 1 if root is not None else None
        raise ModuleFileError(
            path, [FieldProblem("", start, f"expected a mapping of module fields, found {found}")]
        )
    assert root is not None  # a mapping came from a node

    problems = _file_level_problems(data, root, path)
    try:
        document = ModuleDocument.model_validate(data)
    except ValidationError as exc:
        duplicates_reported = any(problem.reason.startswith(_DUPLICATE_ID_REASON) for problem in problems)
        problems.extend(_problems_from_validation(exc, root, skip_duplicate_ids=duplicates_reported))
        raise ModuleFileError(path, problems) from None
    if problems:
        raise ModuleFileError(path, problems)
    return document


def _load_yaml(text: str, path: Path) -> tuple[Node | None, Any]:
    loader = UniqueKeySafeLoader(text)
    try:
        root = loader.get_single_node()
        if root is None:
            return None, None
        duplicates = list(_duplicate_keys(root))
        if duplicates:
            raise ModuleFileError(path, duplicates)
        return root, loader.construct_document(root)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        context = exc.context or ""
        if context and exc.problem and exc.context_mark is not None:
            context += f" on line {exc.context_mark.line + 1}"
        reason = "invalid YAML: " + ", ".join(part for part in (context, exc.problem) if part)
        line = mark.line + 1 if mark is not None else None
        raise ModuleFileError(path, [FieldProblem("", line, reason)]) from exc
    except yaml.YAMLError as exc:
        raise ModuleFileError(path, [FieldProblem("", None, f"invalid YAML: {exc}")]) from exc
    finally:
        loader.dispose()


def _duplicate_keys(root: Node) -> Iterable[FieldProblem]:
    """Every key repeated within one mapping, with its field path (the loader would refuse it)."""
    visited: set[int] = set()
    stack: list[tuple[Node, Loc]] = [(root, ())]
    while stack:
        node, loc = stack.pop()
        if id(node) in visited:
            continue
        visited.add(id(node))
        if isinstance(node, MappingNode):
            first_line: dict[str, int] = {}
            for key_node, value_node in node.value:
                if not isinstance(key_node, ScalarNode):
                    continue
                key, line = key_node.value, key_node.start_mark.line + 1
                if key in first_line:
                    yield FieldProblem(
                        format_loc((*loc, key)),
                        line,
                        f"duplicate key {key!r}; it is already set on line {first_line[key]}",
                    )
                else:
                    first_line[key] = line
                stack.append((value_node, (*loc, key)))
        elif isinstance(node, SequenceNode):
            stack.extend((item, (*loc, index)) for index, item in enumerate(node.value))


def _file_level_problems(data: dict[Any, Any], root: Node, path: Path) -> list[FieldProblem]:
    """Checks that need the file's location or the raw data: slug/folder and duplicate ids."""
    problems: list[FieldProblem] = []
    slug = data.get("slug")
    folder = path.parent.name
    if isinstance(slug, str) and slug != folder:
        problems.append(
            FieldProblem(
                "slug", locate(root, ("slug",)), f"slug {slug!r} must equal its folder name {folder!r}"
            )
        )
    actions = data.get("strategic_actions")
    if isinstance(actions, list):
        first_index: dict[str, int] = {}
        for index, action in enumerate(actions):
            action_id = action.get("id") if isinstance(action, dict) else None
            if not isinstance(action_id, str):
                continue
            if action_id in first_index:
                earlier: Loc = ("strategic_actions", first_index[action_id], "id")
                problems.append(
                    FieldProblem(
                        format_loc(("strategic_actions", index, "id")),
                        locate(root, ("strategic_actions", index, "id")),
                        f"{_DUPLICATE_ID_REASON} {action_id!r}; already used by "
                        f"{format_loc(earlier)} on line {locate(root, earlier)}",
                    )
                )
            else:
                first_index[action_id] = index
    return problems


def _problems_from_validation(
    exc: ValidationError, root: Node, *, skip_duplicate_ids: bool
) -> list[FieldProblem]:
    problems = []
    for error in exc.errors(include_url=False):
        loc: Loc = tuple(error["loc"])
        if error["type"] == _DUPLICATE_ACTION_ID:
            if skip_duplicate_ids:
                continue  # already reported by _file_level_problems, with both lines
            loc = ("strategic_actions", error["ctx"]["index"], "id")
        problems.append(FieldProblem(format_loc(loc), locate(root, loc), _reason(error, loc)))
    return problems


def _reason(error: Any, loc: Loc) -> str:
    kind = error["type"]
    if kind == "missing":
        return "this required field is missing"
    if kind == "extra_forbidden":
        allowed = _allowed_keys(loc[:-1])
        return "unknown key" + (f" (allowed: {', '.join(allowed)})" if allowed else "")
    message = str(error["msg"])
    value = error.get("input")
    if isinstance(value, str | int | float | bool) or value is None:
        shown = repr(value) if len(repr(value)) <= 80 else repr(value)[:77] + "..."
        if kind not in _NAMES_ITS_INPUT:
            message += f" (found {shown})"
    return message


def _allowed_keys(loc: Loc) -> list[str]:
    """The field names of the model found at `loc` in a ModuleDocument."""
    model: type[BaseModel] = ModuleDocument
    for part in loc:
        if isinstance(part, int):
            continue
        field = model.model_fields.get(part)
        found = _model_in(field.annotation) if field is not None else None
        if found is None:
            return []
        model = found
    return list(model.model_fields)


def _model_in(annotation: Any) -> type[BaseModel] | None:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in get_args(annotation):
        found = _model_in(arg)
        if found is not None:
            return found
    return None


def locate(root: Node, loc: Loc) -> int | None:
    """The 1-based line of `loc` in the YAML node tree (its key line), or of its nearest parent."""
    node = root
    line = root.start_mark.line + 1
    for part in loc:
        if isinstance(node, MappingNode):
            for key_node, value_node in node.value:
                if isinstance(key_node, ScalarNode) and key_node.value == str(part):
                    line, node = key_node.start_mark.line + 1, value_node
                    break
            else:
                return line
        elif isinstance(node, SequenceNode) and isinstance(part, int) and 0 <= part < len(node.value):
            node = node.value[part]
            line = node.start_mark.line + 1
        else:
            return line
    return line


def format_loc(loc: Loc) -> str:
    """("strategic_actions", 3, "id") -> "strategic_actions[3].id"."""
    text = ""
    for part in loc:
        if isinstance(part, int):
            text += f"[{part}]"
        else:
            text += f".{part}" if text else str(part)
    return text


def _yaml_kind(value: Any) -> str:
    if isinstance(value, list):
        return "list"
    if isinstance(value, str):
        return "string"
    return type(value).__name__
