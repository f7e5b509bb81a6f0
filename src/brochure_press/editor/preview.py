"""Live preview: a web server on 127.0.0.1 that shows the site's pages and reloads them on every save."""

from __future__ import annotations

import contextlib
import mimetypes
import socket
import sys
import threading
import time
from collections.abc import Callable
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

import watchfiles

from brochure_press.core.diagnostics import Diagnostic
from brochure_press.core.terminal import printable
from brochure_press.editor.pages import Site
from brochure_press.editor.webpreview import WEB_PREFIX

HOST = "127.0.0.1"
WATCHED_FOLDERS = ("brochures", "layouts", "fonts")
#: Seconds between keep-alive comments on an idle event stream.
HEARTBEAT = 10.0
#: Connections served at once; a browser opens a handful, the event stream keeps one.
MAX_CONNECTIONS = 32
#: Event streams open at once (one per preview tab): the other slots stay for pages.
MAX_STREAMS = MAX_CONNECTIONS // 2
#: Seconds a connection may stay silent (no request, a half-sent one, an event stream not read) before it is closed.
IDLE_SECONDS = 30.0
FONT_TYPES = {".ttf": "font/ttf", ".otf": "font/otf", ".icc": "application/vnd.iccprofile"}


class _Handler(BaseHTTPRequestHandler):
    server: PreviewServer
    protocol_version = "HTTP/1.1"

    def setup(self) -> None:
        super().setup()
        self.connection.settimeout(self.server.idle_seconds)

    def handle_one_request(self) -> None:
        """Serve one request; until its request line and headers are in, the connection may be closed for a new one."""
        self.server.waiting(self.connection, True)
        super().handle_one_request()

    def parse_request(self) -> bool:
        self.server.waiting(self.connection, False)
        return super().parse_request()

    def log_message(self, format: str, *args: object) -> None:
        pass

    def _send(
        self,
        body: bytes | str,
        content_type: str = "text/html; charset=utf-8",
        status: int = HTTPStatus.OK,
        cache: str = "no-store",
    ) -> None:
        data = body.encode() if isinstance(body, str) else body
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data)))
        self.send_header("Cache-Control", cache)
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self) -> None:
        site = self.server.site
        host = self.headers.get("Host", "")
        if host.rsplit(":", 1)[0] not in (HOST, "localhost"):
            self._send("The preview answers on 127.0.0.1 only.", "text/plain; charset=utf-8", HTTPStatus.FORBIDDEN)
            return
        url = urlsplit(self.path)
        path = url.path
        parts = [unquote(part) for part in path.strip("/").split("/")]
        try:
            if path == "/":
                self._send(site.index())
            elif path == "/events":
                if not self.server.streams.acquire(blocking=False):
                    busy = HTTPStatus.SERVICE_UNAVAILABLE
                    self._send("Too many previews open: close a tab.", "text/plain; charset=utf-8", busy)
                    return
                try:
                    self._events(site)
                finally:
                    self.server.streams.release()
            elif path == "/version":
                self._send(str(site.version), "text/plain")
            elif len(parts) == 3 and parts[0] in ("view", "proof"):
                page = site.edition_page if parts[0] == "view" else site.proof_page
                self._send(page(parts[1], parts[2]))
            elif len(parts) == 3 and parts[0] == "pdf" and parts[2].endswith(".pdf"):
                result = site.pdf(parts[1], parts[2].removesuffix(".pdf"))
                self._send(result, "application/pdf" if isinstance(result, bytes) else "text/html; charset=utf-8")
            elif path.startswith(WEB_PREFIX):
                found = site.web_file(path.removeprefix(WEB_PREFIX))
                if found is None:
                    self._send("Not found in the web edition.", "text/plain; charset=utf-8", HTTPStatus.NOT_FOUND)
                else:
                    self._send(*found)
            elif target := site.static_file(path):
                kind = FONT_TYPES.get(target.suffix) or mimetypes.guess_type(target.name)[0] or "application/octet-stream"
                # Versioned URLs (fonts: ?v=<modification time>) change with the file, so they may be cached.
                cache = "max-age=31536000, immutable" if url.query.startswith("v=") else "no-store"
                self._send(target.read_bytes(), kind + ("; charset=utf-8" if kind.startswith("text/") else ""), cache=cache)
            else:
                self._send("Not found. The preview starts at /.", "text/plain; charset=utf-8", HTTPStatus.NOT_FOUND)
        except (BrokenPipeError, ConnectionResetError):
            pass
        except Exception as exc:  # a page that cannot be made must not stop the server
            problem = Diagnostic(
                "error", "internal", f"{type(exc).__name__}: {exc}", hint="report this; the server keeps running"
            )
            self._send(site.error_page([problem], site.version), status=HTTPStatus.INTERNAL_SERVER_ERROR)

    def _events(self, site: Site) -> None:
        """Server-sent events: the current version now, and again each time it changes."""
        self.send_response(HTTPStatus.OK)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Cache-Control", "no-store")
        self.send_header("Connection", "close")
        self.end_headers()
        self.close_connection = True
        version = site.version
        self.wfile.write(f"retry: 300\ndata: {version}\n\n".encode())
        self.wfile.flush()
        while not site.stopping:
            current = site.wait(version, HEARTBEAT)
            message = f"data: {current}\n\n" if current != version else ": still here\n\n"
            version = current
            self.wfile.write(message.encode())
            self.wfile.flush()


def _kept(path: Path) -> bool:
    """Whether a changed file is one the editor saved, not an editor's temporary file: it is still there (`sed -i`
    and many editors write a temporary file and rename it over the real one), and neither hidden nor a backup."""
    return path.is_file() and not path.name.startswith((".", "#")) and not path.name.endswith(("~", ".swp", ".tmp"))


class PreviewServer(ThreadingHTTPServer):
    """The preview web server on 127.0.0.1, with a watcher that moves the site to a new version on every save.
    At most MAX_CONNECTIONS are served at once, at most MAX_STREAMS of them event streams; a connection idle when
    all are taken is closed for a new one, and a silent one is closed after `idle_seconds`. A browser that goes away
    early is no error."""

    daemon_threads = True
    #: Connections the system holds until they are accepted: a burst (a page's fonts and images) is not dropped.
    request_queue_size = 4 * MAX_CONNECTIONS

    def __init__(
        self,
        root: Path,
        port: int = 8000,
        on_save: Callable[[list[str]], None] | None = None,
        idle_seconds: float = IDLE_SECONDS,
    ) -> None:
        self.site = Site(root)
        self.on_save = on_save
        self.idle_seconds = idle_seconds
        self._slots = threading.BoundedSemaphore(MAX_CONNECTIONS)
        self.streams = threading.BoundedSemaphore(MAX_STREAMS)
        self._lock = threading.Lock()
        self._idle: dict[socket.socket, float] = {}
        self._stop = threading.Event()
        self._watching = threading.Event()
        self._watcher = threading.Thread(target=self._watch, name="preview-watcher", daemon=True)
        self._thread: threading.Thread | None = None
        super().__init__((HOST, port), _Handler)

    def waiting(self, connection: socket.socket, idle: bool) -> None:
        """Note whether a connection is waiting for its next request (then it may be closed to serve another)."""
        with self._lock:
            if idle:
                self._idle[connection] = time.monotonic()
            else:
                self._idle.pop(connection, None)

    def _close_oldest_idle(self) -> None:
        """Close the connection that has waited longest without a request, so that its slot serves a new one."""
        with self._lock:
            oldest = min(self._idle, key=self._idle.__getitem__, default=None)
            if oldest is not None:
                del self._idle[oldest]
        if oldest is not None:
            with contextlib.suppress(OSError):
                oldest.shutdown(socket.SHUT_RDWR)

    def process_request(self, request: Any, client_address: Any) -> None:
        """Serve in a thread of its own while a slot is free; when none is, close the longest idle connection for
        it, and refuse the new one only when every slot is busy serving."""
        if not self._slots.acquire(blocking=False):
            self._close_oldest_idle()
            if not self._slots.acquire(timeout=1.0):
                self.shutdown_request(request)
                return
        self.waiting(request, True)
        super().process_request(request, client_address)

    def process_request_thread(self, request: Any, client_address: Any) -> None:
        try:
            super().process_request_thread(request, client_address)
        finally:
            self.waiting(request, False)
            self._slots.release()

    def handle_error(self, request: Any, client_address: Any) -> None:
        """Connections the browser dropped are ordinary; anything else is told in one line, never a traceback."""
        error = sys.exc_info()[1]
        if not isinstance(error, ConnectionError):
            print(printable(f"preview: a request failed: {type(error).__name__}: {error}"), file=sys.stderr)

    @property
    def url(self) -> str:
        return f"http://{HOST}:{self.server_address[1]}/"

    def _watch(self) -> None:
        folders = [self.site.root / name for name in WATCHED_FOLDERS if (self.site.root / name).is_dir()]
        # Idle timeouts yield an empty set: the first one tells that the folders are being watched.
        changes_seen = watchfiles.watch(
            *folders, stop_event=self._stop, step=50, debounce=400, rust_timeout=200, yield_on_timeout=True
        )
        for changes in changes_seen:
            self._watching.set()
            if changes:
                self.site.bump()
                saved = sorted({Path(path).name for _, path in changes if _kept(Path(path))})
                if self.on_save is not None and saved:
                    self.on_save(saved)

    def start(self) -> None:
        """Watch and serve in background threads (`close` stops both)."""
        self._watcher.start()
        self._thread = threading.Thread(target=self.serve_forever, name="preview-server", daemon=True)
        self._thread.start()
        self._watching.wait(timeout=5)

    def run(self) -> None:
        """Watch in the background and serve in this thread until interrupted."""
        self._watcher.start()
        self.serve_forever()

    def close(self) -> None:
        """Stop serving and watching; open event streams end."""
        self._stop.set()
        self.site.stop()
        if self._thread is not None:
            self.shutdown()
            self._thread.join(timeout=5)
        self.server_close()
        if self._watcher.is_alive():
            self._watcher.join(timeout=5)

    def __enter__(self) -> PreviewServer:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
