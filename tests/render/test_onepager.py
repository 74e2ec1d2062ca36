"""One-pagers (one A4 page, same figures as the deck) and the intranet page (safe, self-contained)."""

from __future__ import annotations

import re
import shutil
import subprocess
from datetime import date
from pathlib import Path

import pytest
from conftest import MINIMAL_CONFIG, write_workspace
from lxml import html as lxml_html
from pypdf import PdfReader
from rendered_examples import audience_outputs, every_audience

from sambrief.briefing.findings import Chart
from sambrief.commands.build import BuildRequest, build
from sambrief.errors import RenderError
from sambrief.i18n.catalog import Formatter
from sambrief.render.svgchart import fmt_value, svg_chart
from sambrief.text import shorten

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.fixture(scope="module")
def example(example_build_management):
    """The README's first command: management's one-pager and the intranet page. Read only."""
    return example_build_management


@pytest.fixture(params=every_audience())  # management's one-pager in the fast tier, the others' in the slow tier
def audience(request):
    """(the shared example build with an audience's one-pager, the audience's briefing). Read only."""
    return audience_outputs(request)


def pdf_text(path: Path) -> tuple[int, str]:
    reader = PdfReader(str(path))
    return len(reader.pages), " ".join(page.extract_text() for page in reader.pages)


@pytest.mark.slow
def test_every_audience_gets_a_one_page_pdf_with_the_headline_figures(example_build_all):
    example = example_build_all
    for b in example.briefings:
        folder = example.out_dir / b.output_key
        pages, text = pdf_text(folder / "onepager.pdf")
        assert pages == 1, b.output_key
        flat = re.sub(r"\s+", " ", text.replace("\u00a0", " "))
        for f in b.findings[:2]:
            numbers = re.findall(r"\d[\d.,]*", f.headline)
            for number in numbers[:2]:
                assert number in flat, (b.output_key, number)
        assert (folder / "onepager.html").is_file()


def test_management_one_pager_is_balanced(example):
    pages, text = pdf_text(example.out_dir / "management" / "onepager.pdf")
    assert "Erreicht" in text and "Offen" in text
    assert "620.833" in text.replace("\u00a0", " ")


def test_html_is_safe_and_self_contained(audience):
    example, b = audience
    pages = [example.out_dir / b.output_key / "onepager.html", example.out_dir / "intranet" / "index.html"]
    for page in pages:
        source = page.read_text("utf-8")
        doc = lxml_html.fromstring(source)
        assert doc.tag == "html" and doc.get("lang") in ("de", "en")
        assert not doc.xpath("//script"), page
        assert not [a for el in doc.iter() if isinstance(el.tag, str) for a in el.attrib if a.lower().startswith("on")]
        for el in doc.xpath("//*[@src or @href]"):
            ref = el.get("src") or el.get("href")
            assert not re.match(r"^(https?:)?//", ref), (page, ref)
        headings = [int(h.tag[1]) for h in doc.iter() if isinstance(h.tag, str) and re.fullmatch(r"h[1-6]", h.tag)]
        assert headings[0] == 1 and all(b - a <= 1 for a, b in zip(headings, headings[1:])), page
        for chart in doc.xpath("//*[@class='chart']"):  # the description is on the chart, its shapes are hidden
            assert chart.get("role") == "img" and chart.get("aria-label")
            assert [svg.get("aria-hidden") for svg in chart.xpath(".//svg")] == ["true"]


def test_chart_labels_and_values_are_text_of_the_page_and_the_pdf(example):
    """The chart's words are HTML text (WeasyPrint lays out SVG text letter by letter): a reader
    can select and search them in the PDF, and the shapes carry no text."""
    b = next(b for b in example.briefings if b.output_key == "management")
    chart = next(f.chart for f in b.findings if f.chart is not None and f.chart.kind == "bar")
    values = [fmt_value(v, chart.value_format, b.fmt) for v in chart.values]
    doc = lxml_html.fromstring((example.out_dir / "management" / "onepager.html").read_text("utf-8"))
    shown = [c for c in doc.xpath("//*[@class='chart']") if chart.series_name in c.get("aria-label")]
    assert len(shown) == 1 and not shown[0].xpath(".//*[local-name()='text']")
    words = [w for s in shown[0].xpath("./div/span") for w in s.text_content().split("\n")]
    assert sorted(words) == sorted(list(chart.categories) + values)
    _, text = pdf_text(example.out_dir / "management" / "onepager.pdf")
    flat = re.sub(r"\s+", " ", text.replace("\u00a0", " "))
    for category, value in zip(chart.categories, values):
        assert category in flat and value.replace("\u00a0", " ") in flat


def test_chart_shortens_long_labels_and_shrinks_crowded_columns():
    fmt = Formatter("de", "EUR")
    bar = lxml_html.fromstring(svg_chart(Chart("bar", (LONG, "SAP"), (5.0, 3.0), "Fehlende Lizenzen", "count"), fmt))
    labels = [s.text_content() for s in bar.xpath("./div/span")]
    assert labels == [f"{shorten(LONG, 28)}\nSAP", "5", "3"] and "…" in labels[0]

    def font_sizes(months: int) -> set[str]:
        chart = Chart(
            "column",
            tuple(f"Monat {i}" for i in range(months)),
            tuple(float(i) for i in range(months)),
            "Einsparungen",
            "money",
        )
        spans = lxml_html.fromstring(svg_chart(chart, fmt)).xpath("./div/span")
        return {re.search(r"font-size:([\d.]+)mm", s.get("style")).group(1) for s in spans}

    assert len(font_sizes(3)) == len(font_sizes(12)) == 1
    assert float(font_sizes(12).pop()) < float(font_sizes(3).pop())


@pytest.mark.slow  # the downloads of every audience: the build of all
def test_intranet_has_news_downloads_changes_and_blocks(example_build_all):
    example = example_build_all
    index = example.out_dir / "intranet" / "index.html"
    doc = lxml_html.fromstring(index.read_text("utf-8"))
    news = [h.text_content() for h in doc.xpath("//section[@id='news-flash']//h3")]
    assert "Oracle-Audit bestanden" not in news  # expired
    assert "Software-Anträge jetzt im Servicekatalog" in news
    links = doc.xpath("//section[@id='downloads']//a/@href")
    assert links == [
        "../itsm/onepager.pdf",
        "../itsm/sambrief-itsm-2026-10.pdf",
        "../itsm/sambrief-itsm-2026-10.pptx",  # only what
        "../business/onepager.pdf",
        "../it/sambrief-it-2026-10.pdf",
        "../it/sambrief-it-2026-10.pptx",
    ]  # each audience's
    # channels share on the intranet (see test_channels.py); a deck as PDF and as pptx
    for href in links:
        assert (index.parent / href).resolve().is_file()
    titles = [h.text_content() for h in doc.xpath("//section[contains(@class,'block')]/h2")]
    assert "Was das Lizenzmanagement tut" in titles
    assert (index.parent / "style.css").is_file()


@pytest.mark.slow
@pytest.mark.skipif(CHROMIUM is None, reason="chromium not installed; run tools/test.sh")
def test_intranet_renders_in_headless_chromium(example_build_all, tmp_path):
    example = example_build_all
    index = example.out_dir / "intranet" / "index.html"
    shot = tmp_path / "screenshots"  # never into the repository
    shot.mkdir()
    args = [
        CHROMIUM,
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        f"--user-data-dir={tmp_path / 'profile'}",
        "--enable-logging=stderr",
        "--v=0",
        "--window-size=1280,1600",
    ]
    png = shot / "intranet.png"
    run = subprocess.run(args + [f"--screenshot={png}", index.as_uri()], capture_output=True, text=True, timeout=120)
    assert png.is_file() and png.stat().st_size > 10_000
    console = [line for line in run.stderr.splitlines() if "CONSOLE" in line or "Uncaught" in line]
    assert console == []
    dom = subprocess.run(args + ["--dump-dom", index.as_uri()], capture_output=True, text=True, timeout=120).stdout
    assert 'id="news-flash"' in dom and 'id="downloads"' in dom


LONG = "Enterprise Application Lifecycle Management Suite Professional Plus with Extended Support and Advanced Analytics Bundle"


@pytest.mark.slow
def test_one_page_with_ten_news_items_and_long_names(tmp_path):
    news = "items:\n" + "".join(
        f"  - {{date: 2026-10-{i + 1:02d}, title: 'Meldung {i}: {LONG[:60]}', text: '{LONG} {LONG[:40]}'}}\n"
        for i in range(10)
    )
    lic = "Hersteller;Produkt;Lizenzbestand;Lizenzbedarf;Einzelpreis\n" + "".join(
        f"Hersteller {i} {LONG};{LONG} {i};10;{12 + i};{999999 + i}\n" for i in range(12)
    )
    seats = "Benutzer;Produkt;Letzte Aktivität;Stichtag\n" + "".join(
        f"u{i}@x.example;{LONG} {i % 7};;31.10.2026\n" for i in range(60)
    )
    audiences = "audiences:\n  business: {language: de, themes: [risk, cloud_sprawl, news, opportunities, open_issues], max_slides: 10}\n"
    ws = write_workspace(
        tmp_path / "ws",
        MINIMAL_CONFIG + "news: news.yaml\n",
        {"data/l.csv": lic, "data/s.csv": seats, "news.yaml": news},
        audiences,
    )
    result = build(BuildRequest(config=ws / "sambrief.yaml", audience="all"))
    pages, _ = pdf_text(result.out_dir / "business" / "onepager.pdf")
    assert pages == 1
    assert any("one-pager: shortened to fit one page" in w for w in result.warnings)


@pytest.mark.usefixtures("no_deck_pdf")  # reads the one-pagers and the intranet page
@pytest.mark.parametrize("audience", ["management", pytest.param("all", marks=pytest.mark.slow)])
def test_markup_from_exports_is_escaped(tmp_path, audience):
    lic = "Hersteller;Produkt;Lizenzbestand;Lizenzbedarf;Einzelpreis\n<script>alert(1)</script>;<img src=x onerror=alert(1)>;1;5;10\n"
    news = "items:\n  - {date: 2026-10-01, title: '<b onmouseover=alert(1)>Hi</b>', text: '<script>x</script>'}\n"
    ws = write_workspace(tmp_path / "ws", MINIMAL_CONFIG + "news: news.yaml\n", {"data/l.csv": lic, "news.yaml": news})
    result = build(BuildRequest(config=ws / "sambrief.yaml", audience=audience, period="2026-10"))
    for page in list(result.out_dir.glob("*/onepager.html")) + [result.out_dir / "intranet" / "index.html"]:
        doc = lxml_html.fromstring(page.read_text("utf-8"))
        assert not doc.xpath("//script") and not doc.xpath("//img")
        assert not [a for el in doc.iter() if isinstance(el.tag, str) for a in el.attrib if a.lower().startswith("on")]


@pytest.mark.slow
def test_user_template_extends_packaged_and_undefined_fails(tmp_path):
    lic = "Hersteller;Produkt;Lizenzbestand;Lizenzbedarf;Einzelpreis\nA;B;1;5;10\n"
    ws = write_workspace(
        tmp_path / "ws",
        MINIMAL_CONFIG,
        {
            "data/l.csv": lic,
            "templates/onepager.html.j2": '{% extends "sambrief/onepager.html.j2" %}{% block footer %}<footer>Intern – {{ organisation }}</footer>{% endblock %}',
        },
    )
    result = build(BuildRequest(config=ws / "sambrief.yaml", period="2026-10"))
    assert "<footer>Intern – Test AG</footer>" in (result.out_dir / "management" / "onepager.html").read_text("utf-8")
    (ws / "templates" / "onepager.html.j2").write_text(
        '{% extends "sambrief/onepager.html.j2" %}{% block footer %}{{ no_such_thing }}{% endblock %}'
    )
    (result.out_dir / "management" / "onepager.html").unlink()
    with pytest.raises(RenderError) as exc:
        build(BuildRequest(config=ws / "sambrief.yaml", period="2026-10"))
    assert "template onepager.html.j2: 'no_such_thing' is undefined" in str(exc.value)
    assert not (result.out_dir / "management" / "onepager.html").exists()  # nothing half-written


@pytest.mark.usefixtures("no_deck_pdf")  # reads management's one-pager
def test_a_template_added_between_two_builds_is_used_by_the_second(tmp_path):
    lic = "Hersteller;Produkt;Lizenzbestand;Lizenzbedarf;Einzelpreis\nA;B;1;5;10\n"
    ws = write_workspace(tmp_path / "ws", MINIMAL_CONFIG, {"data/l.csv": lic})
    (ws / "templates").mkdir(exist_ok=True)
    first = build(BuildRequest(config=ws / "sambrief.yaml", audience="management", period="2026-10"))
    assert "Neu im Team" not in (first.out_dir / "management" / "onepager.html").read_text("utf-8")
    (ws / "templates" / "onepager.html.j2").write_text(
        '{% extends "sambrief/onepager.html.j2" %}{% block footer %}<footer>Neu im Team</footer>{% endblock %}'
    )
    second = build(BuildRequest(config=ws / "sambrief.yaml", audience="management", period="2026-10"))
    assert "<footer>Neu im Team</footer>" in (second.out_dir / "management" / "onepager.html").read_text("utf-8")


@pytest.mark.slow  # a fresh interpreter imports WeasyPrint and lays out a page (5 s of CPU)
def test_pdf_is_made_when_the_loader_cannot_open_pangos_sonames_directly():
    """The quick WeasyPrint import relies on the dynamic loader; where it cannot find a library
    by its soname, the usual search (ctypes.util.find_library) still finds it and the PDF is made."""
    code = (
        "import cffi\n"
        "opened = cffi.FFI.dlopen\n"
        "def dlopen(self, name, flags=0):\n"
        "    if '.so.' in str(name):\n"
        "        raise OSError(name)\n"
        "    return opened(self, name, flags)\n"
        "cffi.FFI.dlopen = dlopen\n"
        "from sambrief.render.html import write_pdf\n"
        "pdf, pages = write_pdf('<p>Lizenzen</p>')\n"
        "assert pdf.startswith(b'%PDF') and pages == 1\n"
        "print('ok')\n"
    )
    import sys

    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout == "ok\n"  # WeasyPrint's install advice from the first attempt is not shown


@pytest.mark.parametrize("rows", [3, 16])
def test_each_bar_has_its_name_and_value_on_its_own_line_in_the_pdf(rows, tmp_path):
    import pdfplumber

    from sambrief.render.html import write_pdf

    names = tuple(f"Produkt{chr(65 + i)}" for i in range(rows))
    chart = Chart("bar", names, tuple(float(1000 + 100 * i) for i in range(rows)), "Lizenzen", "count")
    pdf, pages = write_pdf(
        f'<html><body style="font-family: Carlito"><div style="width: 84mm">{svg_chart(chart, Formatter("de", "EUR"))}</div></body></html>'
    )
    (tmp_path / "chart.pdf").write_bytes(pdf)
    with pdfplumber.open(tmp_path / "chart.pdf") as doc:
        page = doc.pages[0]
        words = {w["text"]: w for w in page.extract_words()}
        bars = sorted(page.rects, key=lambda r: r["top"])
    assert pages == 1 and len(bars) == rows
    for name, value, bar in zip(names, chart.values, bars):
        label, shown = words[name], words[Formatter("de", "EUR").count(value)]
        assert abs(label["bottom"] - shown["bottom"]) < 0.3  # name and value on one baseline
        assert label["top"] < bar["bottom"] and bar["top"] < label["bottom"]  # ... beside their bar
        assert label["x1"] < bar["x0"] < shown["x0"]  # name left of the bar, value right of it


def test_nothing_sticks_out_past_the_right_margin(audience):
    """The business one-pager's process steps once stuck out of their card by 2 mm: every text and box of
    every one-pager stays inside the page's 13 mm right margin."""
    import pdfplumber

    example, b = audience
    with pdfplumber.open(example.out_dir / b.output_key / "onepager.pdf") as doc:
        page = doc.pages[0]
        edge = page.width - 13 / 25.4 * 72 + 0.5  # A4 minus the @page margin, half a point of tolerance
        words = [w for w in page.extract_words() if w["x1"] > edge]
        boxes = [r for r in page.rects if r["x1"] > edge]
    assert not words and not boxes, (b.output_key, [w["text"] for w in words], [round(r["x1"], 1) for r in boxes])


@pytest.mark.parametrize(
    "values",
    [
        (1_020_000, 822_003, 620_833),
        (100, 400, 900, 1_600),
        (900, 100, 850, 50, 800),
        (500, 500, 500),
        (3, 9, 2, 8, 1, 7, 2, 9, 1, 8, 2, 9),
    ],
)
def test_line_chart_values_stay_off_the_line_and_each_other(values):
    """A falling line crossed the value above its middle point ('822.003 €' on the line): each
    value sits where neither the line nor another value is, inside the chart and above its names."""
    from sambrief.render.placement import crosses, overlaps
    from sambrief.render.svgchart import _ASCENT, _LABELS, line_value_places, text_box

    width, height, size = 320, 150, 11
    col, base = width / len(values), height - 18
    points = [(i * col + col / 2, base - (base - 16) * v / max(values)) for i, v in enumerate(values)]
    shown = [fmt_value(v, "money", Formatter("de", "EUR")) for v in values]
    widths = [_LABELS.width_pt(s, size) for s in shown]
    floor = height - 4 - _ASCENT * size - 1
    boxes = [
        text_box(*place, w, size) for place, w in zip(line_value_places(points, widths, size, width, floor), widths)
    ]
    free = [b for b in boxes if not any(crosses(b, p, q, margin=1) for p, q in zip(points, points[1:]))]
    assert free == boxes
    assert all(b[0] >= 0 and b[2] <= width and b[1] >= 0 and b[3] <= floor for b in boxes)
    assert not any(overlaps(a, b) for i, a in enumerate(boxes) for b in boxes[i + 1 :])


def test_a_line_break_inside_an_exported_name_keeps_every_bar_label_at_its_bar(tmp_path):
    """Bar names share one box, a line each: a U+2028 (which clean_text keeps) inside a name once
    moved every name below it to the next bar and the last one out of the chart."""
    import pdfplumber

    from sambrief.render.html import write_pdf

    chart = Chart("bar", ("Alpha\u2028Corp", "Beta\u2029Ltd", "Gamma\x1cX"), (30.0, 20.0, 10.0), "Lizenzen", "count")
    pdf, _ = write_pdf(
        f'<html><body style="font-family: Carlito"><div style="width: 84mm">{svg_chart(chart, Formatter("de", "EUR"))}</div></body></html>'
    )
    (tmp_path / "chart.pdf").write_bytes(pdf)
    with pdfplumber.open(tmp_path / "chart.pdf") as doc:
        words = {w["text"]: w for w in doc.pages[0].extract_words()}
    for first, second, value in (("Alpha", "Corp", "30"), ("Beta", "Ltd", "20"), ("Gamma", "X", "10")):
        assert abs(words[first]["bottom"] - words[value]["bottom"]) < 0.3  # the name on its value's (its bar's) line
        assert abs(words[second]["bottom"] - words[value]["bottom"]) < 0.3


def test_a_negative_column_keeps_its_name_under_the_chart():
    """A value that reaches below the names gets a box of its own; the name stays in its row."""
    markup = str(svg_chart(Chart("column", ("a", "b"), (10.0, -30.0), "Saldo", "count"), Formatter("de", "EUR")))
    assert "line-height:-" not in markup
    alone = {text: float(top) for top, text in re.findall(r"top:(-?[\d.]+)%[^>]*>([^<]*)</span>", markup)}
    assert 80 < alone["b"] < 100  # the negative column's name in the names' row, inside the chart
    # the positive column's name still shares its value's box, shifted down to the names' row
    assert re.search(r'\n<span style="position:relative;top:[\d.]+mm">a</span></span>', markup)


@pytest.mark.parametrize("lang", ["de", "en"])
def test_a_renewal_calendar_in_half_a_page_keeps_every_label_whole_apart_and_legible(lang, tmp_path):
    """The renewal calendar in a half-width card: months were cut ('Nov…', 'Jan.…') and the values of
    neighbouring months ran into each other ('114.000 €' on '344.256 €'). Every month name is whole
    (broken at its space where it is too wide), no two labels overlap, none is below 6.5 pt."""
    import pdfplumber

    from sambrief.render.html import write_pdf

    fmt = Formatter(lang, "EUR")
    months = [date(2026 + (10 + k) // 12, (10 + k) % 12 + 1, 1) for k in range(12)]
    labels = tuple(
        f"{fmt.month_short(m)} {m:%y}" if k == 0 or m.month == 1 else fmt.month_short(m) for k, m in enumerate(months)
    )
    values = (2475.0, 114000.0, 344256.0, 78000.0, 94290.0, 25920.0, 69120.0, 188700.0, 0.0, 11500.0, 4560.0, 324000.0)
    chart = Chart("column", labels, values, "Vertragsenden", "money", highlights=(0, 1, 2), label_zero=False)
    pdf, pages = write_pdf(
        f'<html><body style="font-family: Carlito"><div style="width: 84mm">{svg_chart(chart, fmt)}</div></body></html>'
    )
    (tmp_path / "chart.pdf").write_bytes(pdf)
    with pdfplumber.open(tmp_path / "chart.pdf") as doc:
        page = doc.pages[0]
        words = page.extract_words(keep_blank_chars=True, x_tolerance=1.5)
        sizes = {round(c["size"], 2) for c in page.chars}
    texts = [w["text"] for w in words]
    assert pages == 1 and not [t for t in texts if "…" in t]
    flat = " ".join(texts).replace("\u00a0", " ")
    for name in labels:
        assert all(part in texts for part in name.split(" ")) or name in texts, (name, texts)
    for value in values:
        if value:
            assert fmt_value(value, "money", fmt).replace("\u00a0", " ") in flat
    boxes = [(w["x0"], w["top"], w["x1"], w["bottom"]) for w in words]
    clash = [
        (texts[i], texts[j])
        for i, a in enumerate(boxes)
        for j, b in enumerate(boxes[i + 1 :], i + 1)
        if a[0] < b[2] - 0.2 and b[0] < a[2] - 0.2 and a[1] < b[3] - 0.2 and b[1] < a[3] - 0.2
    ]
    assert not clash
    assert min(sizes) >= 6.5 - 0.01
