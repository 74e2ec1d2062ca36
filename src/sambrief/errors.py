"""One exception family; the CLI turns each into one line and an exit code."""

from __future__ import annotations

from enum import IntEnum


class ExitCode(IntEnum):
    """Non-zero exit codes; success is 0."""

    USER_ERROR = 1  # bad configuration or data, or warnings under --strict
    USAGE = 2  # wrong command-line usage (typer/click's own code)
    LOCKED = 3  # another build is running in the workspace
    DELIVERY_FAILED = 4  # some mails could not be sent (the others are logged as sent)
    INTERRUPTED = 130


class SambriefError(Exception):
    """Base for every error a user can fix. The message is one line: what and where, then what to do.
    A message given as a notice (catalog key and values) is printed in the command line's language."""

    exit_code = ExitCode.USER_ERROR

    def in_language(self, language: str) -> str:
        message = self.args[0] if self.args else ""
        return message.in_language(language) if hasattr(message, "in_language") else str(self)


class ConfigError(SambriefError):
    """Raised by config loading; carries every problem found, each with its key path."""

    def __init__(self, problems: list[str], file: str | None = None):  # problems: notices or text
        self.problems = problems
        self.file = file
        where = f"{file}: " if file else ""
        if len(problems) == 1:
            msg = f"{where}{problems[0]}"
        else:
            msg = f"{where}{len(problems)} problems in the configuration:\n" + "\n".join(f"  - {p}" for p in problems)
        super().__init__(msg)

    def in_language(self, language: str) -> str:
        from sambrief.i18n.notices import Notice, in_language

        where = f"{self.file}: " if self.file else ""
        lines = [in_language(p, language) for p in self.problems]
        if len(lines) == 1:
            return f"{where}{lines[0]}"
        head = Notice("config_problems", n=len(lines)).in_language(language)
        return f"{where}{head}\n" + "\n".join(f"  - {line}" for line in lines)


class UsageError(ConfigError):
    """A wrong argument (an unknown audience, a malformed period): exit 2 before any work starts,
    from the command line and the library alike."""

    exit_code = ExitCode.USAGE

    def __init__(self, problem: str):  # a notice or text
        super().__init__([problem])


class InputError(SambriefError):
    """Raised by readers for an export that cannot be used: names the file (and row/column)."""


class RenderError(SambriefError):
    """Raised when a template or renderer cannot produce an output."""


class StrictModeError(SambriefError):
    """Raised when --strict is set and the build produced warnings."""
