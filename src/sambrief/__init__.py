"""sambrief: turn SAM tool exports into briefings managers actually read."""

__version__ = "0.1.0"
