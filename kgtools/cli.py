"""The `kg` command line: one sub-command per job, each a thin wrapper over a module."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path

from kgtools.records.problems import render
from kgtools.records.project import find_project

Handler = Callable[[argparse.Namespace], int]


def cmd_check(args: argparse.Namespace) -> int:
    from kgtools.records.check import check

    project = find_project()
    files = [Path(f) for f in args.files] or None
    result = check(project, files)
    if result.problems:
        print(render(result.problems, args.format))
        if args.format == "text":
            print(f"{len(result.problems)} problem(s) found", file=sys.stderr)
        return 1
    if args.format == "json":
        print("[]")
    elif args.format == "text":
        print(result.summary())
    return 0


def cmd_build(args: argparse.Namespace) -> int:
    from kgtools.pipeline import build

    return build(find_project(), site=not args.graph_only, out=Path(args.out) if args.out else None)


def cmd_query(args: argparse.Namespace) -> int:
    from kgtools.pipeline import open_store
    from kgtools.query.engine import QueryError, execute, format_result, with_prefixes
    from kgtools.query.saved import resolve_query_text, write_expected

    project = find_project()
    if args.update_expected:
        count = write_expected(project, open_store(project, announce=True))
        print(f"wrote expected results of {count} saved queries to {project.queries.relative_to(project.root)}/expected/")
        return 0
    if not args.query:
        print("kg query: give a query file, a saved query's name or -", file=sys.stderr)
        return 2
    try:
        text = resolve_query_text(project, args.query)
        if args.endpoint:
            from kgtools.query.remote import remote_query

            print(remote_query(args.endpoint, with_prefixes(text), args.format))
            return 0
        print(format_result(execute(open_store(project, announce=True), text), args.format))
        return 0
    except QueryError as error:
        print(f"kg query: {error}", file=sys.stderr)
        return 1


def cmd_stats(args: argparse.Namespace) -> int:
    from kgtools.insights.stats import run_stats_command
    from kgtools.pipeline import open_store

    since = None
    if args.since:
        from kgtools.query.store import load_dump

        since = load_dump(Path(args.since))
    return run_stats_command(open_store(find_project(), announce=True), args.format, args.quality, since)


def cmd_serve(args: argparse.Namespace) -> int:
    from kgtools.serve import run_serve

    return run_serve(find_project(), args.host, args.port, args.sparql_port, not args.no_site,
                     args.timeout, args.max_results)


def cmd_publish(args: argparse.Namespace) -> int:
    from kgtools.graph.vocab import DATASET_GRAPH
    from kgtools.publish import run_publish

    return run_publish(find_project(), args.url, args.graph or DATASET_GRAPH, args.store, args.timeout)


def cmd_new(args: argparse.Namespace) -> int:
    from kgtools.records.scaffold import run_new

    return run_new(find_project(), args.kind, args.id)


def cmd_diff(args: argparse.Namespace) -> int:
    from kgtools.graph.diff import run_diff

    return run_diff(find_project(), args.rev, args.rev2, args.format)


def cmd_analyze(args: argparse.Namespace) -> int:
    from kgtools.insights.analytics import run_analyze
    from kgtools.pipeline import open_store

    return run_analyze(open_store(find_project(), announce=True), tuple(args.path) if args.path else None, args.top)


def cmd_advise(args: argparse.Namespace) -> int:
    from kgtools.insights.advisor import Requirements, run_advise
    from kgtools.pipeline import open_store

    stateful = True if args.stateful else False if args.stateless else None
    requirements = Requirements(args.scenario, args.latency_ms, stateful, args.scale, args.cost_sensitive, args.write_heavy)
    return run_advise(open_store(find_project(), announce=True), requirements, args.weights, args.format)


def cmd_cost(args: argparse.Namespace) -> int:
    from kgtools.insights.cost import run_cost
    from kgtools.pipeline import open_store

    return run_cost(open_store(find_project(), announce=True), args.assessment, args.nodes, args.price, args.format)


def cmd_release(args: argparse.Namespace) -> int:
    from kgtools.pipeline import run_release

    return run_release(find_project(), args.version, args.date, args.dry_run, Path(args.out) if args.out else None)


def cmd_track(args: argparse.Namespace) -> int:
    from kgtools.records.track import run_track

    return run_track(find_project(), args.dry_run, args.only, args.registry, args.timeout, args.retries, args.interval)


def cmd_cite_check(args: argparse.Namespace) -> int:
    from kgtools.records.citerun import run_cite_check

    return run_cite_check(find_project(), args.only, args.dry_run, args.archive_api, args.timeout, args.rate,
                          args.retries, args.jobs)


def parser() -> argparse.ArgumentParser:
    from kgtools import __version__

    top = argparse.ArgumentParser(prog="kg", description="Stack Atlas: records → knowledge graph → queries and site.")
    top.add_argument("--version", action="version", version=f"kg (stackatlas-kgtools) {__version__}")
    sub = top.add_subparsers(dest="command", required=True)

    p = sub.add_parser("check", help="validate records; every problem at once",
                       description="Validate records; every problem at once as `file:line: field: message [hint]`. "
                       "Unchanged files come from a record cache in `~/.cache/stackatlas` (`STACKATLAS_CACHE=off` turns it off).")
    p.add_argument("files", nargs="*", help="check just these record files (against the whole corpus)")
    p.add_argument("--format", choices=["text", "github", "json"], default="text",
                   help="text for people, github for GitHub Actions annotations, json for tools (default: text)")
    p.set_defaults(handler=cmd_check)

    p = sub.add_parser("build", help="check, compile the graph, write dumps and the site",
                       description="Check, compile, SHACL-validate, write `build/graph/stackatlas.{ttl,nt,jsonld}`, `void.ttl` "
                       "and `inputs.digest`, then the site into `build/site/`; both are published together at the end.")
    p.add_argument("--graph-only", action="store_true", help="stop after the graph dumps")
    p.add_argument("--out", help="build folder (default: build/)")
    p.set_defaults(handler=cmd_build)

    p = sub.add_parser("query", help="run SPARQL: a file, a saved query's name, or - for stdin",
                       description="Run SPARQL from a file, a saved query's name (`corpus/queries/<name>.rq`) or `-`; "
                       "says on stderr which graph it answers from.")
    p.add_argument("query", nargs="?", help="a .rq file, a saved query's name (e.g. coinbase-stack) or - to read stdin")
    p.add_argument("--format", choices=["table", "csv", "json"], default="table",
                   help="table for a terminal, csv or SPARQL JSON results for tools (default: table)")
    p.add_argument("--update-expected", action="store_true",
                   help="rewrite corpus/queries/expected/*.csv from the current graph (review the diff!)")
    p.add_argument("--endpoint", help="query a remote SPARQL endpoint instead of the local graph")
    p.set_defaults(handler=cmd_query)

    p = sub.add_parser("serve", help="the site with live reload and a read-only SPARQL endpoint, on localhost",
                       description="The site with live reload on <http://127.0.0.1:8000/> and a read-only SPARQL 1.1 endpoint "
                       "on <http://127.0.0.1:7878/sparql>.")
    p.add_argument("--host", default="127.0.0.1", help="address to bind (default: loopback only)")
    p.add_argument("--port", type=int, default=8000, help="site port")
    p.add_argument("--sparql-port", type=int, default=7878, help="SPARQL endpoint port")
    p.add_argument("--no-site", action="store_true", help="serve only the SPARQL endpoint")
    p.add_argument("--timeout", type=float, default=10.0, help="per-query time limit in seconds")
    p.add_argument("--max-results", type=int, default=10_000, help="largest answer served")
    p.set_defaults(handler=cmd_serve)

    p = sub.add_parser("publish", help="load the graph into a SPARQL store (Graph Store Protocol)",
                       description="Replace the dataset's named graph in a SPARQL store over the Graph Store Protocol: "
                       "Oxigraph's `/store` through its bulk loader (`no_transaction`), Virtuoso's "
                       "`/sparql-graph-crud-auth` with Digest authentication, any other store with one PUT. "
                       "Credentials come from the URL (`http://user:password@host/…`) or from STACKATLAS_STORE_USER "
                       "and STACKATLAS_STORE_PASSWORD; they are never printed. Saved queries read "
                       "`FROM <https://w3id.org/stackatlas/graph>`, so they answer alike on every store.")
    p.add_argument("url", help="the store's Graph Store Protocol endpoint, e.g. http://localhost:7878/store "
                   "or http://localhost:8890/sparql-graph-crud-auth")
    p.add_argument("--graph", help="named graph IRI to replace (default: https://w3id.org/stackatlas/graph)")
    p.add_argument("--store", choices=("auto", "oxigraph", "virtuoso", "gsp"), default="auto",
                   help="how to load: oxigraph (bulk, not atomic), virtuoso (Digest), gsp (one PUT, Basic); "
                   "default auto: Virtuoso by its /sparql-graph-crud path, else by the Server header the store answers")
    p.add_argument("--timeout", type=float, default=600.0, metavar="S", help="seconds to wait for the store (default: 600)")
    p.set_defaults(handler=cmd_publish)

    p = sub.add_parser("new", help="write a record to start from, with every field explained",
                       description="A record to start from, every field explained, placeholders `kg check` rejects until filled.")
    p.add_argument("kind", help="technology, concept, case, organization, source or assessment")
    p.add_argument("id", help="lowercase slug, e.g. acme-order-pipeline")
    p.set_defaults(handler=cmd_new)

    p = sub.add_parser("diff", help="what changed in the graph since a git revision, by entity",
                       description="What changed in the graph since a git revision, by entity.")
    p.add_argument("rev", help="the git revision to compare with, e.g. origin/main or HEAD~1")
    p.add_argument("rev2", nargs="?", help="a second revision (default: the work tree, dirty or not)")
    p.add_argument("--format", choices=["text", "markdown", "json"], default="text",
                   help="text for a terminal, markdown for a pull-request comment, json for tools (default: text)")
    p.set_defaults(handler=cmd_diff)

    p = sub.add_parser("analyze", help="centrality, communities, bridges, and the path between two entities",
                       description="PageRank, communities, bridges between schemes, and the chain of relations linking two entities.")
    p.add_argument("--path", nargs=2, metavar=("FROM", "TO"), help="explain how two entities are related")
    p.add_argument("--top", type=int, default=15, help="how many entities to rank (default: 15)")
    p.set_defaults(handler=cmd_analyze)

    p = sub.add_parser("advise", help="rank technologies for a scenario: decision tree plus weighted score",
                       description="The documents' decision tree and weighted score, per dimension, every input cited.")
    p.add_argument("scenario", help="a concept id from the scenarios scheme, e.g. real-time-stream-processing")
    p.add_argument("--latency-ms", type=float, help="latency bound in milliseconds")
    state = p.add_mutually_exclusive_group()
    state.add_argument("--stateful", action="store_true", help="the workload keeps state")
    state.add_argument("--stateless", action="store_true", help="the workload keeps no state")
    p.add_argument("--scale", choices=["tb", "pb"], help="data scale: terabytes or petabytes")
    p.add_argument("--cost-sensitive", action="store_true", help="cost matters most: follow the decision tree's cost-sensitive branch")
    p.add_argument("--write-heavy", action="store_true", help="the workload is write-heavy: follow the decision tree's write-heavy branch")
    p.add_argument("--weights", help="e.g. functional-fit=0.4,performance=0.3 (others keep the documents' weights)")
    p.add_argument("--format", choices=["text", "json"], default="text", help="text for people, json for tools (default: text)")
    p.set_defaults(handler=cmd_advise)

    p = sub.add_parser("cost", help="rework a cost comparison for your node counts and prices; what its saving assumes",
                       description="Monthly cost from node counts and prices per node, the saving, and which inputs "
                                   "rest on the seed documents alone.")
    p.add_argument("assessment", nargs="?", help="a cost-comparison assessment id (default: every one with node counts)")
    p.add_argument("--nodes", help="node counts to use instead of the graph's, e.g. postgresql=10,apache-cassandra=30")
    p.add_argument("--price", help="monthly USD per node instead of the one the graph's figures imply, e.g. postgresql=1500")
    p.add_argument("--format", choices=["text", "json"], default="text", help="plain text (default) or JSON")
    p.set_defaults(handler=cmd_cost)

    p = sub.add_parser("stats", help="counts of entities, relations, sources and coverage",
                       description="Counts of entities, relations, citations, public-reference coverage and disagreements.")
    p.add_argument("--format", choices=["text", "json"], default="text", help="text for people, json for tools (default: text)")
    p.add_argument("--quality", action="store_true", help="list what a curator should fix")
    p.add_argument("--since", metavar="DUMP", help="an earlier graph dump (.nt, .ttl): list case claims whose public check changed since")
    p.set_defaults(handler=cmd_stats)

    p = sub.add_parser("release", help="versioned, compressed dumps with checksums, a changelog entry and a feed entry",
                       description="Write `build/releases/VERSION/`: the built graph as `stackatlas-VERSION.{nt,ttl,jsonld}.gz`, "
                       "`SHA256SUMS`, the graph diff against the previous release (`changes.json`); add the release to "
                       "`CHANGELOG.md` and to the Atom feed `build/releases/releases.atom`, which the site's Downloads page "
                       "publishes. Builds the graph first when it is older than the corpus.")
    p.add_argument("version", help="the release's version, e.g. 0.2.0 (letters, digits and . + _ -)")
    p.add_argument("--date", help="release date YYYY-MM-DD (default: SOURCE_DATE_EPOCH if set, else today in UTC)")
    p.add_argument("--dry-run", action="store_true", help="print the changelog entry and the checksums; write nothing")
    p.add_argument("--out", help="build folder holding graph/ and releases/ (default: build/)")
    p.set_defaults(handler=cmd_release)

    p = sub.add_parser("track", help="ask package registries for each technology's latest release; update its status",
                       description="For every technology with `packages`, ask its registries' public APIs (PyPI, npm, "
                       "crates.io, Maven Central, Docker Hub, GitHub releases, Artifact Hub) for the latest release; set "
                       "`status` (version, as_of = the release date, a citation to the registry's source record, which is "
                       "written with the address asked and today's date as accessed) and print what changed. A registry "
                       "that does not answer is reported, never guessed; the exit code is then 1.")
    p.add_argument("--dry-run", action="store_true", help="print what would change; write nothing")
    p.add_argument("--only", action="append", default=[], metavar="ID", help="only this technology (repeatable)")
    p.add_argument("--registry", action="append", default=[], metavar="NAME=URL",
                   help="ask another server for a registry, e.g. pypi=http://127.0.0.1:8080 (repeatable)")
    p.add_argument("--timeout", type=float, default=10.0, help="seconds to wait for each answer (default: 10)")
    p.add_argument("--retries", type=int, default=2, help="retries after a timeout, refusal, 429 or 5xx, with backoff (default: 2)")
    p.add_argument("--interval", type=float, default=1.0, help="least seconds between two requests to one host (default: 1)")
    p.set_defaults(handler=cmd_track)

    p = sub.add_parser("cite-check", help="fetch each source's address: dead links, redirects, quotes no longer on the page",
                       description="For every source with a `url`, read the host's robots.txt, fetch the page (timeout, "
                       "retries, a rate limit per host; redirects followed and recorded) and look for the record's `quote` "
                       "in its visible text. Prints a report grouped by outcome (dead, quote-missing, redirected, "
                       "unreachable, robots-disallowed, unreadable, no-quote, ok) with an archived copy from the Wayback "
                       "Machine for pages dead, moved or without their quote, and a summary line; writes the dated checks "
                       "to `corpus/checks/citations.yaml` unless --dry-run. Exit 0 when it ran, whatever it found.")
    p.add_argument("--only", action="append", default=[], metavar="ID", help="only this source (repeatable)")
    p.add_argument("--dry-run", action="store_true", help="print the report; write nothing")
    p.add_argument("--archive-api", default="https://archive.org/wayback/available", metavar="URL",
                   help="the Wayback availability API to ask for archived copies (default: archive.org's)")
    p.add_argument("--timeout", type=float, default=10.0, metavar="S", help="seconds to wait for each answer (default: 10)")
    p.add_argument("--rate", type=float, default=1.0, metavar="R", help="most requests per second to one host (default: 1)")
    p.add_argument("--retries", type=int, default=2, metavar="N",
                   help="retries after a timeout, refusal, 429 or 5xx, with backoff (default: 2)")
    p.add_argument("--jobs", type=int, default=8, metavar="N",
                   help="hosts checked at the same time, each host's pages in turn (default: 8)")
    p.set_defaults(handler=cmd_cite_check)
    return top


def main(argv: list[str] | None = None) -> int:
    """Run one command; whatever stops it ends as one line on stderr and an exit code, never a traceback.

    Problems in records exit 1 after listing them; an OS error (a read-only or
    missing folder, a directory where a file should be) exits 1 naming the
    path; a reader that went away (`kg … | head`) ends the command quietly.
    """
    import os

    from kgtools.records.problems import BuildError
    from kgtools.records.terminal import printable

    def where(error: OSError) -> str:
        names = [n for n in (error.filename, error.filename2) if n is not None]
        shown = []
        for name in names:
            path = Path(os.fsdecode(name))
            try:
                path = path.absolute().relative_to(Path.cwd())
            except (ValueError, OSError):  # outside the working folder, or no working folder any more
                pass
            shown.append(printable(str(path)))
        reason = printable(error.strerror or str(error))
        return f"{' → '.join(shown)}: {reason}" if shown else reason

    try:
        try:
            args = parser().parse_args(argv)
            try:
                return args.handler(args)
            except BuildError as error:
                print("\n".join(printable(line) for line in error.lines))
                print(f"kg {args.command}: the corpus has {len(error.lines)} problem(s); run `kg check`", file=sys.stderr)
                return 1
            except BrokenPipeError:
                raise
            except OSError as error:
                if isinstance(error, FileNotFoundError) and error.errno is None:
                    print(f"kg: {printable(str(error))}", file=sys.stderr)  # kg's own "not found", e.g. no checkout here
                    return 2
                print(f"kg {args.command}: {where(error)}", file=sys.stderr)
                return 1
        finally:
            sys.stdout.flush()  # here, not at exit, so a closed pipe is caught below
    except BrokenPipeError:
        # The reader stopped reading: exit quietly, with stdout on /dev/null so the interpreter's
        # final flush cannot raise again. 141 = 128 + SIGPIPE, as a shell reports it.
        try:
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        except (OSError, ValueError):
            pass
        return 141
    except KeyboardInterrupt:
        return 130


def command_table() -> str:
    """README's table of sub-commands, written from the parser above so the two cannot drift (`cog -r README.md`)."""
    rows = ["| command | does |", "|---|---|"]
    top = parser()
    sub = next(a for a in top._actions if isinstance(a, argparse._SubParsersAction))
    for name, command in sub.choices.items():
        positionals = [a for a in command._actions if not a.option_strings]
        synopsis = " ".join(f"[{a.metavar or a.dest.upper()}…]" if a.nargs == "*" else
                            f"[{a.metavar or a.dest.upper()}]" if a.nargs == "?" else
                            " ".join(a.metavar) if isinstance(a.metavar, tuple) else (a.metavar or a.dest.upper())
                            for a in positionals)
        options = []
        for action in command._actions:
            if not action.option_strings or isinstance(action, argparse._HelpAction):
                continue
            flag = max(action.option_strings, key=len)
            if action.choices:
                flag += " " + "\\|".join(str(c) for c in action.choices)
            elif action.nargs != 0:
                flag += " " + (" ".join(action.metavar) if isinstance(action.metavar, tuple) else action.metavar or action.dest.upper())
            options.append(f"`{flag}`" + (f" {action.help}" if action.help else ""))
        text = (command.description or "").replace("|", "\\|")
        cell = text + ("<br>" + "; ".join(options) if options else "")
        rows.append(f"| `kg {name}{' ' + synopsis if synopsis else ''}` | {cell} |")
    return "\n".join(rows) + "\n"
