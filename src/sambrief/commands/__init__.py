"""The library side of each command: one module per command, each a short function that
reads like a table of contents and returns a typed result the CLI presents."""
