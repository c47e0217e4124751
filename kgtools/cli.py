"""The `kg` command line: one sub-command per job, each a thin wrapper over a module."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path

from kgtools.paths import find_project
from kgtools.problems import render

Handler = Callable[[argparse.Namespace], int]


def cmd_check(args: argparse.Namespace) -> int:
    from kgtools.check import check

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
    from kgtools.build import build

    return build(find_project(), site=not args.graph_only, out=Path(args.out) if args.out else None)


def cmd_query(args: argparse.Namespace) -> int:
    from kgtools.query import run_query_command

    return run_query_command(find_project(), args.query, args.format, args.endpoint)


def cmd_stats(args: argparse.Namespace) -> int:
    from kgtools.stats import run_stats_command

    return run_stats_command(find_project(), args.format)


def parser() -> argparse.ArgumentParser:
    top = argparse.ArgumentParser(prog="kg", description="Stack Atlas: records → knowledge graph → queries and site.")
    sub = top.add_subparsers(dest="command", required=True)

    p = sub.add_parser("check", help="validate records; every problem at once")
    p.add_argument("files", nargs="*", help="check just these record files (against the whole corpus)")
    p.add_argument("--format", choices=["text", "github", "json"], default="text")
    p.set_defaults(handler=cmd_check)

    p = sub.add_parser("build", help="check, compile the graph, write dumps and the site")
    p.add_argument("--graph-only", action="store_true", help="stop after the graph dumps")
    p.add_argument("--out", help="build folder (default: build/)")
    p.set_defaults(handler=cmd_build)

    p = sub.add_parser("query", help="run SPARQL: a file, a saved query's name, or - for stdin")
    p.add_argument("query")
    p.add_argument("--format", choices=["table", "csv", "json"], default="table")
    p.add_argument("--endpoint", help="query a remote SPARQL endpoint instead of the local graph")
    p.set_defaults(handler=cmd_query)

    p = sub.add_parser("stats", help="counts of entities, relations, sources and coverage")
    p.add_argument("--format", choices=["text", "json"], default="text")
    p.set_defaults(handler=cmd_stats)
    return top


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        return args.handler(args)
    except FileNotFoundError as error:
        print(f"kg: {error}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
