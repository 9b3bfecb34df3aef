"""The server of ``cidlib edit``: the editor's page and its JSON API, on 127.0.0.1 only.

Python's own :mod:`http.server` serves it: the editor has one user on one machine, one page
and six small JSON requests (the seven addresses below), so a web framework would add a
dependency and nothing it needs.
What a loopback server does need, it does here: it listens on 127.0.0.1 only, on a free
port chosen by the system; every address carries a token drawn for the run
(``http://127.0.0.1:PORT/TOKEN/``), and requests without it are refused, as are requests
naming another host (DNS rebinding) or posted from another origin; bodies are small JSON
only; responses forbid caching, framing and any request the page did not come with. Edits
run one at a time (a lock), in threads, so that a browser's idle connections never stall
the editor. Only the edited file is ever written, whole or not at all.

The API (every path below ``/TOKEN/``)::

    GET  ./                 the page
    GET  api/state          the diagram as the page shows it: {svg, data, state}
    POST api/edit           {"op": ..., ...}: apply an edit (see cidlib.web.session)
    POST api/undo, api/redo
    POST api/save           {"force": false}
    GET  api/export?format=tikz|dot|json&decision=ID   {name, text}

Answers are JSON ``{"ok": true, ...}``; a refused edit or save is ``{"ok": false, "error":
...}`` with the library's message (status 200: the request itself worked), a malformed
request status 400, a request without the token, or from another host or origin, 403.
"""

from __future__ import annotations

import hmac
import json
import secrets
import sys
import threading
import webbrowser
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from importlib import resources
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

from cidlib.exceptions import CidlibError
from cidlib.render.html import CSP, document, fragment, page_data
from cidlib.web.session import EditSession

__all__: list[str] = []  # internal: the command line starts it (cidlib edit FILE)

MAX_BODY = 2**20
"""Bytes of a request body; an edit is a few hundred."""
HEADERS = {
    "Cache-Control": "no-store",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
    "Content-Security-Policy": (
        "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; "
        "img-src data: blob:; connect-src 'self'; base-uri 'none'; form-action 'none'; "
        "frame-ancestors 'none'"),
}


def web_asset(name: str) -> str:
    """Return the text of a file of ``cidlib/web/assets``."""
    return (resources.files("cidlib.web") / "assets" / name).read_text(encoding="utf-8")


class BadRequestError(Exception):
    """A request the editor cannot read: answered with status 400 and the message."""


class _ForeignOriginError(Exception):
    """A request posted from another origin: answered with status 403 and the message."""


class EditorServer(ThreadingHTTPServer):
    """The HTTP server of one edit session, on 127.0.0.1 and a free port."""

    daemon_threads = True

    def __init__(self, session: EditSession, port: int = 0, *, debug: bool = False) -> None:
        super().__init__(("127.0.0.1", port), Handler)
        self.session = session
        self.token = secrets.token_urlsafe(18)
        self.lock = threading.Lock()
        self.debug = debug
        self.hosts = {f"127.0.0.1:{self.server_port}", f"localhost:{self.server_port}"}

    @property
    def url(self) -> str:
        """The page's address, with the token."""
        return f"http://127.0.0.1:{self.server_port}/{self.token}/"

    def page(self) -> str:
        """Return the editor's page."""
        session = self.session
        file = session.state()["file"]
        body = fragment(
            [session.panel], session.style, uid="cidlib-editor", name=Path(file).stem,
            heading=f"Editing {file}",
            extra_bar=web_asset("bar.html"),
            extra_side=('<section class="cv-box ed-message" role="alert" hidden></section>',
                        web_asset("side.html")),
            script=web_asset("editor.js"))
        return document(f"{file} — cidlib editor", body,
                        web_asset("editor.css"), CSP + "; connect-src 'self'")

    def view(self, message: str = "") -> dict[str, Any]:
        """Return the diagram as the page shows it, and the tool bar's state."""
        session = self.session
        data = page_data([session.panel], session.style,
                         name=Path(session.state()["file"]).stem)
        return {"ok": True, "svg": session.panel.svg, "data": data, "state": session.state(),
                "message": message}


class Handler(BaseHTTPRequestHandler):
    """One request to the editor."""

    server: EditorServer
    server_version = "cidlib-editor"
    sys_version = ""

    def log_message(self, format: str, *args: Any) -> None:
        """Say nothing: the terminal shows the address and errors only."""

    def _send(self, status: HTTPStatus, body: str, kind: str) -> None:
        data = body.encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(data)))
        for key, value in HEADERS.items():
            self.send_header(key, value)
        self.end_headers()
        self.wfile.write(data)

    def _json(self, status: HTTPStatus, doc: dict[str, Any]) -> None:
        self._send(status, json.dumps(doc), "application/json; charset=utf-8")

    def _refuse(self, status: HTTPStatus, message: str) -> None:
        self._json(status, {"ok": False, "error": message})

    def _route(self) -> tuple[str, str] | None:
        """Return the path below the token and the query, or None if the request is refused."""
        if self.headers.get("Host", "") not in self.server.hosts:
            self._refuse(HTTPStatus.FORBIDDEN, "this editor answers requests to 127.0.0.1 only")
            return None
        url = urlsplit(self.path)
        parts = url.path.split("/", 2)
        token = parts[1] if len(parts) > 1 else ""
        if not hmac.compare_digest(token.encode(), self.server.token.encode()):
            self._refuse(HTTPStatus.FORBIDDEN, "open the address that cidlib edit printed: it "
                         "holds this run's token")
            return None
        if len(parts) == 2:  # /TOKEN without the slash: the page's links need it
            self.send_response(HTTPStatus.MOVED_PERMANENTLY)
            self.send_header("Location", f"/{token}/")
            self.send_header("Content-Length", "0")
            self.end_headers()
            return None
        return parts[2], url.query

    def _body(self) -> Any:
        origin = self.headers.get("Origin")
        if origin is not None and origin.removeprefix("http://") not in self.server.hosts:
            raise _ForeignOriginError(f"requests from {origin} are refused")
        kind = self.headers.get("Content-Type", "").split(";")[0].strip()
        if kind != "application/json":
            raise BadRequestError("send the request as application/json")
        try:
            length = int(self.headers.get("Content-Length", ""))
        except ValueError:
            raise BadRequestError("the request has no Content-Length") from None
        if not 0 <= length <= MAX_BODY:
            raise BadRequestError(f"the request has {length:,} bytes; at most {MAX_BODY:,} are "
                                  "read")
        raw = self.rfile.read(length)
        try:
            return json.loads(raw.decode("utf-8"))
        except (UnicodeDecodeError, ValueError) as err:
            raise BadRequestError(f"the request is not JSON: {err}") from None

    def do_GET(self) -> None:
        """Serve the page, the state and exports."""
        self._handle("GET")

    def do_POST(self) -> None:
        """Apply an edit, undo, redo or save."""
        self._handle("POST")

    def _handle(self, method: str) -> None:
        route = self._route()
        if route is None:
            return
        try:
            with self.server.lock:
                self._answer(method, *route)
        except _ForeignOriginError as err:
            self._refuse(HTTPStatus.FORBIDDEN, str(err))
        except BadRequestError as err:
            self._refuse(HTTPStatus.BAD_REQUEST, str(err))
        except CidlibError as err:  # the request worked; the edit is refused, and why
            self._refuse(HTTPStatus.OK, str(err))
        except Exception as err:  # a bug: answer, keep serving, and say so on the terminal
            if self.server.debug:
                raise
            print(f"cidlib edit: internal error: {type(err).__name__}: {err} (please report "
                  "it; --debug shows the traceback)", file=sys.stderr)
            self._refuse(HTTPStatus.INTERNAL_SERVER_ERROR,
                         f"internal error in cidlib: {type(err).__name__}: {err}")

    def _answer(self, method: str, path: str, query: str) -> None:
        session = self.server.session
        if method == "GET" and path == "":
            self._send(HTTPStatus.OK, self.server.page(), "text/html; charset=utf-8")
        elif method == "GET" and path == "api/state":
            self._json(HTTPStatus.OK, self.server.view())
        elif method == "GET" and path == "api/export":
            fields = parse_qs(query)
            fmt = fields.get("format", [""])[0]
            decision = fields.get("decision", [None])[0]
            name, text = session.export(fmt, decision)
            self._json(HTTPStatus.OK, {"ok": True, "name": name, "text": text})
        elif method == "POST" and path in ("api/edit", "api/undo", "api/redo", "api/save"):
            body = self._body()
            if path == "api/edit":
                done = session.apply(body)
            elif path == "api/save":
                force = isinstance(body, dict) and body.get("force") is True
                done = session.save(force=force)
            else:
                done = session.undo() if path == "api/undo" else session.redo()
            self._json(HTTPStatus.OK, self.server.view(done))
        elif path in ("", "api/state", "api/export", "api/edit", "api/undo", "api/redo",
                      "api/save"):
            self._refuse(HTTPStatus.METHOD_NOT_ALLOWED, f"{method} is not used on /{path}")
        else:
            self._refuse(HTTPStatus.NOT_FOUND, f"no such page: /{path}")


def serve(path: str, *, port: int = 0, open_browser: bool = True, debug: bool = False) -> None:
    """Edit ``path`` in the browser until interrupted (Ctrl+C).

    The file is read (or, if missing, started empty) before the server starts, so a file the
    editor cannot read fails at once, with the library's message.
    """
    session = EditSession(path)
    server = EditorServer(session, port, debug=debug)
    print(f"cidlib edit: editing {path} at {server.url}\n"
          "(open that address in a browser; Ctrl+C stops the editor)", flush=True)
    if open_browser:
        webbrowser.open(server.url)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
    if session.dirty:
        print(f"cidlib edit: stopped with unsaved changes; {path} is as last saved",
              file=sys.stderr)
