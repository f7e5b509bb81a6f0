"""The preview server over HTTP: pages, proof PDF, sandboxed files, errors with file and line, reload on save."""

from __future__ import annotations

import re
import socket
import struct
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from brochure_press.cli import main
from brochure_press.editor import preview as preview_module
from brochure_press.editor.preview import MAX_CONNECTIONS, PreviewServer
from brochure_press.render import job as job_module

from .conftest import outputs


@pytest.fixture
def server(sample_dir: Path) -> Iterator[PreviewServer]:
    with PreviewServer(sample_dir, 0) as running:
        running.start()
        yield running


def get(server: PreviewServer, path: str, host: str | None = None) -> tuple[int, str, bytes]:
    request = urllib.request.Request(server.url.rstrip("/") + path, headers={"Host": host} if host else {})
    try:
        with urllib.request.urlopen(request, timeout=20) as response:
            return response.status, response.headers["Content-Type"], response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.headers["Content-Type"], exc.read()


def wait_for_page(server: PreviewServer, path: str, text: str, timeout: float = 5.0) -> str:
    """The page at `path` once it shows `text` (a save in place may first show the half-written file)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        page = get(server, path)[2].decode()
        if text in page or text in re.sub(r"<[^>]+>", "", page):
            return page
        time.sleep(0.05)
    raise AssertionError(f"{path} did not show {text!r} within {timeout} s")


def test_index_lists_brochures_and_editions(server: PreviewServer) -> None:
    status, kind, body = get(server, "/")
    page = body.decode()
    assert status == 200 and kind.startswith("text/html")
    assert "Sample leaflet" in page and "نشرة تجريبية" in page
    for edition in ("en", "ar", "bilingual"):
        assert f'href="/view/sample/{edition}"' in page and f'href="/proof/sample/{edition}"' in page
    assert 'new EventSource("/events")' in page


def test_edition_page_is_the_proof_html_with_fonts_navigation_and_reload(server: PreviewServer) -> None:
    page = get(server, "/view/sample/ar")[2].decode()
    assert page.index('<base href="/">') < page.index('href="layouts/base/base.css"')
    assert '@font-face { font-family: "IBM Plex Sans Arabic"; font-weight: 400; font-style: normal; src: url("/fonts/' in page
    assert re.search(r'src: url\("/fonts/IBMPlexSansArabic-Regular\.ttf\?v=\d+"\)', page)
    assert '<html lang="ar" dir="rtl">' in page and "احتفظ بجواز سفرك." in re.sub(r"<[^>]+>", "", page)
    assert 'class="preview-bar"' in page and 'const shown = "0"' in page


def test_project_files_are_served_from_layouts_and_fonts_only(server: PreviewServer) -> None:
    assert get(server, "/layouts/base/base.css")[:2] == (200, "text/css; charset=utf-8")
    assert get(server, "/fonts/NotoSans-Regular.ttf")[:2] == (200, "font/ttf")
    for path in (
        "/brochures/sample.yaml",
        "/layouts/../brochures/sample.yaml",
        "/layouts/%2e%2e/brochures/sample.yaml",
        "/fonts/",
    ):
        assert get(server, path)[0] == 404, path
    assert get(server, "/", host="attacker.example:80")[0] == 403


def test_proof_pdf_is_made_in_memory_or_taken_from_a_current_build(
    server: PreviewServer, sample_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    status, kind, body = get(server, "/pdf/sample/en.pdf")
    assert (status, kind) == (200, "application/pdf") and body.startswith(b"%PDF")
    assert '<iframe title="proof PDF" src="/pdf/sample/en.pdf?v=0"' in get(server, "/proof/sample/en")[2].decode()
    assert not outputs(sample_dir)
    assert main(["--project", str(sample_dir), "build", "--variant", "proof", "--jobs", "1"]) == 0
    laid_out = []
    real = job_module.lay_out
    monkeypatch.setattr(job_module, "lay_out", lambda *args: laid_out.append(args[1]) or real(*args))
    built = sample_dir / "output" / "sample"
    assert get(server, "/pdf/sample/ar.pdf")[2] == (built / "sample.ar.proof.pdf").read_bytes() and not laid_out
    (built / "sample.bilingual.proof.pdf").write_bytes(b"%PDF-1.7 changed by hand")  # not what the build made
    assert get(server, "/pdf/sample/bilingual.pdf")[2].startswith(b"%PDF-1.7\n") and len(laid_out) == 1


def test_a_saved_error_shows_file_and_line_and_the_fix_brings_the_page_back(server: PreviewServer, sample_dir: Path) -> None:
    source = sample_dir / "brochures" / "sample.yaml"
    good = source.read_text()
    source.write_text(good.replace("  - panel: back", "\t- panel: back"))
    page = wait_for_page(server, "/view/sample/en", "brochures/sample.yaml:30:1</code>")
    assert "indent with spaces, not tabs" in page and "<pre>\t- panel: back\n^</pre>" in page
    assert "brochures/sample.yaml:30:1" in get(server, "/")[2].decode()
    source.write_text(good.replace("You have rights.", "You have every right."))
    wait_for_page(server, "/view/sample/en", "You have every right.")


def test_unknown_pages_are_answered_not_crashed(server: PreviewServer) -> None:
    assert "no brochure `nope`" in get(server, "/view/nope/en")[2].decode()
    assert "sample has no `fr` edition" in get(server, "/view/sample/fr")[2].decode()
    assert get(server, "/nothing/here")[0] == 404


def test_event_stream_sends_the_version_and_each_change(server: PreviewServer, sample_dir: Path) -> None:
    with socket.create_connection(("127.0.0.1", server.server_address[1]), timeout=5) as connection:
        connection.sendall(b"GET /events HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
        received = b""
        while b"data: 0\n\n" not in received:
            received += connection.recv(4096)
        source = sample_dir / "brochures" / "sample.yaml"
        source.write_text(source.read_text() + "\n")
        while b"data: 1\n\n" not in received:
            received += connection.recv(4096)
    assert b"text/event-stream" in received


def test_preview_command_reports_a_busy_port(sample_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        assert main(["--project", str(sample_dir), "preview", "--port", str(port)]) == 2
    assert f"cannot serve on port {port}" in capsys.readouterr().err


def test_preview_command_stops_cleanly_on_ctrl_c(
    sample_dir: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    def interrupted(self: PreviewServer) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(preview_module.PreviewServer, "run", interrupted)
    assert main(["--project", str(sample_dir), "preview", "--port", "0"]) == 0
    err = capsys.readouterr().err
    assert "Preview of" in err and "http://127.0.0.1:" in err and "Preview stopped." in err


def test_odd_file_names_are_escaped_in_pages(sample_dir: Path) -> None:
    odd = sample_dir / "brochures" / "a<b>.yaml"
    odd.write_text((sample_dir / "brochures" / "sample.yaml").read_text())
    with PreviewServer(sample_dir, 0) as running:
        running.start()
        index = get(running, "/")[2].decode()
        # Such a name cannot be a brochure id: it is reported as a source that is not read, escaped.
        assert "<b>" not in index and "a&lt;b&gt;.yaml" in index
        page = get(running, "/view/a%3Cb%3E/en")[2].decode()
        assert "a&lt;b&gt;" in page and "<b>" not in page


@pytest.mark.parametrize("port", ["70000", "-1", "http"])
def test_preview_command_refuses_a_port_that_is_not_one(sample_dir: Path, capsys: pytest.CaptureFixture[str], port: str) -> None:
    with pytest.raises(SystemExit) as exited:
        main(["--project", str(sample_dir), "preview", "--port", port])
    assert exited.value.code == 2
    assert "is not a port number (0–65535)" in capsys.readouterr().err


def test_the_web_edition_and_share_cards_are_previewed(server: PreviewServer, sample_dir: Path) -> None:
    index = get(server, "/")[2].decode()
    for link in ("/web/sample/en/index.html", "/web/sample/ar/index.html", "/web/cards/DRAFT-sample.ar.story.png"):
        assert f'href="{link}"' in index
    status, kind, body = get(server, "/web/sample/ar/index.html")
    page = body.decode()
    assert status == 200 and kind.startswith("text/html")
    assert '<html lang="ar" dir="rtl">' in page and 'href="tel:+96525308169"' in page
    assert 'new EventSource("/events")' in page and "; script-src 'sha256-" in page  # the policy stays, allowing reload
    fonts = re.findall(r'url\("\.\./\.\./(fonts/[^"]+\.woff2)"\)', page)
    assert fonts and all(get(server, f"/web/{font}")[:2] == (200, "font/woff2") for font in fonts)
    status, kind, card = get(server, "/web/cards/DRAFT-sample.ar.story.png")
    assert (status, kind, card[:8]) == (200, "image/png", b"\x89PNG\r\n\x1a\n")
    assert get(server, "/web/cards/sample.ar.story.png")[0] == 404  # a draft's card is named DRAFT
    assert get(server, "/web/sample/fr/index.html")[0] == 404
    source = sample_dir / "brochures" / "sample.yaml"
    source.write_text(source.read_text().replace("You have rights.", "You have every right."))
    wait_for_page(server, "/web/sample/en/index.html", "You have every right.")


def test_clients_that_go_away_early_are_quiet_and_connections_are_bounded(
    server: PreviewServer, capfd: pytest.CaptureFixture[str]
) -> None:
    host, port = server.server_address[:2]
    for _ in range(20):  # ask for a page, then hang up before reading it
        with socket.create_connection((str(host), port)) as sock:
            sock.sendall(b"GET /view/sample/ar HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    time.sleep(0.5)
    before = threading.active_count()
    idle = [socket.create_connection((str(host), port)) for _ in range(MAX_CONNECTIONS + 10)]
    try:
        time.sleep(0.5)
        assert threading.active_count() - before <= MAX_CONNECTIONS
    finally:
        for sock in idle:
            sock.close()
    time.sleep(1.0)
    assert get(server, "/")[0] == 200
    err = capfd.readouterr().err
    assert "Traceback" not in err and "BrokenPipe" not in err and "ConnectionReset" not in err


def test_each_save_is_one_line(sample_dir: Path) -> None:
    saves: list[list[str]] = []
    with PreviewServer(sample_dir, 0, on_save=saves.append) as running:
        running.start()
        source = sample_dir / "brochures" / "sample.yaml"
        # Saved as `sed -i` and many editors do: a temporary file beside it, renamed over it.
        temporary = source.with_name("sedL2RNrQ")
        temporary.write_text(source.read_text().replace("You have rights.", "You have many rights."))
        temporary.replace(source)
        deadline = time.monotonic() + 10
        while not saves and time.monotonic() < deadline:
            time.sleep(0.1)
    assert saves == [["sample.yaml"]]
