"""Message catalogs, notices and message levels."""
