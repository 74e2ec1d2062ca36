"""Privacy at the door: person identifiers become keyed pseudonyms before anything else sees them.

SipHash-2-4 (a keyed pseudo-random function made for exactly this: short inputs, a secret key)
with a key derived from the workspace key, so the same user is the same key in every export of
a build (joins and distinct counts still work) while a dictionary of user names cannot reverse
it without the key. pandas computes it in C for a whole array (pandas.util.hash_array, which
mixes the 64-bit result with a fixed bijection): a million distinct users take about a third of
a second with the hex names, where one Python hash call per user took over half a second.
Pseudonyms live only in memory during a build (never in the history, manifest or outputs), so
changing the hash changes no stored figure.
"""

from __future__ import annotations

import hashlib
import os
import re
import secrets
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import numpy as np

KEY_ENV = "SAMBRIEF_PSEUDONYM_KEY"
KEY_FILE = Path(".sambrief") / "pseudonym.key"


# A guest's UPN in the inviting tenant: 'first_example.com#EXT#@tenant.onmicrosoft.com' is the
# person 'first@example.com' (the last '_' of the local part stands for the '@').
_GUEST_UPN = re.compile(r"^(?P<local>.+)_(?P<domain>[^_@]+)#ext#@.*$")


def normalise_identifier(identifier: str) -> str:
    """One spelling per person: trimmed, case-folded, a guest's '#EXT#' UPN as its own address."""
    folded = identifier.strip().casefold()
    return _GUEST_UPN.sub(r"\g<local>@\g<domain>", folded) if "#ext#@" in folded else folded


class Pseudonymiser:
    def __init__(self, key: bytes):
        # Any key material condensed to 16 bytes for SipHash. pandas takes the key as text that
        # must encode to exactly 16 bytes, so each byte keeps 7 bits: a 112-bit key.
        condensed = hashlib.blake2b(key, digest_size=16, person=b"sambrief-key").digest()
        self._key = "".join(chr(b & 0x7F) for b in condensed)

    def __call__(self, identifier: str) -> str:
        return str(self.keys([normalise_identifier(identifier)])[0])

    def keys(self, normalised: Sequence[str]) -> np.ndarray:
        """Pseudonyms ('u' and 16 hex digits, an object array of str) of identifiers already
        normalised (normalise_identifier), all at once."""
        return hex_names(self.hashes(normalised))

    def hashes(self, normalised: Sequence[str] | np.ndarray) -> np.ndarray:
        """The keyed 64-bit hashes (uint64) behind keys(): equal identifiers, equal hashes, so a
        column can be hashed row by row and factorized on integers instead of on its texts."""
        import numpy as np
        import pandas as pd

        values = np.empty(len(normalised), dtype=object)
        values[:] = normalised
        return pd.util.hash_array(values, encoding="utf8", hash_key=self._key, categorize=False)


def hex_names(hashed: np.ndarray) -> np.ndarray:
    """uint64 -> 'u' + 16 lower-case hex digits, on whole arrays (no format call per value).
    The texts are made by arrow from one buffer (numpy's bytes -> str -> object takes twice as long)."""
    import numpy as np
    import pyarrow as pa

    digits = np.frombuffer(b"0123456789abcdef", dtype=np.uint8)
    octets = hashed.astype(">u8").view(np.uint8).reshape(-1, 8)
    text = np.empty((len(hashed), 17), dtype=np.uint8)
    text[:, 0] = ord("u")
    text[:, 1::2] = digits[octets >> 4]
    text[:, 2::2] = digits[octets & 15]
    offsets = np.arange(0, 17 * len(hashed) + 1, 17, dtype=np.int64)
    names = pa.Array.from_buffers(pa.large_string(), len(hashed), [None, pa.py_buffer(offsets), pa.py_buffer(text)])
    out: np.ndarray = names.to_numpy(zero_copy_only=False)
    return out


def create_key(workspace: Path) -> Path:
    path = workspace / KEY_FILE
    path.parent.mkdir(parents=True, exist_ok=True)
    if not path.exists():
        # created private (0600) from the start, never readable by others even for a moment
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w", encoding="ascii") as handle:
            handle.write(secrets.token_hex(32) + "\n")
        os.chmod(path, 0o600)
    return path


def load_pseudonymiser(workspace: Path, create: bool = True) -> Pseudonymiser:
    """The key comes from the environment, else from the workspace (created on first use).
    With create=False (read-only commands) a missing key gives a throwaway one."""
    env = os.environ.get(KEY_ENV, "").strip()
    if env:
        return Pseudonymiser(env.encode("utf-8"))
    path = workspace / KEY_FILE
    if not create and not path.exists():
        return Pseudonymiser(secrets.token_bytes(32))
    path = create_key(workspace)
    return Pseudonymiser(path.read_text(encoding="ascii").strip().encode("ascii"))
