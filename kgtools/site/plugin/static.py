"""`kg serve`'s web server: the built site as static files on loopback, with a reload script in every page.

It answers from the first moment (the site `kg build` left, or a page saying
it is being built), never runs MkDocs itself, and tells open pages to reload:
each HTML page gets a small script that asks `/__live?since=N` every second
for the refresh counter and the pages written since refresh N, and reloads
when its own page is among them (or the whole site was replaced). Only `kg serve` adds the script; the built files stay as they are.
"""

from __future__ import annotations

import json
import threading
from functools import partial
from http import HTTPStatus
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

LIVE_PATH = "/__live"
# Polls the refresh counter; reloads when the page's own file (or everything, "*") was written since it loaded.
RELOAD_SCRIPT = b"""<script>(function(){var seen=null;function poll(){fetch("/__live"+(seen===null?"":"?since="+seen),
{cache:"no-store"}).then(function(r){return r.json()}).then(function(s){if(seen!==null&&s.version!==seen){
var here=decodeURIComponent(location.pathname.replace(/^\\//,""));if(here===""||/\\/$/.test(here)){here+="index.html"}
if(s.all||s.pages.indexOf(here)>=0){location.reload();return}}seen=s.version}).catch(function(){})
.then(function(){setTimeout(poll,1000)})}poll()})();</script>"""
WAITING_PAGE = """<!doctype html><html><head><meta charset="utf-8"><title>Stack Atlas: building…</title></head>
<body><p>kg serve: the site is being built (first build); this page reloads when it is ready.</p></body></html>"""


class LiveState:
    """The refresh counter open pages poll, and which site-relative pages each recent refresh wrote."""

    KEEP = 200   # refreshes remembered; a page asking about older ones reloads to be safe

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.version = 0
        self._written: dict[int, list[str] | None] = {}

    def bump(self, pages: list[str] | None) -> None:
        """A refresh wrote `pages` (None: the whole site changed)."""
        with self._lock:
            self.version += 1
            self._written[self.version] = sorted({p for p in pages if p.endswith(".html")}) if pages is not None else None
            self._written.pop(self.version - self.KEEP, None)

    def snapshot(self, since: int | None = None) -> dict[str, Any]:
        """The counter, and the pages written after refresh `since` (`all` when that cannot be said page by page)."""
        with self._lock:
            if since is None or since >= self.version:
                return {"version": self.version, "all": False, "pages": []}
            written = [self._written.get(v, None) for v in range(since + 1, self.version + 1)]
            if any(w is None for w in written):
                return {"version": self.version, "all": True, "pages": []}
            return {"version": self.version, "all": False, "pages": sorted({p for w in written for p in w or []})}


class _Handler(SimpleHTTPRequestHandler):
    live: LiveState
    root: list[Path]     # one item, replaced when the served folder changes

    def log_message(self, format: str, *args: Any) -> None:
        return

    def translate_path(self, path: str) -> str:
        self.directory = str(self.root[0])
        return super().translate_path(path)

    def do_GET(self) -> None:
        self._answer(head=False)

    def do_HEAD(self) -> None:
        self._answer(head=True)

    def _answer(self, head: bool) -> None:
        path = urlsplit(self.path).path
        if path == LIVE_PATH:
            since = parse_qs(urlsplit(self.path).query).get("since", [""])[0]
            snapshot = self.live.snapshot(int(since) if since.isdigit() else None)
            self._send(json.dumps(snapshot).encode("utf-8"), "application/json", head)
            return
        if not self.root[0].is_dir():
            self._send(WAITING_PAGE.encode("utf-8") + RELOAD_SCRIPT, "text/html; charset=utf-8", head)
            return
        local = Path(self.translate_path(self.path))
        if local.is_dir() and path.endswith("/"):
            local = local / "index.html"
        if local.suffix == ".html" and local.is_file():
            try:
                body = local.read_bytes()
            except OSError:
                self.send_error(HTTPStatus.NOT_FOUND)
                return
            self._send(_with_script(body), "text/html; charset=utf-8", head)
            return
        super().do_HEAD() if head else super().do_GET()

    def _send(self, body: bytes, content_type: str, head: bool) -> None:
        self.send_response(HTTPStatus.OK)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if not head:
            self.wfile.write(body)

    def end_headers(self) -> None:
        self.send_header("Cache-Control", "no-store")
        super().end_headers()


def _with_script(body: bytes) -> bytes:
    """The page with the reload script before `</body>` (or at the end)."""
    at = body.rfind(b"</body>")
    return body + RELOAD_SCRIPT if at < 0 else body[:at] + RELOAD_SCRIPT + body[at:]


class StaticServer:
    """A threaded HTTP server over `root` on (host, port), in a thread of its own."""

    def __init__(self, root: Path, host: str, port: int, live: LiveState) -> None:
        self.root = [root]
        handler = type("Handler", (_Handler,), {"live": live, "root": self.root})
        self.httpd = ThreadingHTTPServer((host, port), partial(handler, directory=str(root)))
        self.httpd.daemon_threads = True
        self.thread = threading.Thread(target=self.httpd.serve_forever, name="kg-serve-site", daemon=True)

    @property
    def port(self) -> int:
        return int(self.httpd.server_address[1])

    def serve_from(self, root: Path) -> None:
        self.root[0] = root

    def start(self) -> StaticServer:
        self.thread.start()
        return self

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
        self.thread.join(timeout=5)
