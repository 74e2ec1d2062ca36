"""Reading exports: readers, layout detection, canonicalisation, parsing, text cleaning, privacy at the door, limits."""
