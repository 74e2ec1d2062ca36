"""Configuration errors, one fixture file per case (tests/fixtures/config/<case>.yaml); each
file ends with the exact `# expect:` lines `load_settings` must report, file and line included."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from conftest import REPO

from sambrief.config.workspace import load_settings
from sambrief.errors import ConfigError

CASES = REPO / "tests" / "fixtures" / "config"
CASE_FILES = sorted(p for p in CASES.glob("*.yaml") if p.read_text("utf-8").count("# expect: "))


@pytest.mark.parametrize("case", CASE_FILES, ids=[p.stem for p in CASE_FILES])
def test_configuration_error_names_file_line_and_key(case: Path, tmp_path: Path, monkeypatch):
    for companion in CASES.glob("*.yaml"):  # files a case names (audiences: ...)
        if companion not in CASE_FILES:
            shutil.copy(companion, tmp_path / companion.name)
    shutil.copy(case, tmp_path / "sambrief.yaml")
    monkeypatch.chdir(tmp_path)
    expected = [
        line.removeprefix("# expect: ")
        for line in case.read_text("utf-8").splitlines()
        if line.startswith("# expect: ")
    ]
    with pytest.raises(ConfigError) as error:
        load_settings(tmp_path / "sambrief.yaml")
    assert error.value.problems == expected


def test_every_case_file_states_what_it_expects():
    named = {p.name for p in CASES.glob("*.yaml")} - {p.name for p in CASE_FILES}
    assert named == {"audiences-rsk.yaml"}  # the only companion file; every other file is a case
