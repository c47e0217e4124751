"""Model checking the atlas's Promela models with SPIN: verify a claim, and show the counterexample when it fails.

Why SPIN (Debian's `spin`) and not a hand-written checker: the documents name
SPIN (000 §5) and a real model checker's verdict is what a reader can trust
and reproduce. Each run generates the verifier (`spin -a`), compiles it with
the C compiler, searches for acceptance cycles (`pan -a`, which covers both
safety and liveness LTL claims), and on a violation replays the trail
(`spin -t -p`) so the page can show the steps that break the property.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

PROMELA = Path(__file__).parent / "promela"
TIMEOUT = 120  # seconds per step; the models here take well under one


class SpinUnavailable(RuntimeError):
    """spin or a C compiler is not on PATH."""


@dataclass(frozen=True)
class Verdict:
    model: str
    claim: str
    defines: tuple[str, ...]
    errors: int
    states: int
    output: str
    trail: str          # the counterexample's steps, when there is one

    @property
    def holds(self) -> bool:
        return self.errors == 0

    @property
    def defects_text(self) -> str:
        return " -D".join(self.defines)


def tools() -> tuple[str, str]:
    spin, cc = shutil.which("spin"), shutil.which("cc") or shutil.which("gcc")
    if spin is None or cc is None:
        raise SpinUnavailable("model checking needs SPIN and a C compiler: `apt-get install spin gcc`")
    return spin, cc


def _run(args: list[str], cwd: Path) -> str:
    result = subprocess.run(args, cwd=cwd, capture_output=True, text=True, timeout=TIMEOUT, check=False)  # noqa: S603
    return result.stdout + result.stderr


def verify(model: str, claim: str, defines: tuple[str, ...] = ()) -> Verdict:
    """Check LTL `claim` of `promela/<model>.pml`, compiled with `defines` (e.g. a broken variant's switch)."""
    spin, cc = tools()
    source = PROMELA / f"{model}.pml"
    flags = [f"-D{d}" for d in defines]
    with tempfile.TemporaryDirectory(prefix="spin-") as tmp:
        work = Path(tmp)
        shutil.copyfile(source, work / source.name)
        generated = _run([spin, *flags, "-a", source.name], work)
        if not (work / "pan.c").is_file():
            raise RuntimeError(f"spin -a failed for {source.name}:\n{generated}")
        compiled = _run([cc, "-O2", *flags, "-o", "pan", "pan.c"], work)
        if not (work / "pan").is_file():
            raise RuntimeError(f"compiling the verifier for {source.name} failed:\n{compiled}")
        output = _run(["./pan", "-a", "-N", claim], work)
        match = re.search(r"errors: (\d+)", output)
        if match is None:
            raise RuntimeError(f"pan gave no verdict for {source.name} / {claim}:\n{output}")
        states = re.search(r"(\d+) states, stored", output)
        trail = ""
        if int(match.group(1)) and (work / f"{source.name}.trail").is_file():
            trail = _run([spin, *flags, "-t", "-p", "-g", source.name], work)
        return Verdict(model, claim, defines, int(match.group(1)), int(states.group(1)) if states else 0, output, trail)


def steps(trail: str) -> list[str]:
    """The numbered steps of a replayed trail, without SPIN's bookkeeping lines."""
    return [line.strip() for line in trail.splitlines() if re.match(r"\s*\d+:\s+proc", line)]


TRAILS = PROMELA / "trails"


def trail_file(model: str, claim: str, defect: str) -> Path:
    """Where the counterexample of a broken variant is kept for the site (`python -m kgtools.models.spin`)."""
    return TRAILS / f"{model}--{claim}--{defect}.txt"


def render_trail(verdict: Verdict) -> str:
    """The counterexample as a reader sees it: SPIN's replayed steps, then the variables at the end."""
    lines = steps(verdict.trail)
    final = [line.strip() for line in verdict.trail.split("#processes", 1)[-1].splitlines()[1:]
             if re.match(r"\s+[a-z_]+ = ", line)]
    return "\n".join([f"spin -D{verdict.defects_text} -t -p {verdict.model}.pml   # claim {verdict.claim}",
                      *lines, "-- at the end --", *final]) + "\n"


def write_trails(claims: list[tuple[str, str, str]]) -> list[Path]:
    """Run SPIN on each broken variant and keep its counterexample (what the tests compare against)."""
    TRAILS.mkdir(exist_ok=True)
    written = []
    for model, claim, defect in claims:
        path = trail_file(model, claim, defect)
        path.write_text(render_trail(verify(model, claim, (defect,))), encoding="utf-8")
        written.append(path)
    return written


def recorded_claims(root: Path) -> list[tuple[str, str, str | None, bool]]:
    """(model file stem, claim, defect, recorded verdict) for every claim of every model-check record under `root`."""
    import yaml

    out = []
    for path in sorted((root / "corpus" / "models").glob("*.yaml")):
        record = yaml.safe_load(path.read_text(encoding="utf-8"))
        if record.get("type") == "model-check":
            stem = Path(record["code"]).stem
            out.extend((stem, c["name"], c.get("defect"), c["holds"]) for c in record["claims"])
    return out


def main() -> None:
    """`python -m kgtools.models.spin`: refresh the kept counterexamples of every broken variant the records name."""
    root = PROMELA.parents[2]
    broken = [(m, c, d) for m, c, d, holds in recorded_claims(root) if d is not None and not holds]
    for written in write_trails(broken):
        print(written.relative_to(root))


if __name__ == "__main__":
    main()
