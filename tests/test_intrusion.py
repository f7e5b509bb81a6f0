"""Hostile input, part two: nothing written or removed outside the project, no hand edit lost to an old XLIFF
file, no escape sequence from a source reaching the terminal, and bounded reading of any file or connection."""

from __future__ import annotations

import datetime as dt
import os
import re
import select
import socket
import time
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from brochure_press.build.jobticket import ticket_data, ticket_markdown
from brochure_press.cli import main
from brochure_press.core.diagnostics import Diagnostic
from brochure_press.core.model import Text
from brochure_press.core.project import load_project
from brochure_press.core.xliffformat import read_xliff
from brochure_press.editor import xliffimport
from brochure_press.editor.check import check
from brochure_press.editor.preview import IDLE_SECONDS, MAX_CONNECTIONS, MAX_STREAMS, PreviewServer
from brochure_press.web.site import write_site

from .conftest import linked_outside
from .test_hostile import time_limit


def run(root: Path, *args: str) -> int:
    return main(["--project", str(root), *args])


def tree(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.mark.parametrize("link", ["output", "output/web", "output/web/cards", "output/.cache"])
def test_the_web_edition_never_writes_or_removes_outside_the_project(
    sample_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], link: str
) -> None:
    elsewhere = linked_outside(sample_dir, tmp_path, link)
    (elsewhere / "sub").mkdir()
    (elsewhere / "keep.txt").write_text("someone else's file")
    (elsewhere / "sub" / "index.html").write_text("someone else's page")
    before = tree(elsewhere)
    assert run(sample_dir, "web") == 2
    err = capsys.readouterr().err
    assert f"{link} leads outside the project (to {elsewhere})" in err and "Traceback" not in err
    assert tree(elsewhere) == before


def test_check_never_writes_its_records_through_a_symbolic_link(
    sample_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    elsewhere = linked_outside(sample_dir, tmp_path, "output/.cache")
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


def test_an_old_export_never_reverts_a_newer_hand_edit(sample_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    xliff = sample_export(sample_dir, with_unit(retarget("احتفظ دائمًا بجواز سفرك.")))
    source = sample_dir / "brochures" / "sample.yaml"
    hand = "لا تسلّم جواز سفرك لأحد."
    source.write_text(source.read_text().replace(KEEP_AR, hand))
    line = next(i for i, text in enumerate(source.read_text().splitlines(), 1) if hand in text)
    before = tree(sample_dir / "brochures")
    assert run(sample_dir, "xliff", "import", str(xliff)) == 2
    err = capsys.readouterr().err
    assert f"error: sample:sections[1].blocks[0].bullets[0]: the text at sample.yaml:{line} changed since the export" in err
    assert tree(sample_dir / "brochures") == before
    assert run(sample_dir, "xliff", "import", "--overwrite", str(xliff)) == 0
    assert "احتفظ دائمًا بجواز سفرك." in source.read_text() and hand not in source.read_text()


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


def test_no_escape_sequence_from_a_source_or_an_argument_reaches_the_terminal_from_build(
    sample_dir: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    source = sample_dir / "brochures" / "sample.yaml"
    forged = r"\e[2J\e]0;approved\a\x9b1A\rDone"
    text = source.read_text().replace("ar: الأرقام أدناه.", "ar: TODO")  # stops print files before they are made
    source.write_text(text.replace("ar: لك حقوق.", f'ar: "لك حقوق. {forged}"'))
    assert run(sample_dir, "build", "sample", "--variant", "print", "--edition", "ar") == 2
    assert run(sample_dir, "build", "sam\x1b[2Jple", "--variant", "proof") == 2
    source.write_text(text.replace("blocks:", f'"blocks{forged}":', 1))  # the key an error message quotes
    assert run(sample_dir, "build", "sample", "--variant", "proof", "--edition", "ar") == 2
    out, err = capfd.readouterr()
    assert not any(c in out + err for c in "\x1b\x07\x9b\r")
    shown = "<U+001B>[2J<U+001B>]0;approved<U+0007><U+009B>1A<U+000D>Done"
    assert "callout.ar: U+0007, U+000D, U+001B, U+009B removed" in err
    assert f"unknown key `blocks{shown}`" in err and "no brochure `sam<U+001B>[2Jple`" in err


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


def test_a_silent_connection_is_closed_after_the_idle_time(sample_dir: Path) -> None:
    with PreviewServer(sample_dir, 0, idle_seconds=1.0) as server:
        server.start()
        address = ("127.0.0.1", server.server_address[1])
        silent, half, kept = (socket.create_connection(address, timeout=5) for _ in range(3))
        half.sendall(b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n")  # never finished
        kept.sendall(b"GET /version HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")  # answered, then kept alive and silent
        start = time.monotonic()
        assert kept.recv(12) == b"HTTP/1.1 200"
        while select.select([kept], [], [], 0.1)[0] and kept.recv(4096):
            pass
        try:
            assert select.select([silent, half, kept], [], [], 0.5) == ([], [], [])  # all open half a second on
            assert [sock.recv(4096) for sock in (silent, half, kept)] == [b"", b"", b""]  # then closed by the server
            assert 1.0 <= time.monotonic() - start < 4
        finally:
            for sock in (silent, half, kept):
                sock.close()
        assert get_version(server) == 200


BULLET = 'id="sections.1.blocks.0.bullets.0"'
KEEP_AR = "احتفظ بجواز سفرك."


def sample_export(root: Path, edit: Callable[[str], str] = lambda text: text) -> Path:
    out = root / "ar.xlf"
    assert run(root, "xliff", "export", "ar", "sample", "-o", str(out)) == 0
    out.write_text(edit(out.read_text()))
    return out


def bullet_unit(text: str) -> str:
    start = text.index("<unit " + BULLET)
    return text[start : text.index("</unit>", start) + len("</unit>")]


def with_unit(unit: Callable[[str], str]) -> Callable[[str], str]:
    """The export with the bullet's unit replaced by what `unit` makes of it."""
    return lambda text: text.replace(bullet_unit(text), unit(bullet_unit(text)))


def retarget(target: str, state: str = "final") -> Callable[[str], str]:
    return lambda unit: unit.replace(f"<target>{KEEP_AR}</target>", f"<target>{target}</target>").replace(
        'state="translated"', f'state="{state}"'
    )


def twin(new_id: str) -> Callable[[str], str]:
    """The unit, then a copy under another id that a careless reading takes for the same text, with a new target."""
    return lambda unit: unit + "\n" + retarget("نص آخر")(unit).replace(BULLET, f'id="sections.1.blocks.0.bullets.{new_id}"')


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (with_unit(twin("00")), "no text `sections.1.blocks.0.bullets.00` in sample.yaml"),
        (with_unit(twin("٠")), "no text `sections.1.blocks.0.bullets.٠` in sample.yaml"),
        (with_unit(twin("²")), "no text `sections.1.blocks.0.bullets.²` in sample.yaml"),
        (
            with_unit(retarget("\u202e\u2066\u200b\ufeff\u00ad")),
            "segment marked final has no target text but invisible characters",
        ),
    ],
    ids=["leading-zero", "arabic-indic-digit", "superscript-digit", "only-invisible-characters"],
)
def test_units_that_would_approve_the_wrong_text_are_refused(
    sample_dir: Path, capsys: pytest.CaptureFixture[str], edit: Callable[[str], str], message: str
) -> None:
    xliff = sample_export(sample_dir, edit)
    before = tree(sample_dir / "brochures")
    assert run(sample_dir, "xliff", "import", str(xliff)) == 2
    err = capsys.readouterr().err
    assert f"{xliff}:" in err and message in err and "Internal error" not in err
    assert tree(sample_dir / "brochures") == before


def test_segments_keep_the_whitespace_between_them_and_crlf_files_keep_their_line_ends(sample_dir: Path) -> None:
    source = sample_dir / "brochures" / "sample.yaml"
    source.write_bytes(source.read_bytes().replace(b"\n", b"\r\n"))
    split = (
        '<segment state="final"><source>Keep your</source><target>احتفظ دائمًا</target></segment>'
        "<ignorable><source> </source></ignorable>"
        '<segment state="final"><source>passport.</source><target>بجواز سفرك.</target></segment>'
    )
    segment = re.compile(r"<segment .*</segment>", re.DOTALL)
    xliff = sample_export(sample_dir, with_unit(lambda unit: segment.sub(split, unit)))
    assert run(sample_dir, "xliff", "import", str(xliff)) == 0
    data = source.read_bytes()
    assert 'ar: "احتفظ دائمًا بجواز سفرك."\r\n'.encode() in data
    assert data.count(b"\n") == data.count(b"\r\n") > 30


def test_a_target_that_lost_its_bold_or_gained_a_number_is_imported_with_warnings(
    sample_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = sample_dir / "brochures" / "sample.yaml"
    source.write_text(source.read_text().replace("Keep your passport.", "Keep **your passport**."))
    xliff = sample_export(sample_dir, with_unit(retarget("احتفظ بجواز سفرك 2530 8169.", "translated")))
    assert run(sample_dir, "xliff", "import", str(xliff)) == 0
    err = capsys.readouterr().err
    field = "sample:sections[1].blocks[0].bullets[0].ar"
    assert f"warning: {field}: the markers of bold (**) or italic (*) differ from the source text's (1 bold, 0 italic)" in err
    assert "give different numbers, addresses or links (only in Arabic: 25308169)" in err


def test_a_target_that_gained_a_link_is_imported_with_a_warning(sample_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    xliff = sample_export(sample_dir, with_unit(retarget("احتفظ بجواز سفرك. https://evil.example/x", "translated")))
    assert run(sample_dir, "xliff", "import", str(xliff)) == 0
    err = capsys.readouterr().err
    assert "warning: sample:sections[1].blocks[0].bullets[0].ar:" in err and "(only in Arabic: evil.example/x)" in err


def test_a_save_while_an_import_runs_is_kept_and_nothing_is_written(
    sample_dir: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    xliff = sample_export(sample_dir, with_unit(retarget("احتفظ دائمًا بجواز سفرك.")))
    source, lock = sample_dir / "brochures" / "sample.yaml", sample_dir / "brochures" / "translations.lock"
    saved = source.read_text().replace("Know the signs", "Know the warning signs")
    real = xliffimport._fit_problems

    def fit_while_the_editor_saves(*args: Any) -> list[Diagnostic]:
        source.write_text(saved)  # after the import read the sources, before it writes them
        return real(*args)

    monkeypatch.setattr(xliffimport, "_fit_problems", fit_while_the_editor_saves)
    assert run(sample_dir, "xliff", "import", str(xliff)) == 2
    assert f"{source}: error: sample.yaml was saved while the import ran; nothing was written" in capsys.readouterr().err
    assert source.read_text() == saved and not lock.exists()


def test_a_control_character_in_a_source_is_a_located_error_not_unreadable_xml(
    sample_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = sample_dir / "brochures" / "sample.yaml"
    source.write_text(source.read_text().replace("en: Help", 'en: "Help\\x07\\x0c"'))
    assert run(sample_dir, "xliff", "export", "ar", "-o", str(sample_dir / "ar.xlf")) == 2
    err = capsys.readouterr().err
    assert "sample.yaml:28:15: error: sections[3].blocks[0].heading.en: character U+0007" in err
    assert not (sample_dir / "ar.xlf").exists()


def test_deeply_nested_annotations_and_twenty_thousand_units_are_read_in_seconds(
    sample_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    nested = "<mrk id='m'>" * 50_000 + "x" + "</mrk>" * 50_000
    xliff = sample_export(sample_dir, with_unit(retarget(nested, "translated")))
    [unit] = [u for f in read_xliff(xliff.read_bytes(), xliff).files for u in f.units if u.id.endswith("bullets.0")]
    assert unit.target == "x"
    many = "".join(f'<unit id="u{i}"><segment><source>s</source></segment></unit>' for i in range(20_000))
    xliff = sample_export(
        sample_dir,
        lambda text: text.replace(
            '<file id="sample" original="brochures/sample.yaml">', '<file id="sample" original="brochures/sample.yaml">' + many
        ),
    )
    start = time.monotonic()
    assert run(sample_dir, "xliff", "import", str(xliff)) == 2
    assert time.monotonic() - start < 20
    assert capsys.readouterr().err.count("no text `u") == 20_000


@pytest.mark.parametrize("kind", ["device", "fifo", "200 MB"])
@pytest.mark.parametrize("name", ["ar.xlf", "brochures/campaign.yaml", "brochures/glossary.yaml", "brochures/translations.lock"])
def test_inputs_are_read_bounded(sample_dir: Path, capsys: pytest.CaptureFixture[str], kind: str, name: str) -> None:
    path = sample_dir / name
    path.unlink(missing_ok=True)
    if kind == "device":
        path.symlink_to("/dev/zero")
    elif kind == "fifo":
        os.mkfifo(path)
    else:
        with path.open("wb") as handle:
            handle.truncate(200 * 1024 * 1024)
    commands = {
        "ar.xlf": ["xliff", "import", str(path)],
        "brochures/campaign.yaml": ["check"],
        "brochures/translations.lock": ["approve", "--yes", "sample"],
    }
    with time_limit(20):
        code = run(sample_dir, *commands.get(name, ["xliff", "export", "ar", "-o", "-"]))
    assert code == (1 if name == "brochures/campaign.yaml" else 2)
    err = capsys.readouterr()
    shown = err.out + err.err
    why = {"device": "not a regular file", "fifo": "not a regular file", "200 MB": "the file is 209715200 bytes"}[kind]
    outside = f"{name} leads outside the project (to /dev/zero)"
    assert f"{path}" in shown and (why in shown or (kind == "device" and outside in shown)), shown
    assert "Internal error" not in shown


def test_a_source_linked_from_outside_is_never_read(sample_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    secret = tmp_path / "secret.yaml"
    secret.write_text("password: hunter2\n")
    (sample_dir / "brochures" / "leak.yaml").symlink_to(secret)
    assert run(sample_dir, "check", "leak", "--jobs", "1") == 1
    out = capsys.readouterr().out
    assert f"leak.yaml: error: brochures/leak.yaml leads outside the project (to {secret})" in out and "hunter2" not in out
    with PreviewServer(sample_dir, 0) as server:
        server.start()
        with urllib.request.urlopen(server.url + "view/leak/en", timeout=30) as response:
            page = response.read().decode()
    assert "brochures/leak.yaml leads outside the project" in page and "hunter2" not in page


def test_the_job_ticket_quotes_order_notes_and_contacts_as_text(sample_dir: Path) -> None:
    campaign = sample_dir / "brochures" / "campaign.yaml"
    text = campaign.read_text()
    notes = text[text.index("    notes: >-") : text.index("  # printer:")]
    hostile = '    notes: "Pack them.\\n\\n# Status: APPROVED FOR PRESS\\n![logo](https://evil.example/x.png) <img src=x>|"\n'
    text = text.replace(notes, hostile).replace(
        "name: IOM Kuwait – campaign team", 'name: "**Boss** <b>x</b> [me](https://e.example)"', 1
    )
    campaign.write_text(text)
    ticket = ticket_markdown(ticket_data(load_project(sample_dir), [], dt.date(2026, 1, 15), draft=True, dpi=150))
    lines = ticket.splitlines()
    assert not [line for line in lines if "APPROVED FOR PRESS" in line and line.startswith("#")]
    packing = next(line for line in lines if line.startswith("| Packing |"))
    assert (
        packing
        == r"| Packing | Pack them. # Status: APPROVED FOR PRESS !\[logo\](https://evil.example/x.png) &#60;img src=x&#62;\| |"
    )
    contact = next(line for line in lines if line.startswith("| Contact |"))
    assert contact == r"| Contact | \*\*Boss\*\* &#60;b&#62;x&#60;/b&#62; \[me\](https://e.example), iomkuwait@iom.int |"


@pytest.mark.parametrize("date", ["2200-01-01", "1979-12-31"])
def test_a_bundle_date_a_zip_cannot_hold_is_a_located_error(
    sample_dir: Path, capsys: pytest.CaptureFixture[str], date: str
) -> None:
    assert run(sample_dir, "handoff", "--allow-draft", "--allow-open", "--date", date) == 2
    err = capsys.readouterr().err
    assert f"error: {date} is {'after 2107' if date > '2107' else 'before 1980'}" in err and "Internal error" not in err
    assert not (sample_dir / "output" / "handoff").exists()


def test_campaign_values_stay_inside_their_css_strings_and_the_preview_keeps_its_policy(sample_dir: Path) -> None:
    campaign = sample_dir / "brochures" / "campaign.yaml"
    evil = """x\\"; } body { background: url(https://evil.example/a) } </style><script>alert(1)</script>"""
    text = campaign.read_text().replace(
        "fonts: {body: [IBM Plex Sans, Noto Sans]}", f'fonts: {{body: ["{evil}", IBM Plex Sans, Noto Sans]}}'
    )
    campaign.write_text(text.replace('page_of: "صفحة {page} من {pages}"', f'page_of: "{evil} {{page}}"'))
    with PreviewServer(sample_dir, 0) as server:
        server.start()
        pages = [urllib.request.urlopen(server.url + path, timeout=30).read().decode() for path in ("web/", "view/sample/ar")]
    for page in pages:
        assert "<script>alert(1)" not in page and "url(https://evil" not in page.replace("url(https://evil.example/a) }", "")
        assert '"x\\22 ; } body { background: url(https://evil.example/a) } \\3C /style\\3E \\3C script\\3E alert(1)' in page
    policy = re.search(r'<meta http-equiv="Content-Security-Policy" content="([^"]*)"', pages[0])
    assert policy and policy[1].startswith("default-src 'none'") and "script-src 'sha256-" in policy[1]
    assert "'unsafe-inline'" not in policy[1].split("script-src")[1]


@pytest.mark.parametrize("command", [["check", "--jobs", "1"], ["build", "--variant", "proof"], ["web"], ["preview"]])
def test_a_file_in_fonts_that_is_no_font_is_named(
    sample_dir: Path, capsys: pytest.CaptureFixture[str], command: list[str]
) -> None:
    (sample_dir / "fonts" / "NotoSans-Regular.ttf").write_text(
        "version https://git-lfs.github.com/spec/v1\noid sha256:0\nsize 9\n"
    )
    message = "NotoSans-Regular.ttf: error: fonts/NotoSans-Regular.ttf is a Git LFS pointer, not the font"
    if command == ["preview"]:  # every page a brochure is drawn with that font names it, as build does
        with PreviewServer(sample_dir, 0) as server:
            server.start()
            for path in ("", "view/sample/en", "proof/sample/ar", "pdf/sample/en.pdf", "web/"):
                with urllib.request.urlopen(server.url + path, timeout=30) as response:
                    page = re.sub(r"<[^>]+>", "", response.read().decode())
                assert message in page and "TTLibError" not in page and "Internal" not in page, path
        return
    assert run(sample_dir, *command) == (1 if command[0] == "check" else 2)
    shown = capsys.readouterr()
    assert message in shown.out + shown.err and "Internal error" not in shown.out + shown.err


def test_a_lone_surrogate_in_the_lock_is_a_located_error(sample_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    fingerprint = "0" * 64
    entry = f'{{"title\\ud800": {{"en": "{fingerprint}", "ar": "{fingerprint}"}}}}'
    (sample_dir / "brochures" / "translations.lock").write_text(f'{{"version": 1, "sources": {{"sample": {entry}}}}}')
    assert run(sample_dir, "approve", "--yes", "sample") == 2
    err = capsys.readouterr().err
    assert "translations.lock: error: " in err and "lone surrogate" in err and "Internal error" not in err


@pytest.mark.parametrize(
    ("edition", "message"),
    [
        ("bilingual: {layout: bilingual, languages: [en, en]}", "editions.bilingual.languages[1]: `en` is named twice"),
        ("en: {layout: trifold, languages: [en, ar]}", "editions.en.languages: layout `trifold` sets one language, not 2"),
        ("bilingual: {layout: bilingual, languages: [en]}", "layout `bilingual` sets two languages side by side, not 1"),
    ],
    ids=["twice", "two-for-one", "one-for-two"],
)
def test_editions_give_each_layout_its_number_of_languages(
    sample_dir: Path, capsys: pytest.CaptureFixture[str], edition: str, message: str
) -> None:
    campaign = sample_dir / "brochures" / "campaign.yaml"
    name = edition.split(":")[0]
    text = campaign.read_text()
    line = next(line for line in text.splitlines() if line.startswith(f"  {name}: {{layout"))
    campaign.write_text(text.replace(line, f"  {edition}"))
    number = text.splitlines().index(line) + 1
    assert run(sample_dir, "build", "--variant", "proof") == 2
    assert f"campaign.yaml:{number}:" in (err := capsys.readouterr().err) and message in err


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        (
            "web:\n",
            "web:\n  base_url: https://help..example.org/\n",
            "web.base_url: `help..example.org` is not a domain",
        ),
        ("web:\n", "web:\n  base_url: https://-help.org:99999/\n", "web.base_url: `-help.org` is not a domain name"),
        ("web:\n", "web:\n  base_url: https://help.org:99999/\n", "web.base_url: port 99999 does not exist"),
        ("languages:\n  en:\n", "languages:\n  con:\n", "languages.con.[key]: `con` names a device on Windows"),
    ],
    ids=["empty-label", "hyphen-label", "port", "device-language"],
)
def test_addresses_and_codes_that_cannot_work_are_located_errors(
    sample_dir: Path, capsys: pytest.CaptureFixture[str], old: str, new: str, message: str
) -> None:
    campaign = sample_dir / "brochures" / "campaign.yaml"
    text = campaign.read_text()
    assert old in text
    campaign.write_text(text.replace(old, new, 1).replace("\n  base_url: https://together-against-trafficking.example/", ""))
    assert run(sample_dir, "check") == 1
    out = capsys.readouterr().out
    assert "campaign.yaml:" in out and message in out and "Internal error" not in out


MARKS = "\u064e\u0650"


def test_a_glossary_term_of_only_vowel_marks_is_an_error_not_a_match_everywhere(
    sample_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    glossary = "version: 1\nterms:\n  - id: marks\n    what: a slip\n    ar:\n      preferred: حقوق\n      avoid:\n"
    glossary += f'        - term: "{MARKS} "\n          why: a slip\n'
    (sample_dir / "brochures" / "glossary.yaml").write_text(glossary)
    assert run(sample_dir, "xliff", "export", "ar", "-o", "-") == 0  # the export notes terms: none matches
    assert "a slip" not in capsys.readouterr().out
    report = check(sample_dir, ["sample"], fit=False)
    found = [str(d) for d in report.diagnostics if d.code.startswith("glossary")]
    where = f"{sample_dir}/brochures/glossary.yaml:8:17: error: terms[0].ar.avoid[0].term:"
    assert found == [
        f"{where} `{MARKS}` is only marks or spaces: it would be found in every text (hint: write the term with its letters)"
    ]


def test_a_title_in_no_known_language_still_lists_the_brochure_in_the_preview(sample_dir: Path) -> None:
    source = sample_dir / "brochures" / "sample.yaml"
    source.write_text(source.read_text().replace("  en: Sample leaflet\n  ar: نشرة تجريبية\n", "  xx: Sample leaflet\n"))
    with PreviewServer(sample_dir, 0) as server:
        server.start()
        with urllib.request.urlopen(server.url, timeout=30) as response:
            assert response.status == 200 and '<h2 lang="en">sample<span class="status draft">' in response.read().decode()


def test_approve_and_new_never_write_through_a_linked_brochures_folder(
    sample_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    elsewhere = tmp_path / "elsewhere"
    xliff = sample_export(sample_dir, with_unit(retarget("احتفظ دائمًا بجواز سفرك.")))
    (sample_dir / "brochures").rename(elsewhere)
    (sample_dir / "brochures").symlink_to(elsewhere)
    before = tree(elsewhere)
    assert run(sample_dir, "approve", "--yes", "sample") == 2
    assert run(sample_dir, "new", "leaflet", "--title-en", "A leaflet", "--title-ar", "نشرة") == 2
    assert run(sample_dir, "xliff", "import", str(xliff)) == 2
    err = capsys.readouterr().err  # `new` names the folder; approve and import, the sources they would rewrite
    assert "brochures leads outside the project" in err and err.count("brochures/sample.yaml leads outside the project") == 2
    assert tree(elsewhere) == before


def test_the_job_ticket_names_the_campaign_in_the_languages_it_has(sample_dir: Path) -> None:
    project = load_project(sample_dir)
    campaign = project.campaign.model
    english = campaign.model_copy(update={"name": Text({"en": "Together Against Trafficking"})})
    alone = replace(project, campaign=replace(project.campaign, model=english))
    lines = ticket_markdown(ticket_data(alone, [], dt.date(2026, 1, 15), draft=False, dpi=150)).splitlines()
    assert lines[0] == "# Print job ticket: Together Against Trafficking"
    assert "| Campaign | Together Against Trafficking |" in lines


def test_a_lock_file_planted_as_a_link_is_never_followed(tmp_path: Path) -> None:
    from brochure_press.core.files import locked

    outside = tmp_path / "outside"
    (tmp_path / "output").mkdir()
    (tmp_path / "output" / ".manifest.json.lock").symlink_to(outside)
    with pytest.raises(OSError), locked(tmp_path / "output" / "manifest.json"):
        pass
    assert not outside.exists()
