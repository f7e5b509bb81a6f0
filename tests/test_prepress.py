"""What prepress tools see: art against trim, bleed and folds; ink as printed; structure; font programs; limits; drafts.
Each class is proven on a deliberately broken copy of a real print file."""

from __future__ import annotations

import io
import zlib
from pathlib import Path

import pikepdf
import pytest
from fontTools.ttLib import TTFont

from brochure_press.cli import main
from brochure_press.core.jobs import Job
from brochure_press.core.project import Project, load_project
from brochure_press.preflight import inkcoverage
from brochure_press.preflight.expectations import expectations
from brochure_press.preflight.limits import MIB, Limits
from brochure_press.preflight.printcheck import Report, preflight
from brochure_press.render.job import make_pdf

from .conftest import MM
from .test_preflight import EN_PRINT, besides_draft, check, drawing, edited, found, image

AR_PRINT = Job("employer-duties", "ar", "print")
#: Overprint on, nonzero overprint mode: what a file asks for when one ink should print over another.
OVERPRINT = {"OP1": pikepdf.Dictionary(OP=True, op=True, OPM=1)}


def saved(pdf: pikepdf.Pdf, **options: object) -> bytes:
    out = io.BytesIO()
    pdf.save(out, **options)  # type: ignore[arg-type]
    return out.getvalue()


def font_named(pdf: pikepdf.Pdf, suffix: str) -> tuple[str, pikepdf.Dictionary]:
    """The resource name and dictionary of the page-1 font whose name ends in `suffix`."""
    return next((str(k), f) for k, f in pdf.pages[0].Resources.Font.items() if str(f.BaseFont).endswith(suffix))


# Art against trim, bleed and folds


def test_art_clipped_to_the_trim_is_caught(built: dict[Job, Path], real_project: Project) -> None:
    def clip_to_trim(pdf: pikepdf.Pdf) -> None:
        page = pdf.pages[0]
        x0, y0, x1, y1 = (float(v) for v in page.obj.TrimBox)
        page.contents_add(pikepdf.Stream(pdf, f"q {x0} {y0} {x1 - x0} {y1 - y0} re W n\n".encode()), prepend=True)
        page.contents_add(pikepdf.Stream(pdf, b"Q\n"))

    messages = found(check(real_project, edited(built[EN_PRINT], clip_to_trim)), "art-bleed")
    rule = "art touching the trim must run 3 mm into the bleed"
    # The cover (right panel) and the back panel's tint bled on every trim edge they touch; now none does.
    for side in ("right", "top", "bottom"):
        assert f"page 1: fill in C100 M70 Y0 K30 stops 0.0 mm past the {side} trim edge; {rule}" in messages
    assert f"page 1: fill in C8 M3 Y0 K0 stops 0.0 mm past the top trim edge; {rule}" in messages
    assert len(messages) == 5


def test_art_with_too_little_bleed_is_caught(built: dict[Job, Path], real_project: Project) -> None:
    # A band over the top edge that reaches only 1 mm into the bleed.
    band = f"q 0 0.5 1 0 k 100 {595.28 - 20} 200 {20 + MM} re f Q".encode()
    report = check(real_project, edited(built[EN_PRINT], drawing(band)))
    assert found(report, "art-bleed") == [
        "page 1: fill in C0 M50 Y100 K0 stops 1.0 mm past the top trim edge; art touching the trim must run 3 mm into the bleed"
    ]


def test_an_object_over_a_fold_near_the_trim_is_caught(built: dict[Job, Path], real_project: Project) -> None:
    # A 10 × 6 mm black box across the fold at 197 mm, 3 mm below the top trim edge.
    x, y = 192 * MM, (210 - 3 - 6) * MM
    report = check(real_project, edited(built[EN_PRINT], drawing(f"q 0 0 0 1 k {x} {y} {10 * MM} {6 * MM} re f Q".encode())))
    assert found(report, "object-near-fold") == [
        "page 1: fill in C0 M0 Y0 K100 crosses the fold at 197 mm; keep 4 mm clear of folds"
    ]
    assert found(report, "object-near-trim") == [
        "page 1: fill in C0 M0 Y0 K100 is 3.0 mm from the top trim edge; keep 4 mm clear or bleed it"
    ]


def test_images_and_clipped_objects_are_placed_by_what_shows(built: dict[Job, Path], real_project: Project) -> None:
    # An image 2 mm from the fold at 97 mm (on the inside, page 2, folds at 100 and 197 mm for English).
    near = f"q {40 * MM} 0 0 {40 * MM} {(100 - 2 - 40) * MM} {80 * MM} cm /Im Do Q".encode()
    report = check(real_project, edited(built[EN_PRINT], drawing(near, page=1, XObject={"Im": image(600, 600)})))
    assert found(report, "object-near-fold") == ["page 2: image /Im is 2.0 mm from the fold at 100 mm; keep 4 mm clear of folds"]
    # The same box across the fold, clipped to its own panel: what shows keeps clear.
    clipped = f"q {20 * MM} 0 {60 * MM} {210 * MM} re W n 0 0 0 1 k {50 * MM} {80 * MM} {100 * MM} {20 * MM} re f Q"
    assert besides_draft(check(real_project, edited(built[EN_PRINT], drawing(clipped.encode(), page=1)))) == []


# Ink as printed: the rendered separations


def test_overprint_build_up_past_the_ink_limit_is_caught(built: dict[Job, Path], real_project: Project) -> None:
    # Two colours of 200 % each pass on their own; where one overprints the other they print 400 %.
    squares = b"q /OP1 gs 1 1 0 0 k 300 300 100 100 re f 0 0 1 1 k 320 320 50 50 re f Q"
    report = check(real_project, edited(built[EN_PRINT], drawing(squares, ExtGState=OVERPRINT)))
    assert found(report, "ink-limit") == []
    (message,) = found(report, "ink-coverage")
    assert message.startswith("page 1: up to 400 % total ink on ")
    assert message.endswith(" mm² as printed (overlaps and overprint included); the limit is 300 %")
    area = float(message.split(" on ")[1].split(" mm²")[0])
    assert area == pytest.approx((50 / MM) ** 2, rel=0.1)
    # Knocked out instead, the top square replaces what is under it: 200 %.
    knockout = squares.replace(b"/OP1 gs ", b"")
    assert found(check(real_project, edited(built[EN_PRINT], drawing(knockout))), "ink-coverage") == []


def test_without_ghostscript_the_ink_is_reported_unchecked(
    built: dict[Job, Path], real_project: Project, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(inkcoverage, "GHOSTSCRIPT", "no-such-ghostscript")
    report = check(real_project, built[EN_PRINT].read_bytes())
    assert found(report, "ink-not-checked") == [
        "total ink on the rendered separations not checked: Ghostscript (gs) is not installed"
    ]
    assert report.errors == 0


# Structure


def test_scripts_actions_attachments_and_forms_are_caught(built: dict[Job, Path], real_project: Project) -> None:
    def active(pdf: pikepdf.Pdf) -> None:
        pdf.Root.OpenAction = pikepdf.Dictionary(S=pikepdf.Name.JavaScript, JS=pikepdf.String("app.alert('hi')"))
        launch = pikepdf.Dictionary(S=pikepdf.Name.Launch, F=pikepdf.String("calc.exe"))
        pdf.pages[1].obj.AA = pikepdf.Dictionary(O=launch)
        pdf.attachments["notes.txt"] = pikepdf.AttachedFileSpec(pdf, b"hello", mime_type="text/plain")
        pdf.Root.AcroForm = pikepdf.Dictionary(Fields=pikepdf.Array())

    messages = found(check(real_project, edited(built[EN_PRINT], active)), "active-content")
    assert [m.split(";")[0] for m in messages] == [
        "the file has JavaScript",
        "the file has a Launch action",
        "the file has a form (AcroForm)",
        "the file has actions on events (AA)",
        "the file has an action on opening (OpenAction)",
        "the file has an embedded file",
    ]
    assert all(m.endswith("; print files may not act, only print") for m in messages)


def test_annotations_anywhere_on_the_page_are_caught(built: dict[Job, Path], real_project: Project) -> None:
    def link(pdf: pikepdf.Pdf) -> None:
        uri = pikepdf.Dictionary(S=pikepdf.Name.URI, URI=pikepdf.String("https://example.org"))
        annotation = pikepdf.Dictionary(Type=pikepdf.Name.Annot, Subtype=pikepdf.Name.Link, Rect=[100, 100, 200, 120], A=uri)
        pdf.pages[0].obj.Annots = pdf.make_indirect(pikepdf.Array([pdf.make_indirect(annotation)]))

    report = check(real_project, edited(built[EN_PRINT], link))
    assert found(report, "annotation") == ["page 1: 1 Link annotation; print files carry none (PDF/X)"]
    assert found(report, "active-content") == [
        "the file has a URI action; print files may not act, only print",
    ]


def test_encrypted_files_are_findings_not_crashes(
    built: dict[Job, Path], real_project: Project, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with pikepdf.open(built[EN_PRINT]) as pdf:
        owner_only = saved(pdf, encryption=pikepdf.Encryption(owner="secret", user=""))
        locked = saved(pdf, encryption=pikepdf.Encryption(owner="secret", user="secret"))
    assert found(check(real_project, owner_only), "encrypted") == ["the file is encrypted; PDF/X forbids encryption"]
    report = check(real_project, locked)
    assert found(report, "encrypted") == [
        "the file is encrypted with a password and could not be checked; PDF/X forbids encryption"
    ]
    # From the command line, named or not, the same: a report, no traceback.
    for name in ("employer-duties.en.print.pdf", "from-elsewhere.pdf"):
        (tmp_path / name).write_bytes(locked)
        assert main(["--project", str(real_project.root), "preflight", str(tmp_path / name)]) == 1
        captured = capsys.readouterr()
        assert "encrypted with a password" in captured.out and "Traceback" not in captured.out + captured.err


def test_rotated_pages_are_caught(built: dict[Job, Path], real_project: Project) -> None:
    def rotate(pdf: pikepdf.Pdf) -> None:
        pdf.pages[0].obj.Rotate = 90

    # Named once; the checks that render or read the page see it as laid out, so nothing else is found.
    assert [d.message for d in besides_draft(check(real_project, edited(built[EN_PRINT], rotate)))] == [
        "page 1: the page is rotated by 90° (/Rotate); print pages are upright as laid out"
    ]

    def rotate_all(pdf: pikepdf.Pdf) -> None:
        pdf.Root.Pages.Rotate = 180  # inherited by every page
        drawing(b"q 1 0 0 rg 700 300 5 5 re f Q")(pdf)  # and the rest is still checked

    report = check(real_project, edited(built[EN_PRINT], rotate_all))
    assert len(found(report, "rotated")) == 2 and found(report, "rgb") == ["page 1: fill in DeviceRGB colour"]
    assert len(besides_draft(report)) == 3


def test_pages_out_of_order_or_mirrored_are_caught(built: dict[Job, Path], real_project: Project) -> None:
    def swap(pdf: pikepdf.Pdf) -> None:
        kids = pdf.Root.Pages.Kids
        pdf.Root.Pages.Kids = pikepdf.Array([kids[1], kids[0]])

    messages = found(check(real_project, edited(built[EN_PRINT], swap)), "page-order")
    assert "`cover` is on page 2; the layout puts it on page 1: the pages are out of order" in messages
    assert "`panel-inside-1` is on page 1; the layout puts it on page 2: the pages are out of order" in messages
    # The English sheet checked as the Arabic edition: the cover is on the wrong side.
    mirrored = check(real_project, built[EN_PRINT].read_bytes(), edition="ar")
    assert "page 1: `panel-cover` starts 197.0 mm from the left trim edge; the layout puts it at 0 mm" in found(
        mirrored, "page-order"
    )

    # Without the layout's markers, page order cannot be checked: said so.
    def unmarked(pdf: pikepdf.Pdf) -> None:
        del pdf.Root.Names

    (message,) = found(check(real_project, edited(built[EN_PRINT], unmarked)), "page-order")
    assert message.startswith("page order not checked: the layout's markers (cover, panel-flap,")


def test_the_output_condition_must_be_the_campaigns(built: dict[Job, Path], real_project: Project) -> None:
    def swop(pdf: pikepdf.Pdf) -> None:
        pdf.Root.OutputIntents[0].OutputConditionIdentifier = pikepdf.String("CGATS TR 001")

    assert found(check(real_project, edited(built[EN_PRINT], swop)), "output-condition") == [
        "made for the output condition CGATS TR 001; the campaign prints for FOGRA39"
    ]


# Font programs


def replace_program(font: pikepdf.Dictionary, change: object) -> None:
    """Rewrite a font's embedded TrueType program with `change(TTFont)` applied; its name stays."""
    stream = font.DescendantFonts[0].FontDescriptor.FontFile2
    program = TTFont(io.BytesIO(stream.read_bytes()))
    change(program)  # type: ignore[operator]
    out = io.BytesIO()
    program.save(out)
    stream.write(out.getvalue())


def test_a_font_program_replaced_under_its_old_name_is_caught(built: dict[Job, Path], real_project: Project) -> None:
    def moved_glyph(pdf: pikepdf.Pdf) -> None:
        def lower(program: TTFont) -> None:
            glyph = program["glyf"][program.getBestCmap()[ord("e")]]
            glyph.coordinates.translate((0, -40))

        replace_program(font_named(pdf, "+IBM-Plex-Sans")[1], lower)

    (message,) = found(check(real_project, edited(built[EN_PRINT], moved_glyph)), "font-program")
    assert message.startswith("page 1: the program embedded as font ")
    assert "+IBM-Plex-Sans is not the bundled IBMPlexSans: 1 of its " in message

    kufi = (real_project.fonts_dir / "NotoKufiArabic-Regular.ttf").read_bytes()

    def other_font(pdf: pikepdf.Pdf) -> None:
        # The whole program of another bundled font, under the IBM Plex Sans font's name.
        font = font_named(pdf, "+IBM-Plex-Sans")[1]
        font.DescendantFonts[0].FontDescriptor.FontFile2.write(kufi)

    (message,) = found(check(real_project, edited(built[EN_PRINT], other_font)), "font-program")
    assert message.endswith("+IBM-Plex-Sans is NotoKufiArabic-Regular, not the font its name says")

    def renamed_font(pdf: pikepdf.Pdf) -> None:
        # The same, with the program's own names rewritten to IBM Plex Sans's: only its outlines tell.
        def rename(program: TTFont) -> None:
            for record in program["name"].names:
                if record.nameID == 6:
                    record.string = "IBMPlexSans"

        font = font_named(pdf, "+IBM-Plex-Sans")[1]
        font.DescendantFonts[0].FontDescriptor.FontFile2.write(kufi)
        replace_program(font, rename)

    (message,) = found(check(real_project, edited(built[EN_PRINT], renamed_font)), "font-program")
    assert "+IBM-Plex-Sans is not the bundled IBMPlexSans: " in message and "glyphs are drawn differently" in message


def test_glyphs_missing_from_the_program_and_shared_subset_tags_are_caught(built: dict[Job, Path], real_project: Project) -> None:
    with pikepdf.open(built[EN_PRINT]) as pdf:
        regular = font_named(pdf, "+IBM-Plex-Sans")[0]
    text = f"q BT {regular} 12 Tf 0 0 0 1 k 1 0 0 1 300 300 Tm <FFFF> Tj ET Q".encode()
    messages = found(check(real_project, edited(built[EN_PRINT], drawing(text))), "font-glyph-missing")
    assert len(messages) == 1 and "shows glyphs its program does not have (glyph id 65535;" in messages[0]

    with pikepdf.open(built[EN_PRINT]) as pdf:
        tag = str(font_named(pdf, "+IBM-Plex-Sans")[1].BaseFont)[1:7]

    def shared_tag(pdf: pikepdf.Pdf) -> None:
        font_named(pdf, "+IBM-Plex-Sans-Bold")[1].BaseFont = pikepdf.Name(f"/{tag}+IBM-Plex-Sans-Bold")

    assert found(check(real_project, edited(built[EN_PRINT], shared_tag)), "subset-tag") == [
        f"the subset tag {tag} names 2 different font programs ({tag}+IBM-Plex-Sans, {tag}+IBM-Plex-Sans-Bold)"
    ]


# Limits


def with_stream(source: Path, stream: object, **save: object) -> bytes:
    """A print file with one more (unused) form XObject on page 1, made by `stream(pdf)`, saved as given."""
    with pikepdf.open(source) as pdf:
        pdf.pages[0].Resources.XObject = pikepdf.Dictionary(Extra=stream(pdf))  # type: ignore[operator]
        return saved(pdf, **save)


def flate_form(data: bytes, filters: object = pikepdf.Name.FlateDecode) -> object:
    def make(pdf: pikepdf.Pdf) -> pikepdf.Stream:
        form = pikepdf.Stream(pdf, b"")
        form.write(data, filter=filters)
        form.Type, form.Subtype, form.BBox = pikepdf.Name.XObject, pikepdf.Name.Form, [0, 0, 1, 1]
        return form

    return make


def test_an_inflate_bomb_is_a_finding_in_bounded_time(built: dict[Job, Path], real_project: Project) -> None:
    # 200 MB of zeros in 200 KB: found before the file is opened, at the default limit of 64 MiB.
    bomb = zlib.compress(bytes(200 * 10**6), 9)
    data = with_stream(built[EN_PRINT], flate_form(bomb), stream_decode_level=pikepdf.StreamDecodeLevel.none)
    report = check(real_project, data)
    (message,) = found(report, "too-large")
    assert message.startswith("a compressed stream at byte ") and message.endswith(" inflates past 64 MiB")
    assert report.errors == 1 and report.pages == 0


def test_limits_hold_for_chained_filters_images_and_the_whole_file(built: dict[Job, Path], real_project: Project) -> None:
    small = Limits(stream_bytes=MIB, total_bytes=4 * MIB)

    def limited(data: bytes) -> Report:
        expect = expectations(real_project, "en")
        return preflight(data, Path("employer-duties.en.print.pdf"), type(expect)(**{**expect.__dict__, "limits": small}))

    # Behind an ASCIIHex filter the raw scan cannot see the bomb; decoding the chain within the limit does.
    chained = zlib.compress(bytes(8 * MIB), 9).hex().encode() + b">"
    filters = pikepdf.Array([pikepdf.Name.ASCIIHexDecode, pikepdf.Name.FlateDecode])
    raw = pikepdf.StreamDecodeLevel.none
    report = limited(with_stream(built[EN_PRINT], flate_form(chained, filters), stream_decode_level=raw, compress_streams=False))
    assert [m.split(" decodes")[1] for m in found(report, "too-large")] == [" to more than 1 MiB; it was not decoded"]
    assert found(report, "not-checked") == ["fonts, colours, images, positions and ink were not checked: the file is too large"]

    # An image whose dictionary declares 100 000 × 100 000 pixels is not decoded, whatever its data.
    def huge(pdf: pikepdf.Pdf) -> pikepdf.Stream:
        picture = image(2, 2)(pdf)
        picture.Width = picture.Height = 100_000
        return picture

    assert "(an image) decodes to more than 1 MiB" in found(limited(with_stream(built[EN_PRINT], huge)), "too-large")[0]

    # Many streams under the limit, too much together.
    def many(pdf: pikepdf.Pdf) -> pikepdf.Dictionary:
        return pikepdf.Dictionary({f"/F{n}": flate_form(zlib.compress(bytes(MIB - 100)))(pdf) for n in range(5)})

    with pikepdf.open(built[EN_PRINT]) as pdf:
        pdf.pages[0].Resources.Extra = many(pdf)
        report = limited(saved(pdf))
    assert found(report, "too-large") == ["its streams decode to more than 4 MiB together; they were not decoded"]

    # One stream over the stream limit and under the total is still too large.
    one = flate_form(zlib.compress(bytes(2 * MIB), 9).hex().encode() + b">", filters)
    report = limited(with_stream(built[EN_PRINT], one, stream_decode_level=raw, compress_streams=False))
    assert [m.split(" decodes")[1] for m in found(report, "too-large")] == [" to more than 1 MiB; it was not decoded"]


# Drafts


def test_drafts_are_marked_and_found(sample_dir: Path) -> None:
    project = load_project(sample_dir)
    data, _ = make_pdf(project, Job("sample", "en", "print"))
    with pikepdf.open(io.BytesIO(data)) as pdf:
        assert str(pdf.docinfo.Keywords) == "DRAFT – NOT FOR PRESS"
        assert pdf.open_metadata()["pdf:Keywords"] == "DRAFT – NOT FOR PRESS"
    expect = expectations(project, "en")
    assert found(preflight(data, Path("sample.en.print.pdf"), expect), "draft") == [
        "the file is a draft (its metadata says DRAFT – NOT FOR PRESS); it is not for press"
    ]
    source = sample_dir / "brochures" / "sample.yaml"
    source.write_text(source.read_text().replace("status: draft", "status: approved"))
    approved, _ = make_pdf(load_project(sample_dir), Job("sample", "en", "print"))
    assert preflight(approved, Path("sample.en.print.pdf"), expect).findings == ()
    assert found(preflight(approved, Path("DRAFT-sample.en.print.pdf"), expect), "draft") == [
        "the file is a draft (its file name says DRAFT); it is not for press"
    ]
