"""Privacy at the door: person identifiers become keyed pseudonyms before anything else sees them.

SipHash-2-4 (a keyed pseudo-random function made for exactly this: short inputs, a secret key)
with a key derived from the workspace key, so the same user is the same key in every export of
a build (joins and distinct counts still work) while a dictionary of user names cannot reverse
it without the key. pandas computes it in C for a whole array (pandas.util.hash_array, which
mixes the 64-bit result with a fixed bijection): a million distinct users take about a third of
a second with the hex names, where one Python hash call per user took over half a second.
Pseudonyms live only in memory during a build (never in the history, manifest or outputs), so
changing the hash changes no stored figure. An export's person column is pseudonymised whole
(pseudonymise_column), one arrow pass and one hashing pass.
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
    import pandas as pd

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


def pseudonymise_column(column: pd.Series, blank: np.ndarray, pseudonymise: Pseudonymiser) -> pd.Categorical:
    """Person identifiers -> pseudonyms, the whole column at once: what clean_text and then
    Pseudonymiser give per value (missing where blank or where the cell cleans to nothing).

    Normalised in arrow: a plain ASCII identifier (the usual UPN or mail address) is clean as
    it is and only needs lower-casing (its case-fold); only the others (non-ASCII, odd spacing,
    a guest's '#EXT#' UPN) go through clean_text and normalise_identifier in Python.
    A categorical: one code per row into the distinct pseudonyms, so the model counts and joins
    people on integers without hashing a million texts again."""
    import numpy as np
    import pandas as pd
    import pyarrow as pa
    import pyarrow.compute as pc

    from sambrief.ingest.columns import PLAIN, as_text, distinct_categorical, per_distinct
    from sambrief.text import clean_text

    # Normalised first, then hashed and factorized once (a million users are a million distinct texts).
    text = as_text(column)
    raw = getattr(text.array, "_pa_array", None)
    if raw is None:
        raw = pa.array(np.asarray(text, dtype=object), type=pa.string())
    if isinstance(raw, pa.ChunkedArray):
        raw = raw.combine_chunks()
    del text
    lowered = pc.ascii_lower(raw)
    fast = pc.and_(pc.match_substring_regex(raw, f"^{PLAIN}$"), pc.invert(pc.match_substring(lowered, "#ext#@")))
    slow = ~pc.fill_null(fast, False).to_numpy(zero_copy_only=False) & ~blank
    del fast
    replace = slow | blank  # blank cells name no one: no category for them
    if replace.any():
        # Non-ASCII, odd spacing, a guest's '#EXT#' UPN: the exact Python rules, once per distinct text.
        rows = np.flatnonzero(replace)
        originals = pd.Series(raw.take(pa.array(rows)).to_numpy(zero_copy_only=False), dtype=object)
        fixed = per_distinct(
            originals,
            lambda value: normalise_identifier(cleaned) if (cleaned := clean_text(value)) else None,
            skip=blank[rows],
        )
        lowered = pc.replace_with_mask(lowered, pa.array(replace), pa.array(list(fixed), type=lowered.type))
    del raw
    # Hashed row by row, a slice at a time (a million identifiers as Python strings at once cost
    # ~80 MB at the read's peak), then factorized on the 64-bit hashes: equal normal forms give
    # equal hashes ('A@x' and 'a@x' are one person, one category), and a million integers are
    # factorized in a fraction of the time a million distinct texts are.
    n = len(lowered)
    hashed = np.empty(n, dtype=np.uint64)
    step = 1 << 16
    for at in range(0, n, step):
        hashed[at : at + step] = pseudonymise.hashes(
            lowered.slice(at, step).fill_null("").to_numpy(zero_copy_only=False)
        )
    named = lowered.is_valid().to_numpy(zero_copy_only=False) & ~blank
    del lowered
    found, distinct = pd.factorize(hashed[named])
    del hashed
    codes = np.full(n, -1, dtype=np.int32 if len(distinct) < 2**31 - 1 else np.int64)
    codes[named] = found
    return distinct_categorical(codes, hex_names(np.asarray(distinct, dtype=np.uint64)))


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


# A free-text register cell that names a person by the forms a person is written in: an e-mail
# address or @mention, or a salutation or title before a capitalised name ("Frau Schmidt",
# "Dr. Weber", "Mr Smith"). A bare "Anna Schmidt" cannot be told from "Finanzen Controlling" by
# its form: the registers' instructions ask for a decision or unit instead (works council).
PERSON_FORMS = re.compile(
    r"@|\b(?:Herrn?|Frau|Hr\.|Fr\.|Mr\.?|Mrs\.?|Ms\.?|Miss|Dr\.|Prof\.)\s*[A-ZÄÖÜ]",
)


def names_a_person(texts: Sequence[object]) -> np.ndarray:
    """Per cell (a whole column at once): whether it seems to name a person (PERSON_FORMS).
    Missing cells name nobody."""
    import pandas as pd

    column = pd.Series(texts, dtype=object).astype("string")
    return column.str.contains(PERSON_FORMS, regex=True).fillna(False).to_numpy(dtype=bool)
