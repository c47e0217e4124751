"""`kg serve`: the graph over HTTP, locally (`kg publish`, into an external store, is kgtools.publish over kgtools.query.publish).

It sits above the pipeline because it needs the current graph, which `kgtools.pipeline` decides.

`kg serve` answers at once: the site `kg build` left in `build/site` is served
as static files (a private copy of hard links under `build/`, so refreshes
never touch the build's output), while the rest starts behind it. With no
built site it runs `kg build` first, in a subprocess, and serves a page that
says so. Then `kgtools.site.plugin.live` loads the site into memory and every
change to `corpus/` remakes only the pages it affects. SIGINT and SIGTERM stop
the servers, the build and the watcher, and remove the private copy.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from kgtools.records.project import Project

POLL_SECONDS = 0.2      # how often the watcher looks at the records' sizes and times
PREVIEW_PREFIX = "serve-"  # private copies of the site, under build/


def run_serve(project: Project, host: str, port: int, sparql_port: int, site: bool,
              timeout_s: float, max_results: int) -> int:
    """Serve the site (refreshed as records change) unless `site` is False, and the SPARQL endpoint, until a signal."""
    stop = threading.Event()

    def interrupt(_signal: int, _frame: object) -> None:
        stop.set()
        raise KeyboardInterrupt  # whatever the main thread is doing (compiling the endpoint's graph, waiting) ends now

    previous = {sig: signal.signal(sig, interrupt) for sig in (signal.SIGINT, signal.SIGTERM)}
    preview: Preview | None = None
    server = None
    try:
        if site and (project.root / "mkdocs.yml").is_file():
            preview = Preview(project, host, port, stop).start()
            print(f"site: http://{host}:{preview.port}/ ({preview.describe()})", flush=True)
        # Imported once the site answers: loading the query engine and the pipeline takes a good part of a second.
        import pyoxigraph as ox

        from kgtools.graph.freshness import inputs_signature
        from kgtools.pipeline import current_graph
        from kgtools.query.endpoint import Limits, ReloadingStore, serve_endpoint

        def load() -> ox.Store:
            graph = current_graph(project)
            print(f"kg serve: {graph.origin}", flush=True)
            return graph.store()

        store = ReloadingStore(load, lambda: inputs_signature(project))
        limits = Limits(timeout_s=timeout_s, max_results=max_results)
        server = serve_endpoint(store, host, sparql_port, limits)
        print(f"SPARQL endpoint (read-only): http://{host}:{server.server_address[1]}/sparql", flush=True)
        print(f"  {limits.workers} queries at once ({limits.queue} more waiting), {limits.timeout_s:g} s each; "
              "SERVICE, other host names and web pages refused", flush=True)
        while not stop.wait(3600):
            pass
    except KeyboardInterrupt:
        pass
    finally:
        for sig in previous:
            signal.signal(sig, lambda _n, _f: stop.set())  # a second signal while cleaning up does not cut it short
        if server is not None:
            server.shutdown()
            server.server_close()
        if preview is not None:
            preview.stop()
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    print("kg serve: stopped", flush=True)
    return 0


def _signature(project: Project) -> dict[str, tuple[int, int]]:
    """Size and modification time of every record file (the watcher compares these; content decides the rest)."""
    from kgtools.records.loader import record_files

    out: dict[str, tuple[int, int]] = {}
    for path in record_files(project):
        with contextlib.suppress(OSError):
            info = path.lstat()
            out[str(path)] = (info.st_size, info.st_mtime_ns)
    return out


class Preview:
    """The served site: a static server at once, then the first build if needed, the live site and the watcher."""

    def __init__(self, project: Project, host: str, port: int, stop: threading.Event) -> None:
        from kgtools.site.plugin.static import LiveState, StaticServer

        self.project, self.stop_event = project, stop
        self.built = project.build / "site"
        self.live_state = LiveState()
        self.copy: Path | None = None
        self.build_process: subprocess.Popen[bytes] | None = None
        self.lock = threading.Lock()       # held while a refresh writes into the copy
        self.server = StaticServer(self.built.resolve() if self.built.is_dir() else self.built, host, port, self.live_state)
        self.thread = threading.Thread(target=self._run, name="kg-serve-preview", daemon=True)

    @property
    def port(self) -> int:
        return self.server.port

    def describe(self) -> str:
        if self.built.is_dir():
            return f"the last build, {_shown(self.project, self.built)}; refreshed as records change"
        return "no site built yet: building it now"

    def start(self) -> Preview:
        self.server.start()
        self.thread.start()
        return self

    def stop(self) -> None:
        self.stop_event.set()
        self._stop_build()
        self.server.stop()
        # A refresh under way stops at its next page and lets go of the lock; loading the live site writes nothing
        # and is left to end with the process (its thread is a daemon).
        locked = self.lock.acquire(timeout=15)
        try:
            if self.copy is not None:
                shutil.rmtree(self.copy, ignore_errors=True)
                self.copy = None
        finally:
            if locked:
                self.lock.release()
        self.thread.join(timeout=2)
        self._stop_build()  # in case the thread started it just as the stop came

    def _stop_build(self) -> None:
        process = self.build_process
        if process is not None and process.poll() is None:
            process.send_signal(signal.SIGINT)   # as Ctrl-C: the build discards its staging folders on the way out
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()

    # -- the background thread ---------------------------------------------------------

    def _run(self) -> None:
        try:
            if not self.built.is_dir() and not self._first_build():
                return
            with self.lock:
                if self.stop_event.is_set():
                    return
                self.copy = _linked_copy(self.built.resolve(), self.project.build)
                self.server.serve_from(self.copy)
            self.live_state.bump(None)
            self._watch()
        except Exception as error:  # the site keeps being served as it is; say why it no longer follows the corpus
            if not self.stop_event.is_set():  # (while stopping, the copy it was loading from is being removed)
                print(f"kg serve: the preview stopped following the corpus: {type(error).__name__}: {error}",
                      file=sys.stderr, flush=True)

    def _first_build(self) -> bool:
        """`kg build` in a subprocess (so a signal can stop it); True when it left a site to serve."""
        print("kg serve: no built site yet; running kg build", flush=True)
        if self.stop_event.is_set():
            return False
        # In a session of its own: what it or its tools signal to their process group never reaches kg serve;
        # kg serve forwards the stop itself (_stop_build).
        self.build_process = subprocess.Popen([sys.executable, "-m", "kgtools", "build"], cwd=self.project.root,
                                              start_new_session=True)
        code = self.build_process.wait()
        if self.stop_event.is_set():
            return False
        if code != 0 or not self.built.is_dir():
            print("kg serve: the build failed; fix the records and restart kg serve", file=sys.stderr, flush=True)
            return False
        return True

    def _watch(self) -> None:
        from kgtools.site.plugin.live import LiveSite

        assert self.copy is not None
        started = time.perf_counter()
        live = LiveSite(self.project, self.copy, self.project.graph_dir.resolve(), cancel=self.stop_event)
        print(f"kg serve: live site loaded in {time.perf_counter() - started:.1f} s; watching corpus/", flush=True)
        seen: dict[str, tuple[int, int]] | None = None
        try:
            while not self.stop_event.is_set():
                now = _signature(self.project)
                if now != seen:
                    # The first look checks the whole corpus (the build may be older); then only the files that changed.
                    files = None if seen is None else [Path(p) for p in now.keys() ^ seen.keys() | {
                        p for p in now.keys() & seen.keys() if now[p] != seen[p]} if p in now]
                    self._refresh(live, files, announce=seen is not None)
                    seen = now
                self.stop_event.wait(POLL_SECONDS)
        finally:
            live.close()

    def _refresh(self, live: object, files: list[Path] | None, announce: bool) -> None:
        from kgtools.records.problems import BuildError
        from kgtools.site.plugin.live import Cancelled, LiveSite

        assert isinstance(live, LiveSite)

        def written(paths: list[str]) -> None:
            if paths:
                self.live_state.bump(paths)

        with self.lock:
            if self.stop_event.is_set():
                return
            try:
                result = live.refresh(files or None, on_step=written)
            except BuildError as error:
                for line in error.lines:
                    print(line, flush=True)
                print(f"kg serve: {len(error.lines)} problem(s); the site shows the last good records", flush=True)
                return
            except Cancelled:
                return
            except Exception as error:  # keep watching: the next save may well build
                print(f"kg serve: could not refresh the site: {type(error).__name__}: {error}", file=sys.stderr, flush=True)
                return
        if result.changed or announce:
            names = ", ".join(sorted(_short(iri) for iri in result.changed)[:3]) or "no entity"
            more = f" and {len(result.changed) - 3} more" if len(result.changed) > 3 else ""
            steps = ", ".join(f"{name} {seconds:.1f}" for name, seconds in result.timings.items())
            print(f"kg serve: {names}{more} changed: its pages in {result.first.seconds:.1f} s ({steps}; "
                  f"{len(result.first.paths)} file(s)), {len(result.related.paths)} related in {result.related.seconds:.1f} s, "
                  f"{len(result.rest.paths)} more in {result.rest.seconds:.1f} s", flush=True)


def _short(iri: str) -> str:
    return "/".join(iri.rstrip("/").rsplit("/", 2)[-2:])


def _shown(project: Project, path: Path) -> str:
    return path.relative_to(project.root).as_posix() if path.is_relative_to(project.root) else str(path)


def _linked_copy(source: Path, build: Path) -> Path:
    """`source` as a fresh folder of hard links under `build` (files are replaced, never written in place)."""
    target = Path(tempfile.mkdtemp(prefix=PREVIEW_PREFIX, dir=build))
    try:
        shutil.copytree(source, target, copy_function=_link, dirs_exist_ok=True)
    except BaseException:
        shutil.rmtree(target, ignore_errors=True)
        raise
    return target


def _link(src: str, dst: str) -> None:
    try:
        os.link(src, dst)
    except OSError:  # another file system, or links not allowed: a real copy
        shutil.copy2(src, dst)

