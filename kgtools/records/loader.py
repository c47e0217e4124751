"""Reading record files: bytes → UTF-8 text → YAML → dict, keeping a way back to lines.

Records are parsed with libyaml (`CSafeLoader`) for speed; line numbers are
recovered only when a problem needs one, by composing the file's node tree.
Anchors, aliases, tags, duplicate keys, oversized files and deep nesting are
refused with a problem, because records are plain data from strangers.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from kgtools.records.cache import RecordCache, file_digest
from kgtools.records.problems import Problem, display_path
from kgtools.records.project import DIR_KINDS, KIND_DIRS, Project

MAX_FILE_BYTES = 512 * 1024
MAX_DEPTH = 12
MAX_SCAN_DEPTH = 64
FLAT_HINT = "records are flat; remove the extra nesting"
_INVALID_CHARS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")  # C0, DEL, C1

_BaseLoader: type = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class DuplicateKey(yaml.MarkedYAMLError):
    """A mapping repeats a key; YAML would silently keep the last value."""


class _StrictLoader(_BaseLoader):  # type: ignore[misc, valid-type]
    """Safe loader that refuses duplicate keys instead of overwriting."""

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        seen: dict[Any, yaml.Node] = {}
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=True)
            if isinstance(key, (list, dict)):
                raise DuplicateKey(None, None, "a mapping key must be a plain value", key_node.start_mark)
            if key in seen:
                raise DuplicateKey(
                    "first defined here", seen[key].start_mark,
                    f"duplicate key `{key}`", key_node.start_mark,
                )
            seen[key] = key_node
        return super().construct_mapping(node, deep=deep)


# Timestamps become strings: dates in records are validated as text patterns.
_StrictLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in _BaseLoader.yaml_implicit_resolvers.items()
}


@dataclass
class Record:
    """One YAML file and what it holds."""

    kind: str
    path: Path
    display: str
    text: str
    data: dict[str, Any]
    _nodes: yaml.Node | None = field(default=None, repr=False)

    @property
    def id(self) -> str:
        value = self.data.get("id")
        return value if isinstance(value, str) else self.path.stem

    def line_of(self, pointer: tuple[str | int, ...], key: bool = False) -> int:
        """1-based line of the value at `pointer` (or of its key), nearest existing parent."""
        if self._nodes is None:
            self._nodes = yaml.compose(self.text, Loader=_BaseLoader)
        node = self._nodes
        line = node.start_mark.line + 1 if node is not None else 1
        for part in pointer:
            found = None
            if isinstance(node, yaml.MappingNode):
                for key_node, value_node in node.value:
                    if key_node.value == part:
                        found = (key_node, value_node)
                        break
            elif isinstance(node, yaml.SequenceNode) and isinstance(part, int) and part < len(node.value):
                found = (node.value[part], node.value[part])
            if found is None:
                return line
            key_node, node = found
            line = (key_node if key else node).start_mark.line + 1
        return line


@dataclass
class Corpus:
    """Every record of a checkout, plus the problems met while reading them."""

    project: Project
    records: list[Record]
    problems: list[Problem]

    def by_kind(self, kind: str) -> list[Record]:
        return [r for r in self.records if r.kind == kind]

    def index(self) -> dict[tuple[str, str], Record]:
        return {(r.kind, r.id): r for r in self.records}


def record_files(project: Project) -> list[Path]:
    """Every record file, in a stable order."""
    files: list[Path] = []
    for folder in KIND_DIRS.values():
        base = project.corpus / folder
        if base.is_dir():
            files.extend(sorted(p for p in base.iterdir() if p.suffix in (".yaml", ".yml")))
    return files


def kind_of(path: Path) -> str | None:
    return DIR_KINDS.get(path.parent.name)


def read_record(path: Path, project: Project, cache: RecordCache | None = None) -> tuple[Record | None, list[Problem]]:
    """Parse one file; a file that cannot be read yields problems and no record.

    With a cache, bytes read without a problem before are not parsed again.
    """
    shown = display_path(path, project.root)
    kind = kind_of(path)

    def problem(line: int, field_name: str, message: str, hint: str = "") -> list[Problem]:
        return [Problem(shown, line, field_name, message, hint)]

    if kind is None:
        return None, problem(1, "(file)", "record file outside a known folder",
                             f"move it into one of corpus/{{{','.join(KIND_DIRS.values())}}}/")
    raw = path.read_bytes()
    if len(raw) > MAX_FILE_BYTES:
        return None, problem(1, "(file)", f"file is {len(raw):,} bytes, over the {MAX_FILE_BYTES:,}-byte limit",
                             "a record is a few kilobytes; split or shorten it")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        return None, problem(line, "(file)", f"not valid UTF-8 (byte 0x{raw[error.start]:02x})",
                             "save the file as UTF-8")
    text = text.removeprefix("\ufeff")
    digest = file_digest(raw) if cache is not None else b""
    if cache is not None and (cached := cache.get(shown, digest)) is not None:
        return Record(kind, path, shown, text, cached), []
    if not text.strip() or all(ln.strip().startswith("#") for ln in text.splitlines() if ln.strip()):
        return None, problem(1, "(file)", "file is empty", f"start from `kg new {kind} {path.stem}`")
    refused = _refuse_constructs(text)
    if refused:
        return None, problem(*refused)
    try:
        data = yaml.load(text, Loader=_StrictLoader)  # noqa: S506
    except DuplicateKey as error:
        mark = error.problem_mark
        first = error.context_mark.line + 1 if error.context_mark else 1
        return None, problem(mark.line + 1 if mark else 1, str(error.problem).split("`")[1] if "`" in str(error.problem) else "(yaml)",
                             f"{error.problem} (first at line {first})", "keep one of the two; YAML would silently drop the first")
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = mark.line + 1 if mark else 1
        message = f"{error.problem}" + (f" ({error.context})" if error.context else "")
        return None, problem(line, "(yaml)", f"YAML syntax error: {message}",
                             "check indentation and quoting on this line or the one before")
    except (yaml.YAMLError, RecursionError, ValueError) as error:
        return None, problem(1, "(yaml)", f"YAML could not be read: {error}", "simplify the file")
    bad_text = _invalid_text(data)
    if bad_text:
        return None, problem(_line_of_text(text, bad_text), "(file)", "contains a control character or a lone surrogate",
                             "remove invisible characters; write emoji and other symbols directly, not as escapes")
    if not isinstance(data, dict):
        return None, problem(1, "(file)", f"a record must be a mapping of fields, found {type(data).__name__}",
                             "write `id: …` and the other fields as `key: value` lines")
    depth = _depth(data)
    if depth > MAX_DEPTH:
        return None, problem(1, "(file)", f"nested {depth} levels deep, over the limit of {MAX_DEPTH}",
                             FLAT_HINT)
    if cache is not None:
        cache.put(shown, digest, data)
    return Record(kind, path, shown, text, data), []


def _needs_event_scan(text: str) -> bool:
    """Cheap test for input that could hold anchors, tags or nesting deep enough to crash a parser."""
    if "&" in text or "*" in text or "!" in text:
        return True
    if text.count("[") + text.count("{") > 200 or "- -" in text:
        return True
    return any(len(line) - len(line.lstrip(" ")) > 48 for line in text.splitlines())


def _refuse_constructs(text: str) -> tuple[int, str, str, str] | None:
    """Anchors, aliases, tags and runaway nesting have no place in records.

    Aliases can expand exponentially, and libyaml's composer recurses once per
    nesting level (it crashes the interpreter at ~100,000), so both are refused
    from the event stream, which is read without recursion.
    """
    if not _needs_event_scan(text):
        return None
    depth = 0
    try:
        for event in yaml.parse(text, Loader=_BaseLoader):
            line = event.start_mark.line + 1
            if isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
                depth += 1
                if depth > MAX_SCAN_DEPTH:
                    return line, "(yaml)", f"nested more than {MAX_SCAN_DEPTH} levels deep", \
                        FLAT_HINT
            elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
                depth -= 1
            if isinstance(event, yaml.AliasEvent):
                return line, "(yaml)", "YAML aliases (*name) are not allowed", "write the value out in full"
            anchor = getattr(event, "anchor", None)
            if anchor:
                return line, "(yaml)", "YAML anchors (&name) are not allowed", "write the value out in full"
            tag = getattr(event, "tag", None)
            implicit = getattr(event, "implicit", True)
            plain = implicit[0] if isinstance(implicit, tuple) else implicit
            if tag and not plain and tag != "!":
                return line, "(yaml)", f"YAML tags ({tag}) are not allowed", "remove the tag; quote the value if needed"
    except yaml.YAMLError as error:
        if "nesting depth" in str(error):  # libyaml ≥ 0.2.6 (PyYAML 6.0.3+) stops runaway nesting itself
            mark = getattr(error, "problem_mark", None)
            return (mark.line + 1 if mark else 1), "(yaml)", f"nested more than {MAX_SCAN_DEPTH} levels deep", \
                FLAT_HINT
        return None  # the loader reports syntax errors with their line
    return None


def _invalid_text(value: Any) -> str | None:
    """The first string (key or value) holding characters RDF and HTML outputs cannot carry."""
    if isinstance(value, str):
        return value if _INVALID_CHARS.search(value) else None
    if isinstance(value, dict):
        for key, item in value.items():
            found = _invalid_text(key) or _invalid_text(item)
            if found:
                return found
    if isinstance(value, list):
        for item in value:
            found = _invalid_text(item)
            if found:
                return found
    return None


def _line_of_text(text: str, value: str) -> int:
    """Best-effort line of a bad string: the first line containing its valid prefix."""
    match = _INVALID_CHARS.search(value)
    prefix = value[: match.start()] if match else value
    index = text.find(prefix[:40]) if prefix else -1
    return text.count("\n", 0, index) + 1 if index >= 0 else 1


def _depth(value: Any, level: int = 0) -> int:
    if level > MAX_DEPTH:
        return level
    if isinstance(value, dict):
        return max((_depth(v, level + 1) for v in value.values()), default=level + 1)
    if isinstance(value, list):
        return max((_depth(v, level + 1) for v in value), default=level + 1)
    return level


def load_corpus(project: Project, files: list[Path] | None = None, cache: RecordCache | None = None) -> Corpus:
    """Read every record file (or just `files`); never raises on bad input."""
    records: list[Record] = []
    problems: list[Problem] = []
    for path in files if files is not None else record_files(project):
        record, found = read_record(path, project, cache)
        problems.extend(found)
        if record is not None:
            records.append(record)
    if cache is not None:
        cache.save(whole_corpus=files is None)
    return Corpus(project, records, problems)
