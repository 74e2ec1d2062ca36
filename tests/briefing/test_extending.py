"""Extending sambrief as the architecture says: a theme is two files, an output format one
module. A copy of the package gets both, and a build in a fresh process (configuration,
discovery, catalogs, figures, rendering, manifest) shows them; the package itself is untouched."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys

import pytest
from conftest import MINIMAL_CONFIG, REPO, write_workspace
from pptx import Presentation
from test_theme_registry import DEMO_FILE, DEMO_MODULE

pytestmark = pytest.mark.slow  # a package copy and a build in a fresh process

TEXT_OUTPUT = '''
"""Plain text: each finding's headline on a line."""

from sambrief.render.rendered import FileKind, OutputFormat, Rendered

HEADLINES = FileKind("headlines", "text/plain", "headlines-{audience}-{period}.txt", link={"de": "Schlagzeilen", "en": "Headlines"})


def render(briefing, settings):
    rendered = Rendered({})
    rendered.add(HEADLINES, briefing, "\\n".join(f.headline for f in briefing.findings).encode("utf-8"))
    return rendered


OUTPUT = OutputFormat((HEADLINES,), render, place=30)
'''

LICENCES = (
    "Hersteller;Produkt;Lizenzbestand;Lizenzbedarf;Einzelpreis\nA;Alpha;10;12;100,00\nB;Beta;5;5;50,00\nC;Gamma;3;8;\n"
)


@pytest.fixture(scope="module")
def extended_build(tmp_path_factory):
    root = tmp_path_factory.mktemp("extended")
    package = root / "src" / "sambrief"
    shutil.copytree(REPO / "src" / "sambrief", package, ignore=shutil.ignore_patterns("__pycache__"))
    (package / "briefing" / "themes" / "demo_topic.py").write_text(DEMO_MODULE, "utf-8")
    (package / "defaults" / "messages" / "themes" / "demo_topic.yaml").write_text(DEMO_FILE, "utf-8")
    (package / "render" / "outputs" / "text.py").write_text(TEXT_OUTPUT, "utf-8")
    ws = write_workspace(
        root / "ws",
        MINIMAL_CONFIG,
        {"data/lizenzen.csv": LICENCES},
        "audiences:\n  management:\n    themes: [risk, demo_topic]\n    formats: [pptx, text]\n"
        "    channels: [deck, intranet]\n",
    )
    env = {**os.environ, "PYTHONPATH": str(root / "src"), "SAMBRIEF_PSEUDONYM_KEY": "test-key-not-secret"}

    def run(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run(
            [sys.executable, "-m", "sambrief", *args], cwd=root, env=env, capture_output=True, text=True, timeout=300
        )

    where = subprocess.run(
        [sys.executable, "-c", "import sambrief; print(sambrief.__file__)"],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert where.stdout.strip().startswith(str(package))  # the copy is built, not the installed package
    built = run("build", "--config", str(ws / "sambrief.yaml"), "--audience", "management")
    assert built.returncode == 0, built.stdout + built.stderr
    return ws / "out", run


def test_a_theme_added_as_two_files_is_on_its_slide(extended_build):
    out, _ = extended_build
    deck = next(out.rglob("*.pptx"))
    texts = [
        shape.text_frame.text
        for slide in Presentation(str(deck)).slides
        for shape in slide.shapes
        if shape.has_text_frame
    ]
    assert "Das Demo-Thema zählt 3 Produkte im Lizenzbestand" in texts
    manifest = json.loads(next(out.rglob("manifest.json")).read_text("utf-8"))
    assert manifest["audiences"]["management"]["figures"]["demo_topic.products"] == 3
    assert not (REPO / "src" / "sambrief" / "briefing" / "themes" / "demo_topic.py").exists()


def test_an_output_format_added_as_one_module_is_written_linked_and_recorded(extended_build):
    out, _ = extended_build
    written = next(out.rglob("headlines-management-*.txt")).read_text("utf-8")
    assert "Das Demo-Thema zählt 3 Produkte im Lizenzbestand" in written.splitlines()
    manifest = json.loads(next(out.rglob("manifest.json")).read_text("utf-8"))
    kinds = manifest["audiences"]["management"]["kinds"]
    assert "headlines" in kinds.values() and "deck" in kinds.values()
    page = next(out.rglob("intranet/index.html")).read_text("utf-8")
    assert "Schlagzeilen" in page  # its link text, declared by the module
    assert not (REPO / "src" / "sambrief" / "render" / "outputs" / "text.py").exists()


def test_configuration_knows_the_new_names_and_refuses_others(extended_build, tmp_path):
    _, run = extended_build
    ws = write_workspace(
        tmp_path / "ws",
        MINIMAL_CONFIG,
        {"data/lizenzen.csv": LICENCES},
        "audiences:\n  management:\n    themes: [demo_topik]\n    formats: [txt]\n",
    )
    checked = run("check", "--config", str(ws / "sambrief.yaml"))
    assert checked.returncode != 0
    assert "'demo_topik'" in checked.stdout + checked.stderr and "demo_topic" in checked.stdout + checked.stderr
    assert "'txt'" in checked.stdout + checked.stderr and "text" in checked.stdout + checked.stderr
