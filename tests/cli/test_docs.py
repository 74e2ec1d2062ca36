"""The README's promises: two quick-start commands, and CI runs the README's test command."""

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

    from sambrief.cli.app import app

    readme = (REPO / "README.md").read_text("utf-8")
    for name in get_command(app).commands:
        assert f"sambrief {name}" in readme, name


def _help_options(path: list[str]) -> set[str]:
    import re

    from typer.testing import CliRunner

    from sambrief.cli.app import app

    result = CliRunner().invoke(app, [*path, "--help"])
    assert result.exit_code == 0, path
    options = result.stdout.split("Options:")[1].split("Commands:")[0]
    return set(re.findall(r"(?<![\w-])(--[a-z][a-z-]*)", options)) - {"--help", "--debug"}


def test_readme_command_table_matches_help():
    import re

    readme = (REPO / "README.md").read_text("utf-8")
    table = readme.split("## Commands")[1].split("\n\n")[1]
    documented: dict[tuple[str, ...], set[str]] = {}
    for usage in re.findall(r"`(sambrief [^`]+)`", table):
        words = usage.split()[1:]
        path = tuple(w for w in words[:2] if re.fullmatch(r"[a-z]+", w) and w != "all")
        if len(path) == 2 and path[1] not in ("forget", "inspect"):
            path = path[:1]
        documented.setdefault(path, set()).update(re.findall(r"--[a-z][a-z-]*", usage))
    from typer.main import get_command

    from sambrief.cli.app import app

    commands = get_command(app).commands
    for name, command in commands.items():
        subcommands = getattr(command, "commands", None)
        paths = [(name, sub) for sub in subcommands] if subcommands else [(name,)]
        if name == "history":
            paths.append((name,))
        for path in paths:
            assert path in documented, f"README's command table lacks `sambrief {' '.join(path)}`"
            assert documented[path] - {"--debug"} == _help_options(list(path)), path


def test_readme_exit_codes_match_the_code():
    import re

    from sambrief.errors import ExitCode

    readme = (REPO / "README.md").read_text("utf-8")
    paragraph = readme.split("**Exit codes:**")[1].split("\n\n")[0]
    assert [int(c) for c in re.findall(r"`(\d+)`", paragraph)] == [0, *sorted(int(c) for c in ExitCode)]  # 0: success


def test_readme_configuration_keys_match_the_schema():
    import json
    import re

    readme = (REPO / "README.md").read_text("utf-8")
    section = readme.split("### sambrief.yaml")[1].split("###")[0]
    keys = set(re.findall(r"^\| `([a-z_]+)` \|", section, flags=re.M))
    schema = json.loads((REPO / "src" / "sambrief" / "defaults" / "sambrief.schema.json").read_text("utf-8"))
    assert keys == set(schema["properties"]) - {"organization"}
