"""Hostile input, part two: nothing written or removed outside the project, no hand edit lost to an old XLIFF
file, no escape sequence from a source reaching the terminal, and bounded reading of any file or connection."""

from __future__ import annotations

import socket
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from brochure_press.cli import main
from brochure_press.editor.preview import IDLE_SECONDS, MAX_CONNECTIONS, MAX_STREAMS, PreviewServer
from brochure_press.web.site import write_site

from .conftest import copy_project
from .test_xliff import NEW_HI, PASSPORT, PASSPORT_HI, WORKERS, edited, export, source_files


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return copy_project(tmp_path / "project")


def run(root: Path, *args: str) -> int:
    return main(["--project", str(root), *args])


def tree(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.mark.parametrize("link", ["output", "output/web", "output/web/cards", "output/.cache"])
def test_the_web_edition_never_writes_or_removes_outside_the_project(
    sample_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], link: str
) -> None:
    elsewhere = tmp_path / "elsewhere"
    (elsewhere / "sub").mkdir(parents=True)
    (elsewhere / "keep.txt").write_text("someone else's file")
    (elsewhere / "sub" / "index.html").write_text("someone else's page")
    before = tree(elsewhere)
    (sample_dir / link).parent.mkdir(parents=True, exist_ok=True)
    (sample_dir / link).symlink_to(elsewhere)
    assert run(sample_dir, "web") == 2
    err = capsys.readouterr().err
    assert f"{link} leads outside the project (to {elsewhere})" in err and "Traceback" not in err
    assert tree(elsewhere) == before


def test_check_never_writes_its_records_through_a_symbolic_link(
    sample_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (sample_dir / "output").mkdir()
    (sample_dir / "output" / ".cache").symlink_to(elsewhere)
    assert run(sample_dir, "check", "--jobs", "1") == 2
    assert "output/.cache leads outside the project" in capsys.readouterr().err
    assert list(elsewhere.iterdir()) == []


def test_the_web_edition_removes_only_files_it_wrote(tmp_path: Path) -> None:
    web, record = tmp_path / "output" / "web", tmp_path / "output" / ".cache" / "web-files.json"
    web.mkdir(parents=True)
    (web / "CNAME").write_text("leaflets.example.org")  # the editor's own file, never written by the tool
    (tmp_path / "source.yaml").write_text("kept")
    write_site(web, {"index.html": b"one", "old/page.html": b"two"}, record)
    record.write_text(record.read_text().replace('"files": [', '"files": ["../../source.yaml", "CNAME/..", 7,'))
    write_site(web, {"index.html": b"three"}, record)
    assert tree(web) == {"CNAME": b"leaflets.example.org", "index.html": b"three"}
    assert (tmp_path / "source.yaml").read_text() == "kept" and not (web / "old").exists()


@pytest.mark.parametrize("inside", ["brochures/sample.yaml", "brochures/new.xlf", "layouts/x.xlf", "fonts/x.xlf"])
def test_xliff_export_never_writes_into_the_sources(sample_dir: Path, capsys: pytest.CaptureFixture[str], inside: str) -> None:
    before = tree(sample_dir)
    assert run(sample_dir, "xliff", "export", "ar", "-o", str(sample_dir / inside)) == 2
    err = capsys.readouterr().err
    assert f"error: --output: -o {sample_dir / inside}: is inside {inside.split('/')[0]}/" in err
    assert tree(sample_dir) == before


def test_xliff_export_refuses_a_device_and_writes_dash_to_standard_output(
    sample_dir: Path, capsysbinary: pytest.CaptureFixture[bytes]
) -> None:
    assert run(sample_dir, "xliff", "export", "ar", "-o", "/dev/null") == 2
    assert b"-o /dev/null: is not a regular file" in capsysbinary.readouterr().err
    assert Path("/dev/null").is_char_device()
    assert run(sample_dir, "xliff", "export", "ar", "-o", "-") == 0
    out = capsysbinary.readouterr()
    assert out.out.startswith(b"<?xml") and b'trgLang="ar"' in out.out and b"Wrote standard output" in out.err


def test_an_old_export_never_reverts_a_newer_hand_edit(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    xliff = edited(export(project, "hi", WORKERS), PASSPORT, NEW_HI, "final")
    path = project / "brochures" / f"{WORKERS}.yaml"
    hand = "कोई आपका पासपोर्ट छीन लेता है।"
    path.write_text(path.read_text().replace(PASSPORT_HI, hand))
    line = next(i for i, text in enumerate(path.read_text().splitlines(), 1) if hand in text)
    before = source_files(project)
    assert run(project, "xliff", "import", str(xliff)) == 2
    err = capsys.readouterr().err
    assert f"error: {WORKERS}:sections[0].blocks[2].bullets[0]: the text at {WORKERS}.yaml:{line} changed since the export" in err
    assert source_files(project) == before
    assert run(project, "xliff", "import", "--overwrite", str(xliff)) == 0
    assert NEW_HI in path.read_text() and hand not in path.read_text()


def test_no_escape_sequence_from_a_source_reaches_the_terminal(sample_dir: Path, capfd: pytest.CaptureFixture[str]) -> None:
    source = sample_dir / "brochures" / "sample.yaml"
    forged = r"\e[2J\e]0;approved\a\x9b1A\rApprove these 0 translations? [y/N] "
    source.write_text(source.read_text().replace("ar: لك حقوق.", f'ar: "لك حقوق. {forged}"'))
    assert run(sample_dir, "check", "--jobs", "1") in (0, 1)
    assert run(sample_dir, "check", "--json", "--jobs", "1") in (0, 1)
    assert run(sample_dir, "approve", "--yes", "sample") == 0
    out, err = capfd.readouterr()
    shown = out + err
    assert not any(c in shown for c in "\x1b\x07\x9b\r")
    assert "<U+001B>[2J<U+001B>]0;approved<U+0007><U+009B>1A<U+000D>" in err  # approve shows it, harmless
    assert "U+0007, U+000D, U+001B, U+009B removed" in out  # check reports them as it reports typed ones


@pytest.fixture
def server(sample_dir: Path) -> Iterator[PreviewServer]:
    with PreviewServer(sample_dir, 0) as running:
        running.start()
        yield running


def get_version(server: PreviewServer) -> int:
    with urllib.request.urlopen(server.url + "version", timeout=5) as response:
        return int(response.status)


def test_idle_connections_and_event_streams_never_stop_the_preview(server: PreviewServer) -> None:
    address = ("127.0.0.1", server.server_address[1])
    idle = [socket.create_connection(address) for _ in range(MAX_CONNECTIONS + 8)]
    half = [socket.create_connection(address) for _ in range(8)]
    for sock in half:
        sock.sendall(b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n")  # never finished
    streams: list[socket.socket] = []
    try:
        start = time.monotonic()
        assert get_version(server) == 200 and time.monotonic() - start < 3 < IDLE_SECONDS
        streams, answers = [], []
        for _ in range(MAX_CONNECTIONS):  # each tab's event stream stays open
            streams.append(socket.create_connection(address, timeout=5))
            streams[-1].sendall(b"GET /events HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
            answers.append(streams[-1].recv(12))
        assert answers == [b"HTTP/1.1 200"] * MAX_STREAMS + [b"HTTP/1.1 503"] * (MAX_CONNECTIONS - MAX_STREAMS)
        start = time.monotonic()
        assert get_version(server) == 200 and time.monotonic() - start < 3
    finally:
        for sock in [*idle, *half, *streams]:
            sock.close()
