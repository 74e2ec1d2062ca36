"""The README's promises: two quick-start commands, and CI runs the README's test command."""

from pathlib import Path

from conftest import REPO


def test_ci_runs_the_readme_test_command():
    readme = (REPO / "README.md").read_text("utf-8")
    quick = readme.split("## Quick start")[1].split("## ")[0]
    commands = [block.strip() for block in quick.split("```")[1::2]]
    assert len(commands) == 2
    assert "sambrief build --audience management" in commands[0]
    assert commands[1] in (REPO / ".ci" / "run").read_text("utf-8")
    assert (REPO / commands[1].split()[-1]).is_file()


def test_every_command_is_documented():
    from typer.main import get_command

    from sambrief.cli import app

    readme = (REPO / "README.md").read_text("utf-8")
    for name in get_command(app).commands:
        assert f"sambrief {name}" in readme, name
