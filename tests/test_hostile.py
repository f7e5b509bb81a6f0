"""Hostile and malformed input: a clean located error or a safe rendering; never a traceback, hang or changed output."""

from __future__ import annotations

import re
import signal
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pypdf
import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from brochure_press.cli import main
from brochure_press.core.diagnostics import BuildError
from brochure_press.core.model import Brochure
from brochure_press.core.sources import read_yaml, validate

from .conftest import outputs

PREVIOUS = b"%PDF-1.7 previous good output"
SECONDS = 60


@contextmanager
def time_limit(seconds: int) -> Iterator[None]:
    def expire(signum: int, frame: object) -> None:
        raise TimeoutError(f"took more than {seconds} s")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def text_of(root: Path, edition: str = "en") -> str:
    path = root / "output" / "sample" / f"sample.{edition}.proof.pdf"
    return "".join(page.extract_text() for page in pypdf.PdfReader(path).pages)


def replace(old: str, new: str) -> Callable[[str], str]:
    def edit(text: str) -> str:
        assert old in text
        return text.replace(old, new, 1)

    return edit


def raw(data: bytes) -> Callable[[str], bytes]:
    return lambda text: data


BAD = [
    # (case, edit of sample.yaml, expected located message)
    ("yaml syntax", replace("title:\n", "title: [\n"), r"sample\.yaml:\d+:\d+: error: "),
    ("tab", replace("  - panel: back", "\t- panel: back"), r"sample\.yaml:30:1: error: .*tab"),
    ("duplicate key", replace("revised:", "status: approved\nrevised:"), r"sample\.yaml:2:1: error: .*appears twice"),
    (
        "wrong type list",
        replace("en: Sample leaflet", "en: [1, 2]"),
        r"sample\.yaml:4:7: error: title\.en: Input should be a valid string",
    ),
    (
        "wrong type number",
        replace("en: Sample leaflet", "en: 42"),
        r"sample\.yaml:4:7: error: title\.en: Input should be a valid string",
    ),
    (
        "billion laughs",
        raw(
            b'a: &a ["lol","lol"]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\n'
            b"d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]\ne: [*d,*d,*d,*d,*d,*d,*d,*d,*d]\n"
        ),
        r"error: .*aliases",
    ),
    ("10 MB string", lambda text: text + "extra: '" + "x" * 10_000_000 + "'\n", r"sample\.yaml: error: the file is \d+ bytes"),
    ("unknown key", replace("blocks:", "blokcs:"), r"error: .*unknown key `blokcs` \(hint: did you mean `blocks`\?\)"),
    (
        "missing language",
        replace("          ar: الأرقام أدناه.\n", ""),
        r"sample\.yaml:\d+:\d+: error: .*: the Arabic translation is missing",
    ),
    (
        "invalid utf-8",
        lambda text: text.encode().replace(b"Sample", b"Sam\xc3\x28ple"),
        r"sample\.yaml:4:10: error: .*not valid UTF-8",
    ),
    (
        "nul byte",
        lambda text: text.encode().replace(b"Sample", b"Sam\x00ple"),
        r"sample\.yaml:4:10: error: .*control character U\+0000",
    ),
    ("control character", lambda text: text.replace("Sample", "Sam\x07ple"), r"sample\.yaml:4:10: error: .*U\+0007"),
    ("empty file", raw(b""), r"sample\.yaml: error: the file is empty"),
    ("a list, not a mapping", raw(b"- a\n- b\n"), r"sample\.yaml:1:1: error: .*valid dictionary"),
    ("a scalar document", raw(b"just words\n"), r"sample\.yaml:1:1: error: "),
    ("deep nesting", raw(b"a: " + b"[" * 3000 + b"\n"), r"sample\.yaml:\d+:\d+: error: "),
    (
        "impossible date",
        replace("revised: 2026-01-15", "revised: 2026-13-45"),
        r"sample\.yaml:2:10: error: .*month must be in 1\.\.12",
    ),
    ("python tag", replace("status: draft", "status: !!python/object/apply:os.system ['true']"), r"sample\.yaml:1:9: error: "),
    ("merge key", replace("title:\n", "<<: {}\ntitle:\n"), r"sample\.yaml:\d+:\d+: error: "),
    ("bad panel", replace("panel: back", "panel: ../../etc"), r"sample\.yaml:30:12: error: sections\[4\]\.panel"),
    (
        "image path to /etc/passwd as key",
        replace("status: draft", "status: draft\nimage: /etc/passwd"),
        r"sample\.yaml:2:1: error: image: unknown key `image`",
    ),
    ("empty text", replace("en: Sample leaflet", "en: ''"), r"sample\.yaml:4:7: error: title\.en: String should have at least 1"),
]


def literal(case: str, text: str) -> tuple[str, Callable[[str], str], Callable[[Path], bool]]:
    """A case whose text must print exactly as written."""
    quoted = "'" + text.replace("'", "''") + "'"
    return case, replace("en: You have rights.", f"en: {quoted}"), lambda root: text in text_of(root)


SAFE = [
    # (case, edit, check of the rendered text)
    literal("raw html", "<b>bold</b> <img src=/etc/passwd> rights"),
    literal("script tag", "<script>alert(1)</script>"),
    literal("jinja syntax", "{{ 7*7 }} {% if 1 %}x{% endif %}"),
    literal("markdown image to /etc/passwd", "![x](/etc/passwd)"),
    literal("javascript link", "[click](javascript:alert(1))"),
    (
        "right-to-left override",
        replace("ar: لك حقوق.", 'ar: "\\u202Eلك حقوق 8169"'),
        lambda root: "\u202e" not in text_of(root, "ar") and "8169" in text_of(root, "ar"),
    ),
    (
        "isolate controls",
        replace("en: You have rights.", 'en: "You \\u2066have\\u2069 rights"'),
        lambda root: "You have rights" in text_of(root),
    ),
    (
        "unbreakable 300-character word",
        replace("en: You have rights.", "en: " + "A" * 300),
        lambda root: "A" * 50 in text_of(root).replace("\n", ""),
    ),
    ("byte-order mark", lambda text: "\ufeff" + text, lambda root: "Sample leaflet" in text_of(root)),
    (
        "zero-width and combining marks",
        replace("ar: لك حقوق.", "ar: لكَ حقوقٌ\u200c."),
        lambda root: "حقوق" in text_of(root, "ar"),
    ),
]


def run_build(root: Path) -> int:
    with time_limit(SECONDS):
        return main(["--project", str(root), "build", "sample", "--variant", "proof", "--edition", "en", "--edition", "ar"])


@pytest.mark.parametrize(("case", "edit", "message"), BAD, ids=[c[0] for c in BAD])
def test_bad_input_gets_a_located_error(
    sample_dir: Path, capsys: pytest.CaptureFixture[str], case: str, edit: Callable[[str], str | bytes], message: str
) -> None:
    source = sample_dir / "brochures" / "sample.yaml"
    changed = edit(source.read_text(encoding="utf-8"))
    source.write_bytes(changed if isinstance(changed, bytes) else changed.encode("utf-8"))
    previous = sample_dir / "output" / "sample" / "sample.en.proof.pdf"
    previous.parent.mkdir(parents=True)
    previous.write_bytes(PREVIOUS)
    assert run_build(sample_dir) == 2
    err = capsys.readouterr().err
    assert re.search(message, err), err[:2000]
    assert "Traceback" not in err and "hint:" in err
    assert previous.read_bytes() == PREVIOUS
    assert [p.name for p in previous.parent.iterdir()] == ["sample.en.proof.pdf"]


@pytest.mark.parametrize(("case", "edit", "check"), SAFE, ids=[c[0] for c in SAFE])
def test_odd_text_renders_safely(
    sample_dir: Path, capsys: pytest.CaptureFixture[str], case: str, edit: Callable[[str], str], check: Callable[[Path], bool]
) -> None:
    source = sample_dir / "brochures" / "sample.yaml"
    source.write_text(edit(source.read_text(encoding="utf-8")), encoding="utf-8")
    assert run_build(sample_dir) == 0, capsys.readouterr().err
    assert check(sample_dir)
    assert "Traceback" not in capsys.readouterr().err


def test_hidden_controls_are_removed_with_a_warning(sample_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = sample_dir / "brochures" / "sample.yaml"
    source.write_text(source.read_text().replace("ar: لك حقوق.", 'ar: "\\u202Eلك حقوق"'))
    assert run_build(sample_dir) == 0
    assert re.search(
        r"sample\.yaml:24:15: warning: sections\[2\]\.blocks\[0\]\.callout\.ar: U\+202E removed", capsys.readouterr().err
    )


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("https://example.org/x.css", "http"),
        ("file:///etc/passwd", "outside"),
        ("../../../../../../etc/passwd", "traversal"),
        ("outside-link/secret.css", "symlink"),
        ("data:text/css," + "a" * 300_000, "large data"),
    ],
)
def test_layouts_cannot_load_anything_outside_the_project(
    sample_dir: Path, capsys: pytest.CaptureFixture[str], url: str, reason: str
) -> None:
    secret = sample_dir.parent / "secret"
    secret.mkdir()
    (secret / "secret.css").write_text("body { color: red }")
    (sample_dir / "layouts" / "base" / "outside-link").symlink_to(secret)
    template = sample_dir / "layouts" / "base" / "page.html.j2"
    template.write_text(template.read_text().replace("</head>", f'<link rel="stylesheet" href="{url}">\n</head>'))
    assert run_build(sample_dir) == 1
    err = capsys.readouterr().err
    assert re.search(r"layouts/trifold/layout\.yaml: error: .*refused to load", err), err[:2000]
    assert not outputs(sample_dir)


def test_small_data_urls_and_project_files_still_load(sample_dir: Path) -> None:
    template = sample_dir / "layouts" / "base" / "page.html.j2"
    template.write_text(template.read_text().replace("</head>", '<link rel="stylesheet" href="data:text/css,p{}">\n</head>'))
    assert run_build(sample_dir) == 0


values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=30) | st.dates(),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=10), children, max_size=5),
    max_leaves=25,
)
documents = st.one_of(
    values.map(lambda v: yaml.safe_dump(v, allow_unicode=True)),
    st.fixed_dictionaries({"title": values, "status": values, "sections": values}, optional={"revised": values}).map(
        lambda v: yaml.safe_dump(v, allow_unicode=True)
    ),
    st.text(max_size=200),
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(document=documents)
def test_any_document_gives_a_model_or_located_errors(tmp_path: Path, document: str) -> None:
    path = tmp_path / "any.yaml"
    path.write_text(document, encoding="utf-8")
    try:
        data, marks = read_yaml(path)
        validate(Brochure, data, marks, path)
    except BuildError as exc:
        assert exc.diagnostics
        for diagnostic in exc.diagnostics:
            assert diagnostic.location is not None and diagnostic.location.path == path
            assert diagnostic.message and diagnostic.hint
