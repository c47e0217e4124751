"""`kg build`: the whole pipeline, as a list of steps.

Outputs are written into fresh folders and published atomically at the end of
each step, so a failure anywhere leaves the previous `build/` as it was.
"""

from __future__ import annotations

import sys
from pathlib import Path

from kgtools import atomic
from kgtools.dumps import canonical_ntriples, write_dumps
from kgtools.graph import BuildError, compile_project
from kgtools.paths import Project
from kgtools.void import describe


def build_graph(project: Project, out: Path) -> dict[str, int]:
    """Check → compile → SHACL → dumps + VoID, published to `out/graph`."""
    compiled = compile_project(project)                      # 1. check records, compile, validate shapes
    target = out / "graph"
    atomic.sweep(target)                                     # 2. forget versions a killed build left behind
    staging = atomic.staging_dir(target)
    try:
        write_dumps(compiled.ntriples, staging)  # 3. deterministic dumps
        void = describe(compiled.triples)                      # 4. the dataset's own description
        write_dumps(canonical_ntriples(void), staging, name="void")
        for stray in ("void.nt", "void.jsonld"):
            (staging / stray).unlink()
        atomic.publish(staging, target)                      # 5. swap in the new version at once
    except BaseException:
        atomic.discard(staging)
        raise
    return {"triples": len(compiled), "records": len(compiled.checked.corpus.records)}


def build(project: Project, site: bool = True, out: Path | None = None) -> int:
    """Run the build; print every problem and return 1 if anything is wrong."""
    out = out or project.build
    try:
        counts = build_graph(project, out)
        print(f"graph: {counts['records']} records → {counts['triples']} triples → {out / 'graph'}")
        if site:
            from kgtools.site.build import build_site

            pages = build_site(project, out)
            print(f"site: {pages} pages → {out / 'site'}")
    except BuildError as error:
        for line in error.lines:
            print(line)
        print(f"build failed: {len(error.lines)} problem(s); previous output left unchanged", file=sys.stderr)
        return 1
    return 0
