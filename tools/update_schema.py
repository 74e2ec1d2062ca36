"""Regenerate the shipped JSON Schema of sambrief.yaml from the configuration model.

Run after changing the schema, a dataset or an export layout:
    .venv/bin/python tools/update_schema.py
"""

import json
from pathlib import Path

from sambrief.config.schema import config_json_schema

TARGET = Path(__file__).resolve().parent.parent / "src" / "sambrief" / "defaults" / "sambrief.schema.json"
TARGET.write_text(json.dumps(config_json_schema(), indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
print(f"wrote {TARGET}")
