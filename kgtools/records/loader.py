"""Reading record files: bytes → UTF-8 text → YAML → dict, keeping a way back to lines.

Records are parsed with libyaml (`CSafeLoader`) for speed; line numbers are
recovered only when a problem needs one, by composing the file's node tree.
Anchors, aliases, tags, duplicate keys, oversized files and deep nesting are
refused with a problem, because records are plain data from strangers.

Files are opened only through `CheckoutReader` (regular files inside the
checkout, size checked before reading). Every value, freshly parsed or taken
from the record cache, then passes one gate, `refused_value`: it decides which
characters a record may hold and that numbers are finite, so nothing the
check accepts can break a later stage. Lines are `\n`-separated: a file whose
YAML would see line ends that editors, diffs and reviewers do not (U+2028,
U+2029, NEL, a lone carriage return) is refused before it is parsed.
"""

from __future__ import annotations

import math
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from kgtools.records.cache import RecordCache, file_digest
from kgtools.records.problems import Problem, display_path, field_name
from kgtools.records.project import CHECK_FILES, CHECKS_DIR, DIR_KINDS, KIND_DIRS, CheckoutReader, Project, RefusedFile

MAX_FILE_BYTES = 512 * 1024
MAX_DEPTH = 12
MAX_SCAN_DEPTH = 64
FLAT_HINT = "records are flat; remove the extra nesting"
_REFUSED_CHARS = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f"  # C0 controls but tab and line ends, DEL, C1 (NEL among them)
    "\u2028\u2029"                           # line and paragraph separators: line ends to YAML, unseen in a diff
    "\ud800-\udfff"                          # lone surrogates: no UTF-8 for them
    "\ufdd0-\ufdef\ufffe\uffff]"              # noncharacters: never meant for interchange
)
_ASTRAL = re.compile("[\U00010000-\U0010ffff]")
_ASTRAL_NONCHARACTERS = re.compile("[" + "".join(f"{chr(plane << 16 | 0xFFFE)}-{chr(plane << 16 | 0xFFFF)}"
                                                 for plane in range(1, 17)) + "]")
_HIDDEN_LINE_ENDS = re.compile("[\x85\u2028\u2029]|\r(?!\n)")
KEY = "\0key"
"""Last part of a pointer from `refused_value` when the refused string is the key at that place, not its value."""
_TEXT_HINT = "remove invisible characters; write emoji and other symbols directly, not as escapes"

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
    """Every name of a record file, in a stable order: links, folders and FIFOs too, so reading can refuse them.

    The machine-written check files (`corpus/checks/citations.yaml`) come last, when present.
    """
    files: list[Path] = []
    for folder in KIND_DIRS.values():
        base = project.corpus / folder
        if base.is_dir():
            files.extend(sorted(p for p in base.iterdir() if p.suffix in (".yaml", ".yml")))
    checks = project.corpus / CHECKS_DIR
    files.extend(checks / name for name in sorted(CHECK_FILES) if os.path.lexists(checks / name))
    return files


def kind_of(path: Path) -> str | None:
    if path.parent.name == CHECKS_DIR and path.parent.parent.name == "corpus":
        return CHECK_FILES.get(path.name)
    return DIR_KINDS.get(path.parent.name)


def read_record(path: Path, project: Project, cache: RecordCache | None = None,
                reader: CheckoutReader | None = None) -> tuple[Record | None, list[Problem]]:
    """Parse one file; a file that cannot be read yields problems and no record.

    With a cache, bytes read without a problem before are not parsed again,
    but their data still passes the same value gate as a fresh parse; data
    the gate refuses is parsed afresh from the file.
    """
    shown = display_path(path, project.root)
    kind = kind_of(path)

    def problem(line: int, field_name: str, message: str, hint: str = "") -> list[Problem]:
        return [Problem(shown, line, field_name, message, hint)]

    if kind is None:
        return None, problem(1, "(file)", "record file outside a known folder",
                             f"move it into one of corpus/{{{','.join(KIND_DIRS.values())}}}/")
    try:
        if reader is None:
            with CheckoutReader(project.root) as own:
                raw = own.read(path, MAX_FILE_BYTES)
        else:
            raw = reader.read(path, MAX_FILE_BYTES)
    except RefusedFile as refused:
        hint = "a record is a few kilobytes; split or shorten it" if refused.reason == "size" else refused.hint
        return None, problem(1, "(file)", refused.message, hint)
    except FileNotFoundError:
        return None, problem(1, "(file)", "no such record file", "give a path under corpus/")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        return None, problem(line, "(file)", f"not valid UTF-8 (byte 0x{raw[error.start]:02x})",
                             "save the file as UTF-8")
    text = text.removeprefix("\ufeff")
    digest = file_digest(raw) if cache is not None else b""
    if cache is not None and (cached := cache.get(shown, digest)) is not None and refused_value(cached) is None:
        return Record(kind, path, shown, text, cached), []
    if not text.strip() or all(ln.strip().startswith("#") for ln in text.split("\n") if ln.strip()):
        return None, problem(1, "(file)", "file is empty", f"start from `kg new {kind} {path.stem}`")
    hidden = _HIDDEN_LINE_ENDS.search(text)
    if hidden:
        return None, problem(text.count("\n", 0, hidden.start()) + 1, "(file)",
                             f"contains {_describe(hidden.group()[0])}, which YAML reads as a line end but editors and diffs do not",
                             "end lines with a plain line feed (\\n) only")
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
    bad = refused_value(data)
    if bad is not None:
        pointer, message, hint = bad
        is_key = bool(pointer) and pointer[-1] == KEY
        at = pointer[:-1] if is_key else pointer
        line = Record(kind, path, shown, text, {}).line_of(at, key=is_key) if at else 1
        return None, problem(line, field_name(at) if at else "(file)", message, hint)
    if cache is not None:
        cache.put(shown, digest, data)
    return Record(kind, path, shown, text, data), []


def _describe(char: str) -> str:
    code = f"U+{ord(char):04X}"
    if char in "\u2028\u2029":
        return f"an invisible {'line' if char == chr(0x2028) else 'paragraph'} separator ({code})"
    if char == "\r":
        return "a carriage return without a line feed"
    if char == "\x85":
        return f"a next-line control character ({code})"
    if "\ud800" <= char <= "\udfff":
        return f"a lone surrogate ({code})"
    if ord(char) < 0x20 or 0x7F <= ord(char) <= 0x9F:
        return f"a control character ({code})"
    return f"a Unicode noncharacter ({code})"


def _refused_char(text: str) -> str | None:
    """The first character of `text` a record may not hold, or None (noncharacters above U+FFFF in a second,
    rarer search: one class with them is seven times slower, and this runs over every cached record)."""
    match = _REFUSED_CHARS.search(text) or (_ASTRAL.search(text) and _ASTRAL_NONCHARACTERS.search(text))
    return match.group() if match else None


def _collect(value: Any, strings: list[str], level: int = 0) -> int:
    """Gather every string (keys too) of `value` into `strings`; return the nesting depth, -1 for a non-finite number."""
    if isinstance(value, str):
        strings.append(value)
        return level
    if isinstance(value, float):
        return level if math.isfinite(value) else -1
    if isinstance(value, dict):
        depth = level + 1
        for key, item in value.items():
            if isinstance(key, str):
                strings.append(key)
            elif _collect(key, strings, level + 1) < 0:
                return -1
            found = _collect(item, strings, level + 1)
            if found < 0:
                return -1
            depth = max(depth, found)
        return depth
    if isinstance(value, list):
        depth = level + 1
        for item in value:
            found = _collect(item, strings, level + 1)
            if found < 0:
                return -1
            depth = max(depth, found)
        return depth
    return level


def refused_value(data: Any) -> tuple[tuple[Any, ...], str, str] | None:
    """The gate every record's data passes, parsed now or taken from the cache: (pointer, message, hint) or None.

    Refused anywhere: control characters but tab and line ends, line and
    paragraph separators, lone surrogates, noncharacters and numbers that are
    not finite (`.inf`, `.nan`); then a document that is not a mapping, or one
    nested deeper than `MAX_DEPTH`. The pointer ends in `KEY` when a key, not a
    value, holds the character.
    """
    strings: list[str] = []
    depth = _collect(data, strings)
    if depth < 0 or _refused_char("\n".join(strings)):  # one search over all the text: this runs on every cached record
        return _first_refused(data, ())
    if not isinstance(data, dict):
        return (), f"a record must be a mapping of fields, found {type(data).__name__}", \
            "write `id: …` and the other fields as `key: value` lines"
    if depth > MAX_DEPTH:
        return (), f"nested {_depth(data)} levels deep, over the limit of {MAX_DEPTH}", FLAT_HINT
    return None


def _first_refused(value: Any, pointer: tuple[Any, ...]) -> tuple[tuple[Any, ...], str, str] | None:
    if isinstance(value, str):
        char = _refused_char(value)
        return (pointer, f"contains {_describe(char)}", _TEXT_HINT) if char else None
    if isinstance(value, float) and not math.isfinite(value):
        return pointer, f"`{value}` is not a finite number", "write the number itself; YAML's .inf and .nan have no place in records"
    if isinstance(value, dict):
        for key, item in value.items():
            found = _first_refused(key, (*pointer, key, KEY)) or _first_refused(item, (*pointer, key))
            if found:
                return found
    if isinstance(value, list):
        for index, item in enumerate(value):
            found = _first_refused(item, (*pointer, index))
            if found:
                return found
    return None


def _needs_event_scan(text: str) -> bool:
    """Cheap test for input that could hold anchors, tags or nesting deep enough to crash a parser."""
    if "&" in text or "*" in text or "!" in text:
        return True
    if text.count("[") + text.count("{") > 200 or "- -" in text:
        return True
    return any(len(line) - len(line.lstrip(" ")) > 48 for line in text.split("\n"))


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
    with CheckoutReader(project.root) as reader:
        for path in files if files is not None else record_files(project):
            record, found = read_record(path, project, cache, reader)
            problems.extend(found)
            if record is not None:
                records.append(record)
    if cache is not None:
        cache.save(whole_corpus=files is None)
    return Corpus(project, records, problems)
