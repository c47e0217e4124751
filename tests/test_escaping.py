"""Text that reaches other programs stays data: PR comments, workflow commands, terminals, git, HTTP.

Each test plays a contributor or server that tries to make `kg`'s output act:
a record value that closes the PR comment's code block and shows a fake
verdict, a file name that clears the terminal, a revision that git reads as
`--output=FILE`, a store URL whose password must not leave as a host name or
be printed, an endpoint that redirects elsewhere. Everything runs for real: a
git repository, the workflow's own shell step, loopback HTTP servers, `kg`
processes whose stdout is closed.
"""

from __future__ import annotations

import base64
import http.server
import json
import re
import shutil
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import yaml
from markdown_it import MarkdownIt

import kgtools
from kgtools.records.project import Project

from .conftest import ROOT, run_kg

TEMPORAL = "corpus/technologies/temporal.yaml"
DESCRIPTION = ("  en: A durable-execution platform in which workflows are ordinary code; it records an event "
               "history so long-running processes resume where they stopped after a failure.\n")
FAKE = "No changes to the graph ✅"
RAW_CONTROLS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def set_line(project: Project, path: str, old: str, new: str) -> None:
    file = project.root / path
    text = file.read_text(encoding="utf-8")
    assert old in text, f"fixture no longer contains {old!r}"
    file.write_text(text.replace(old, new, 1), encoding="utf-8")


def longest_backtick_run(text: str) -> int:
    return max((len(r) for r in re.findall("`+", text)), default=0)


def outside_code(markdown: str) -> list[str]:
    """The text of every CommonMark token that GitHub would render as something other than code."""
    tokens = MarkdownIt("commonmark").parse(markdown)
    texts = []
    for token in tokens:
        if token.type in ("fence", "code_block"):
            continue
        texts.append(token.content)
        texts.extend(child.content for child in token.children or [] if child.type != "code_inline")
    return texts


def fences(markdown: str) -> list[tuple[str, str]]:
    return [(t.markup, t.content) for t in MarkdownIt("commonmark").parse(markdown) if t.type == "fence"]


# --- PR comments ---------------------------------------------------------------------------------------------


def test_diff_markdown_keeps_a_fake_verdict_inside_its_code_block(repo: Project, capsys: pytest.CaptureFixture[str]) -> None:
    value = f"x\n```\n\n{FAKE}\n\n```diff\n+ ``````` fake"
    set_line(repo, TEMPORAL, DESCRIPTION, f"  en: {json.dumps(value, ensure_ascii=False)}\n")
    set_line(repo, TEMPORAL, "  en: Temporal\n", '  en: "Temporal</summary>\\n\\n# Approved by maintainers"\n')
    code, out, err = run_kg(repo, capsys, "diff", "HEAD", "--format", "markdown")
    assert code == 0, err
    blocks = fences(out)
    assert blocks and all(len(markup) > longest_backtick_run(content) for markup, content in blocks), blocks
    assert any(FAKE in content for _, content in blocks)
    assert not any(FAKE in text for text in outside_code(out))
    html = MarkdownIt("commonmark").render(out)
    assert "<h1>" not in html, "a label ended the <details> HTML block and made a heading"
    assert re.search(r"<code[^>]*>[^<]*No changes to the graph ✅", html)


def workflow_step(name: str) -> str:
    workflow = yaml.safe_load((ROOT / ".github/workflows/pull-request.yml").read_text(encoding="utf-8"))
    steps = {step.get("name"): step for step in workflow["jobs"]["review"]["steps"]}
    assert name in steps, f"pull-request.yml has no step {name!r}: {sorted(s for s in steps if s)}"
    return steps[name]["run"]


def test_pr_comment_step_fences_check_output_longer_than_its_backticks(tmp_path: Path) -> None:
    """The workflow's own shell step, run on a check.txt that tries to end the block and claim success."""
    (tmp_path / "check.txt").write_text(f"corpus/x.yaml:1: a: `\n````\n\n{FAKE}\n\n```\n", encoding="utf-8")
    (tmp_path / "diff.md").write_text("### Graph diff\n\nNo changes to the graph.", encoding="utf-8")
    (tmp_path / ".venv" / "bin").mkdir(parents=True)
    (tmp_path / ".venv" / "bin" / "python").symlink_to(sys.executable)
    env = {"PATH": "/usr/bin:/bin", "PYTHONPATH": str(Path(kgtools.__file__).parents[1])}
    subprocess.run(["bash", "-e", "-c", workflow_step("Assemble the comment")], cwd=tmp_path, env=env, check=True)
    comment = (tmp_path / "comment.md").read_text(encoding="utf-8")
    assert comment.startswith("### kg check\n")
    blocks = fences(comment)
    assert len(blocks) == 1 and len(blocks[0][0]) > longest_backtick_run(blocks[0][1]) and FAKE in blocks[0][1]
    assert not any(FAKE in text for text in outside_code(comment))
    assert comment.rstrip().endswith("No changes to the graph.")


# --- git arguments -------------------------------------------------------------------------------------------


@pytest.mark.parametrize("args", [("--", "--output={victim}"), ("HEAD", "--", "--output={victim}")],
                         ids=["rev", "rev2"])
def test_diff_revision_cannot_be_a_git_option(repo: Project, tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                              args: tuple[str, ...]) -> None:
    victim = tmp_path / "victim.txt"
    victim.write_text("keep me\n", encoding="utf-8")
    code, out, err = run_kg(repo, capsys, "diff", *(a.format(victim=victim) for a in args))
    assert victim.read_text(encoding="utf-8") == "keep me\n"
    assert code == 1 and "is not a revision" in err and not out


def test_diff_unknown_option_is_a_usage_error(repo: Project, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    victim = tmp_path / "victim.txt"
    victim.write_text("keep me\n", encoding="utf-8")
    with pytest.raises(SystemExit) as exit_:
        run_kg(repo, capsys, "diff", f"--output={victim}")
    assert exit_.value.code == 2 and victim.read_text(encoding="utf-8") == "keep me\n"


# --- terminals and workflow command lines --------------------------------------------------------------------

EVIL_NAME = "\x1b[2K\x1b[1Aok\u202elmay.yaml"


def plant_controls(project: Project) -> None:
    """A file whose name clears the line, and a homepage with a carriage return and a bidi override."""
    (project.root / "corpus/technologies" / EVIL_NAME).write_text("id: evil\n", encoding="utf-8")
    set_line(project, TEMPORAL, "homepage: https://temporal.io",
             'homepage: "x\\rcorpus/ok.yaml:1: fine \\u202e"')


def test_check_text_shows_control_characters_escaped(mini: Project, capsys: pytest.CaptureFixture[str]) -> None:
    plant_controls(mini)
    code, out, err = run_kg(mini, capsys, "check")
    assert code == 1
    assert not RAW_CONTROLS.search(out + err), repr(RAW_CONTROLS.search(out + err))
    assert "\\x1b[2K\\x1b[1Aok\\u202elmay.yaml" in out
    assert "`x\\rcorpus/ok.yaml:1: fine \\u202e` has the wrong form" in out
    assert all(line.startswith("corpus/") for line in out.splitlines())


def test_github_commands_stay_one_line_without_controls(mini: Project, capsys: pytest.CaptureFixture[str]) -> None:
    plant_controls(mini)
    (mini.root / "corpus/technologies/a,b::c\n::error::fake.yaml").write_text("id: x\n", encoding="utf-8")
    code, out, _ = run_kg(mini, capsys, "check", "--format", "github")
    assert code == 1
    lines = out.splitlines()
    assert all(line.startswith("::error file=corpus/technologies/") for line in lines), lines
    assert not RAW_CONTROLS.search(out)
    # Read the lines as the runner does: properties up to the first `::`, split at `,`, then `%`-decoded.
    files = set()
    for line in lines:
        properties = line[2:].split("::", 1)[0].split(" ", 1)[1]
        pairs = dict(p.split("=", 1) for p in properties.split(","))
        assert set(pairs) == {"file", "line", "title"}, line
        files.add(pairs["file"].replace("%0A", "\n").replace("%3A", ":").replace("%2C", ",").replace("%25", "%"))
    assert "corpus/technologies/a,b::c\n::error::fake.yaml" in files


def test_check_json_escapes_bidi_and_c1(mini: Project, capsys: pytest.CaptureFixture[str]) -> None:
    plant_controls(mini)
    code, out, _ = run_kg(mini, capsys, "check", "--format", "json")
    assert code == 1 and not RAW_CONTROLS.search(out)
    assert any(p["path"].endswith(EVIL_NAME) for p in json.loads(out))


def test_diff_text_shows_control_characters_escaped(repo: Project, capsys: pytest.CaptureFixture[str]) -> None:
    set_line(repo, TEMPORAL, DESCRIPTION, '  en: "line one\\r\\u202eenil owt\\n0 added, 0 removed, 0 changed entities"\n')
    code, out, err = run_kg(repo, capsys, "diff", "HEAD")
    assert code == 0, err
    assert not RAW_CONTROLS.search(out)
    assert '"line one\\r\\u202eenil owt\\n0 added, 0 removed, 0 changed entities"@en' in out
    assert out.splitlines()[-1] == "0 added, 0 removed, 1 changed entities"


# --- OS errors and closed pipes ------------------------------------------------------------------------------


def test_unreadable_record_is_one_line(mini: Project, capsys: pytest.CaptureFixture[str]) -> None:
    """A folder where a record should be is one problem line naming it, never a traceback."""
    (mini.root / "corpus/technologies/folder.yaml").mkdir()
    code, out, err = run_kg(mini, capsys, "check")
    lines = [line for line in out.splitlines() if "folder.yaml" in line]
    assert code == 1 and "Traceback" not in out + err, out + err
    assert len(lines) == 1 and lines[0].startswith("corpus/technologies/folder.yaml:1: ") and "is a folder" in lines[0], out


def test_unwritable_expected_folder_is_one_line(mini: Project, capsys: pytest.CaptureFixture[str]) -> None:
    expected = mini.queries / "expected"
    if expected.is_dir():
        shutil.rmtree(expected)
    expected.write_text("a file where kg wants a folder\n", encoding="utf-8")
    code, _, err = run_kg(mini, capsys, "query", "--update-expected")
    assert code == 1 and err.strip().splitlines()[-1] == "kg query: corpus/queries/expected: File exists", err
    assert "Traceback" not in err


@pytest.mark.parametrize("problems", [0, 300], ids=["short-output", "long-output"])
def test_closed_stdout_ends_quietly(mini: Project, problems: int) -> None:
    """`kg check | head -1` after head has gone: no traceback, no "Exception ignored" from the last flush."""
    for n in range(problems):
        (mini.root / f"corpus/technologies/broken-{n}.yaml").write_text("id: x\n", encoding="utf-8")
    env = {"PATH": "/usr/bin:/bin", "PYTHONPATH": str(Path(kgtools.__file__).parents[1])}
    process = subprocess.Popen([sys.executable, "-m", "kgtools", "check"], cwd=mini.root, env=env,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert process.stdout is not None and process.stderr is not None
    process.stdout.close()  # the reader is gone before kg writes a byte
    err = process.stderr.read().decode()
    process.wait(timeout=120)
    assert "Traceback" not in err and "BrokenPipeError" not in err and "Exception ignored" not in err, err


# --- HTTP: credentials and redirects -------------------------------------------------------------------------


@dataclass
class Recorder:
    """A loopback HTTP server that records every connection and request, and answers or redirects."""

    redirect: str | None = None
    status: int = 200
    connections: int = 0
    requests: list[tuple[str, dict[str, str], bytes]] = field(default_factory=list)
    url: str = ""


Servers = Callable[..., Recorder]


@pytest.fixture
def servers() -> Iterator[Servers]:
    """Start loopback servers on demand: `servers(status=201)`, `servers(redirect="302 http://…")`."""
    started: list[http.server.ThreadingHTTPServer] = []

    def start(**options: object) -> Recorder:
        recorder = Recorder(**options)  # type: ignore[arg-type]

        class Handler(http.server.BaseHTTPRequestHandler):
            def answer(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                recorder.requests.append((self.requestline, dict(self.headers), body))
                if recorder.redirect and not self.path.startswith("/final"):
                    self.send_response(int(recorder.redirect.split(" ")[0]))
                    self.send_header("Location", recorder.redirect.split(" ")[1])
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                payload = b'{"head": {"vars": ["n"]}, "results": {"bindings": [{"n": {"type": "literal", "value": "1"}}]}}'
                self.send_response(recorder.status)
                self.send_header("Content-Type", "application/sparql-results+json")
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            do_GET = do_POST = do_PUT = answer

            def log_message(self, *args: object) -> None:
                pass

        class Server(http.server.ThreadingHTTPServer):
            def verify_request(self, request: object, client_address: object) -> bool:
                recorder.connections += 1
                return True

        server = Server(("127.0.0.1", 0), Handler)
        recorder.url = f"http://127.0.0.1:{server.server_address[1]}"
        threading.Thread(target=server.serve_forever, daemon=True).start()
        started.append(server)
        return recorder

    try:
        yield start
    finally:
        for server in started:
            server.shutdown()
            server.server_close()


def test_publish_sends_userinfo_as_authorization_and_prints_no_secret(mini: Project, servers: Servers,
                                                                      capsys: pytest.CaptureFixture[str]) -> None:
    store = servers(status=201)
    host = store.url.removeprefix("http://")
    code, out, err = run_kg(mini, capsys, "publish", f"http://alice:s3cr%40t@{host}/store?token=TOKVAL&x=1")
    assert code == 0, err
    assert len(store.requests) == 1
    requestline, headers, _ = store.requests[0]
    assert headers["Authorization"] == "Basic " + base64.b64encode(b"alice:s3cr@t").decode()
    assert "s3cr" not in requestline and "alice" not in requestline and "TOKVAL" in requestline
    for secret in ("s3cr", "TOKVAL"):
        assert secret not in out + err
    assert f"at http://***@{host}/store?token=***&x=1 (HTTP 201)" in out

    denied = servers(status=401)
    code, out, err = run_kg(mini, capsys, "publish", f"http://bob:hunter2@{denied.url.removeprefix('http://')}/s?api_key=K3Y")
    assert code == 1 and "answered 401" in err
    assert "hunter2" not in out + err and "K3Y" not in out + err


@pytest.mark.parametrize(("command", "status", "scheme"), [
    ("query", 302, "http"), ("query", 307, "http"), ("query", 302, "https"), ("publish", 307, "http"),
])
def test_redirect_to_another_origin_is_refused(mini: Project, servers: Servers, capsys: pytest.CaptureFixture[str],
                                               command: str, status: int, scheme: str) -> None:
    elsewhere = servers()
    target = elsewhere.url.replace("http://", f"{scheme}://") + "/final"
    first = servers(redirect=f"{status} {target}")
    (mini.root / "ask.rq").write_text("ASK {}\n", encoding="utf-8")
    args = ["query", "ask.rq", "--endpoint", f"{first.url}/sparql"] if command == "query" else ["publish", f"{first.url}/store"]
    code, _, err = run_kg(mini, capsys, *args)
    assert code == 1 and "only redirects to the same scheme, host and port are followed" in err, err
    assert len(first.requests) == 1 and elsewhere.connections == 0 and not elsewhere.requests


def test_redirect_within_the_endpoint_keeps_the_query(mini: Project, servers: Servers, capsys: pytest.CaptureFixture[str]) -> None:
    endpoint = servers()
    endpoint.redirect = f"307 {endpoint.url}/final"
    (mini.root / "ask.rq").write_text("SELECT (1 AS ?n) {}\n", encoding="utf-8")
    code, out, err = run_kg(mini, capsys, "query", "ask.rq", "--endpoint", f"{endpoint.url}/sparql", "--format", "json")
    assert code == 0 and '"value": "1"' in out, err
    assert [r[0].split(" ")[:2] for r in endpoint.requests] == [["POST", "/sparql"], ["POST", "/final"]]
    assert endpoint.requests[0][2] == endpoint.requests[1][2] and b"SELECT" in endpoint.requests[1][2]
