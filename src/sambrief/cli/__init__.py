"""The command line: the typer app, its language and completion."""
