"""`kg publish` into two real stores on loopback, and every saved query answers alike there and in-process.

Oxigraph comes from PyPI (`oxigraph serve`, a dev dependency) and takes the graph
through its bulk loader; Virtuoso comes from Debian (`virtuoso-t`, started in the
foreground from a throw-away virtuoso.ini) and takes it over its Graph Store
endpoint with Digest authentication. Each server is started once for this module.
Saved queries say `FROM <https://w3id.org/stackatlas/graph>`, so neither store's
default-graph rule (Oxigraph: the unnamed graph; Virtuoso: the union of every
graph, its system graphs included) changes an answer.

Rows are compared as sorted tuples of normalised terms: an IRI is its text, a
literal its value with its language tag, numbers compared as numbers (Virtuoso
writes `1.0E0` where Oxigraph writes `1`), and GROUP_CONCAT's parts as a set,
its order being undefined in SPARQL. Without `virtuoso-t` the Virtuoso half is
skipped, unless STACKATLAS_REQUIRE_VIRTUOSO=1 (CI), where that is a failure.
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path

import pyoxigraph as ox
import pytest

from kgtools.graph.vocab import DATASET_GRAPH
from kgtools.query.engine import QueryError, execute, with_prefixes
from kgtools.query.publish import PASSWORD_ENV, USER_ENV
from kgtools.query.remote import remote_query
from kgtools.query.saved import SavedQuery, saved_queries
from kgtools.records.project import Project

from .conftest import ROOT, free_port, run_kg

QUERIES = saved_queries(Project(ROOT))
XSD = "http://www.w3.org/2001/XMLSchema#"
NUMERIC = {XSD + t for t in ("integer", "decimal", "double", "float", "int", "long", "short", "byte",
                             "nonNegativeInteger", "positiveInteger", "negativeInteger", "nonPositiveInteger",
                             "unsignedInt", "unsignedLong", "unsignedShort", "unsignedByte")}
COUNT = f"SELECT (COUNT(*) AS ?n) FROM <{DATASET_GRAPH}> WHERE {{ ?s ?p ?o }}"

Row = tuple[str, ...]


def _wait(url: str, process: subprocess.Popen[bytes], what: str, seconds: float = 60.0) -> None:
    """Return once `url` answers (any HTTP status); fail if the server exits or never answers."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"{what} exited with status {process.returncode} before answering")
        try:
            urllib.request.urlopen(url, timeout=2).close()
            return
        except urllib.error.HTTPError:
            return
        except OSError:
            time.sleep(0.2)
    pytest.fail(f"{what} did not answer at {url} within {seconds:g} s")


def _stop(process: subprocess.Popen[bytes]) -> None:
    process.terminate()
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=10)


# --- normalised rows ------------------------------------------------------------

def _text(kind: str, value: str, datatype: str | None, lang: str | None) -> str:
    """One term as compared: IRIs and literals by text, numbers by value, GROUP_CONCAT's parts as a set."""
    if kind == "uri":
        return f"<{value}>"
    if kind == "bnode":
        return "_:"                      # labels are the store's own; only that there is one counts
    if datatype == XSD + "boolean":      # Virtuoso has no booleans: it answers 1 and 0 as integers
        return {"true": "1", "false": "0"}.get(value, value)
    if datatype in NUMERIC:
        try:
            number = Decimal(value)
            return f"{number.normalize():f}" if number == number.to_integral_value() else str(number.normalize())
        except InvalidOperation:
            pass
    if ", " in value:
        value = ", ".join(sorted(value.split(", ")))
    return f"{value}@{lang.lower()}" if lang else value


def _local_term(term: object) -> str:
    if term is None:
        return ""
    if isinstance(term, ox.NamedNode):
        return _text("uri", term.value, None, None)
    if isinstance(term, ox.BlankNode):
        return _text("bnode", term.value, None, None)
    assert isinstance(term, ox.Literal)
    return _text("literal", term.value, term.datatype.value, term.language)


def _remote_term(cell: dict[str, str] | None) -> str:
    if not cell:
        return ""
    kind = "literal" if cell["type"] == "typed-literal" else cell["type"]
    return _text(kind, cell["value"], cell.get("datatype"), cell.get("xml:lang"))


def local_rows(store: ox.Store, saved: SavedQuery) -> list[Row]:
    result = execute(store, saved.text)
    names = [v.value for v in result.variables]
    return sorted(tuple(_local_term(row[n]) for n in names) for row in result)


def remote_rows(endpoint: str, saved: SavedQuery, names: list[str]) -> list[Row]:
    """The query's rows from a SPARQL endpoint, asked as `kg query NAME --endpoint URL --format json` asks."""
    data = json.loads(remote_query(endpoint, with_prefixes(saved.text), "json", timeout=90))
    assert data["head"]["vars"] == names, saved.name
    return sorted(tuple(_remote_term(b.get(n)) for n in names) for b in data["results"]["bindings"])


def count(endpoint: str) -> int:
    data = json.loads(remote_query(endpoint, COUNT, "json"))
    return int(data["results"]["bindings"][0]["n"]["value"])


def compare(store: ox.Store, endpoint: str) -> tuple[int, list[str]]:
    """How many saved queries give the same rows in-process and at `endpoint`, and what happened to the others."""
    differing = []
    for saved in QUERIES:
        local = local_rows(store, saved)
        names = [v.value for v in execute(store, saved.text).variables]
        try:
            remote = remote_rows(endpoint, saved, names)
        except QueryError as error:
            differing.append(f"{saved.name} ({str(error)[:160]})")
            continue
        if remote != local:
            extra, missing = sorted(set(remote) - set(local))[:2], sorted(set(local) - set(remote))[:2]
            differing.append(f"{saved.name} ({len(remote)} rows, not {len(local)}; more {extra}, fewer {missing})")
    return len(QUERIES) - len(differing), differing


def test_every_saved_query_names_its_graph() -> None:
    """`FROM <DATASET_GRAPH>`, so Oxigraph (default graph: the unnamed one) and Virtuoso (the union) agree."""
    from kgtools.query.engine import dataset_clauses

    unnamed = [q.name for q in QUERIES if dataset_clauses(q.text) != ([DATASET_GRAPH], [])]
    assert not unnamed, f"add `FROM <{DATASET_GRAPH}>` before WHERE in: {unnamed}"


# --- the servers ----------------------------------------------------------------

@dataclass
class Store:
    process: subprocess.Popen[bytes]
    base: str          # http://127.0.0.1:PORT
    gsp: str           # the Graph Store endpoint kg publish writes to
    sparql: str        # the query endpoint
    user: str = ""
    password: str = field(default="", repr=False)


@pytest.fixture(scope="module")
def oxigraph(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    binary = shutil.which("oxigraph", path=str(Path(sys.executable).parent)) or shutil.which("oxigraph")
    assert binary, "the oxigraph server (PyPI package `oxigraph`) is a dev dependency"
    folder = tmp_path_factory.mktemp("oxigraph")
    port = free_port()
    process = subprocess.Popen([binary, "serve", "--location", str(folder / "store"), "--bind", f"127.0.0.1:{port}"],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    try:
        _wait(f"{base}/query?query=ASK%7B%7D", process, "oxigraph serve")
        yield Store(process, base, f"{base}/store", f"{base}/query")
    finally:
        _stop(process)
        shutil.rmtree(folder, ignore_errors=True)


VIRTUOSO_INI = """\
[Database]
DatabaseFile = virtuoso.db
ErrorLogFile = virtuoso.log
LockFile = virtuoso.lck
TransactionFile = virtuoso.trx
xa_persistent_file = virtuoso.pxa
TempStorage = TempDatabase

[TempDatabase]
DatabaseFile = virtuoso-temp.db
TransactionFile = virtuoso-temp.trx

[Parameters]
ServerPort = 127.0.0.1:{sql_port}
DisableUnixSocket = 1
CaseMode = 2
DirsAllowed = .
NumberOfBuffers = 20000
MaxDirtyBuffers = 15000
CheckpointInterval = 0

[HTTPServer]
ServerPort = 127.0.0.1:{http_port}
ServerRoot = .
ServerThreads = 4
MaxClientConnections = 4
Charset = UTF-8

[SPARQL]
ResultSetMaxRows = 1000000
MaxQueryExecutionTime = 60
MaxQueryCostEstimationTime = 0
"""


@pytest.fixture(scope="module")
def virtuoso(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    binary, isql = shutil.which("virtuoso-t"), shutil.which("isql-vt") or shutil.which("isql")
    if not (binary and isql):
        if os.environ.get("STACKATLAS_REQUIRE_VIRTUOSO") == "1":
            pytest.fail("virtuoso-t and isql-vt are required (STACKATLAS_REQUIRE_VIRTUOSO=1): "
                        "apt-get install virtuoso-opensource")
        pytest.skip("virtuoso-t not installed (Debian: apt-get install virtuoso-opensource); "
                    "set STACKATLAS_REQUIRE_VIRTUOSO=1 to make this a failure")
    folder = tmp_path_factory.mktemp("virtuoso")
    sql_port, http_port = free_port(), free_port()
    (folder / "virtuoso.ini").write_text(VIRTUOSO_INI.format(sql_port=sql_port, http_port=http_port), encoding="utf-8")
    process = subprocess.Popen([binary, "+foreground", "+configfile", "virtuoso.ini"], cwd=folder,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{http_port}"
    try:
        _wait(f"{base}/sparql", process, "virtuoso-t", seconds=120)
        # A fresh database's dba password is "dba": replace it before anything is published.
        password = secrets.token_urlsafe(12)
        subprocess.run([isql, f"127.0.0.1:{sql_port}", "dba", "dba", f"exec=user_set_password('dba', '{password}');"],
                       check=True, capture_output=True, timeout=60)
        yield Store(process, base, f"{base}/sparql-graph-crud-auth", f"{base}/sparql", "dba", password)
    finally:
        _stop(process)
        shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture(scope="module")
def reference(project: Project) -> ox.Store:
    """The graph in-process, compiled as `kg publish` compiles it."""
    from kgtools.insights.enrich import published_graph
    from kgtools.query.store import store_from_ntriples

    return store_from_ntriples(published_graph(project).ntriples)


def _publish(project: Project, capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    return run_kg(project, capsys, "publish", *args)


# --- Oxigraph -------------------------------------------------------------------

def test_oxigraph_takes_the_graph_through_its_bulk_loader(project: Project, oxigraph: Store, reference: ox.Store,
                                                          capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = _publish(project, capsys, oxigraph.gsp)
    assert code == 0, err
    assert "(Oxigraph bulk load)" in out, out            # found by its Server header
    code, out, err = _publish(project, capsys, oxigraph.gsp, "--store", "oxigraph")
    assert code == 0, err
    print(out.strip())                                    # the timing, for the report (pytest -s)
    assert count(oxigraph.sparql) == len(reference)       # replaced, not added to


def test_every_saved_query_answers_alike_on_oxigraph(oxigraph: Store, reference: ox.Store) -> None:
    assert count(oxigraph.sparql) == len(reference), "test_oxigraph_takes_the_graph_through_its_bulk_loader publishes first"
    same, differing = compare(reference, oxigraph.sparql)
    print(f"Oxigraph: {same} of {len(QUERIES)} saved queries identical")
    assert not differing, f"differ on Oxigraph: {differing}"


# --- Virtuoso -------------------------------------------------------------------

def test_virtuoso_needs_credentials_and_never_prints_them(project: Project, virtuoso: Store,
                                                          capsys: pytest.CaptureFixture[str],
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(USER_ENV, raising=False)
    monkeypatch.delenv(PASSWORD_ENV, raising=False)
    code, _, err = _publish(project, capsys, virtuoso.gsp)
    assert code == 1 and "answered 401" in err and USER_ENV in err, err
    wrong = "not-" + virtuoso.password
    code, out, err = _publish(project, capsys, virtuoso.gsp.replace("://", f"://dba:{wrong}@"))
    assert code == 1 and "401" in err, err
    assert wrong not in out + err and virtuoso.password not in out + err


def test_virtuoso_takes_the_graph_with_digest_authentication(project: Project, virtuoso: Store, reference: ox.Store,
                                                             capsys: pytest.CaptureFixture[str],
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(USER_ENV, virtuoso.user)
    monkeypatch.setenv(PASSWORD_ENV, virtuoso.password)
    code, out, err = _publish(project, capsys, virtuoso.gsp)
    assert code == 0, err
    assert "(Virtuoso Graph Store, Digest)" in out and virtuoso.password not in out + err, out
    monkeypatch.delenv(USER_ENV)
    monkeypatch.delenv(PASSWORD_ENV)
    quoted = urllib.parse.quote(virtuoso.password, safe="")
    code, out, err = _publish(project, capsys, virtuoso.gsp.replace("://", f"://dba:{quoted}@"))  # credentials in the URL
    assert code == 0, err
    print(out.strip())
    assert virtuoso.password not in out + err and quoted not in out + err
    assert count(virtuoso.sparql) == len(reference)       # replaced, not added to


def test_every_saved_query_answers_alike_on_virtuoso(virtuoso: Store, reference: ox.Store) -> None:
    assert count(virtuoso.sparql) == len(reference), "test_virtuoso_takes_the_graph_with_digest_authentication publishes first"
    same, differing = compare(reference, virtuoso.sparql)
    print(f"Virtuoso: {same} of {len(QUERIES)} saved queries identical")
    assert not differing, f"differ on Virtuoso: {differing}"
