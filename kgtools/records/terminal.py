"""Record text on its way out of `kg`, made safe for the program that reads it next.

Record values, file names and server answers are written by whoever opens a
pull request, yet `kg` prints them to terminals, to GitHub's workflow log and
into Markdown that the PR bot posts. Each of those readers gives some
characters a meaning: ESC starts a terminal control sequence, `\\r` rewinds the
line, U+202E reverses what follows, a newline starts a new problem line, and a
run of backticks closes a Markdown code block. Here such characters are shown
as escapes (`\\x1b`, `\\u202e`) or outnumbered (a longer fence), so a contributor
can make a reviewer read their text but never make it act as an instruction.

`python -m kgtools.records.terminal code-block FILE` prints FILE as a Markdown
code block; the pull-request workflow builds its comment with it.
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

_BIDI = "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
_UNSAFE = re.compile(f"[\\x00-\\x08\\x0a-\\x1f\\x7f-\\x9f{_BIDI}\\u2028\\u2029\\ud800-\\udfff]")
"""C0 controls but tab, DEL, C1 controls, bidi controls, Unicode line separators, lone surrogates."""
_UNSAFE_KEEP_LINES = re.compile(f"[\\x00-\\x08\\x0b\\x0c\\x0e-\\x1f\\x7f-\\x9f{_BIDI}\\u2028\\u2029\\ud800-\\udfff]")
_NAMED = {"\n": "\\n", "\r": "\\r"}

COMMENT_LIMIT = 20_000
"""Characters of a file `code-block` puts in a PR comment (GitHub refuses comments over 65,536)."""


def _escape(match: re.Match[str]) -> str:
    char = match.group()
    if char in _NAMED:
        return _NAMED[char]
    code = ord(char)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def printable(text: str, keep_newlines: bool = False) -> str:
    """`text` with every character a terminal or log would act on written as a visible escape.

    >>> printable("a\\x1b[2Jb\\u202ec\\rd\\ne\\tf")
    'a\\\\x1b[2Jb\\\\u202ec\\\\rd\\\\ne\\tf'
    >>> printable("one\\ntwo\\x9b", keep_newlines=True)
    'one\\ntwo\\\\x9b'
    >>> printable(printable("\\x1b")) == printable("\\x1b")
    True
    """
    return (_UNSAFE_KEEP_LINES if keep_newlines else _UNSAFE).sub(_escape, text)


def json_printable(text: str) -> str:
    """JSON from `json.dumps(..., ensure_ascii=False)` with the characters it leaves raw escaped as `\\uXXXX`.

    JSON already escapes C0 controls; C1 controls, bidi controls and lone
    surrogates it writes as they are. Outside strings JSON has none of these,
    so the result is the same JSON value.

    >>> import json
    >>> out = json_printable(json.dumps(["\\u202e\\x9b\\ud800é"], ensure_ascii=False))
    >>> out
    '["\\\\u202e\\\\u009b\\\\ud800é"]'
    >>> json.loads(out) == ["\\u202e\\x9b\\ud800é"]
    True
    >>> json_printable(json.dumps({"a": 1}, indent=1))
    '{\\n "a": 1\\n}'
    """
    return _UNSAFE_KEEP_LINES.sub(lambda m: f"\\u{ord(m.group()):04x}", text)  # the newlines of `indent` stay


def fence_for(text: str, char: str = "`") -> str:
    """A code fence longer than any run of `char` in `text` (at least three), so `text` cannot close it.

    >>> fence_for("plain")
    '```'
    >>> fence_for("a ```` b")
    '`````'
    """
    longest = max((len(run) for run in re.findall(f"{re.escape(char)}+", text)), default=0)
    return char * max(3, longest + 1)


def code_block(text: str, info: str = "") -> str:
    """`text` as a fenced Markdown code block that nothing inside it can end early.

    >>> print(code_block("```\\nNo problems"))
    ````
    ```
    No problems
    ````
    """
    fence = fence_for(text)
    info = re.sub(r"[^A-Za-z0-9_+-]", "", info)
    return f"{fence}{info}\n{text.rstrip(chr(10))}\n{fence}"


def html_text(text: str) -> str:
    """Text for inside an HTML element of a Markdown comment: markup escaped, one line.

    >>> html_text("a <b> & `c`\\n\\n# d")
    'a &lt;b&gt; &amp; &#96;c&#96;\\\\n\\\\n# d'
    """
    return (printable(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
            .replace('"', "&quot;").replace("`", "&#96;").replace("|", "&#124;"))


def _code_block_command(path: Path, title: str | None, limit: int) -> str:
    text = path.read_text(encoding="utf-8", errors="replace") if path.exists() else ""
    if len(text) > limit:
        text = text[:limit] + f"\n… (cut at {limit} characters; the full output is in the job log)"
    block = code_block(printable(text, keep_newlines=True))
    return f"### {html_text(title)}\n\n{block}" if title else block


def main(argv: list[str] | None = None) -> int:
    top = argparse.ArgumentParser(prog="python -m kgtools.records.terminal",
                                  description="Print a file as a Markdown code block no line in it can close.")
    sub = top.add_subparsers(dest="command", required=True)
    p = sub.add_parser("code-block", help="FILE as a fenced code block (empty if FILE is missing)")
    p.add_argument("file", type=Path)
    p.add_argument("--title", help="a `###` heading above the block")
    p.add_argument("--limit", type=int, default=COMMENT_LIMIT, help="characters of FILE to keep")
    args = top.parse_args(argv)
    print(_code_block_command(args.file, args.title, args.limit))
    return 0


if __name__ == "__main__":
    sys.exit(main())
