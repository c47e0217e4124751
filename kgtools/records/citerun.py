"""The `kg cite-check` command: which sources to check, the check, the report, and the checks file.

It reads the corpus without judging it (a record another change broke does not
stop the check of the others), checks every source with an address
(kgtools.records.citecheck), prints the report and, unless it is a dry run,
writes the results (kgtools.records.citefile).
"""

from __future__ import annotations

import sys
from urllib.parse import urlsplit

from kgtools.records import citefile
from kgtools.records.citecheck import USER_AGENT, Checker, Report, today
from kgtools.records.http import Client
from kgtools.records.loader import load_corpus
from kgtools.records.project import Project


def run_cite_check(project: Project, only: list[str], dry_run: bool, archive_api: str, timeout: float, rate: float,
                   retries: int, jobs: int, checked_on: str | None = None) -> int:
    """Print the report grouped by outcome and its summary; write the checks file unless `dry_run`.

    Exit 0 when the check ran, whatever it found (problems are the report's
    content); 1 for a usage error (an unknown `--only` id, a bad rate).
    """
    if rate <= 0 or timeout <= 0 or retries < 0 or jobs < 1:
        print("kg cite-check: --rate and --timeout must be above 0, --retries at least 0, --jobs at least 1", file=sys.stderr)
        return 1
    if not archive_api.startswith(("http://", "https://")):
        print(f"kg cite-check: --archive-api {archive_api!r} is not an http(s) address", file=sys.stderr)
        return 1
    corpus = load_corpus(project)
    every = citefile.targets(corpus)
    chosen = [t for t in every if not only or t.source in only]
    unknown = sorted(set(only) - {t.source for t in every})
    if unknown:
        sources = {r.id for r in corpus.by_kind("source")}
        for name in unknown:
            why = "has no url to check" if name in sources else "is not a source id"
            print(f"kg cite-check: --only {name}: {why}", file=sys.stderr)
        return 1
    hosts = len({urlsplit(t.url).netloc.lower() for t in chosen})
    print(f"checking {len(chosen)} source address(es) on {hosts} host(s), at most {rate:g} request(s)/s per host",
          file=sys.stderr, flush=True)
    client = Client(timeout=timeout, retries=retries, min_interval=1.0 / rate, user_agent=USER_AGENT)
    report = Report(checked_on or today(), Checker(client, archive_api).check_all(chosen, jobs))
    print(report.text())
    if dry_run:
        print("dry run: nothing written")
        return 0
    checks = citefile.merged(citefile.existing(project), report.results, report.checked_on, {t.source for t in every})
    path = citefile.write(project, checks)
    print(f"wrote {path.relative_to(project.root)} ({len(checks)} check(s))")
    return 0
