"""Validates Helm values (JSON on stdin, as the chart renderer merges them) against a values.schema.json.

Usage: python3 validate_values.py SCHEMA < values.json
Prints one "path: message" line per violation; exit 0 when valid, 1 when not, 2 when the schema itself is invalid.
"""
import json
import sys

import jsonschema

with open(sys.argv[1], encoding="utf-8") as f:
    schema = json.load(f)
try:
    jsonschema.Draft7Validator.check_schema(schema)
except jsonschema.SchemaError as e:
    print(f"schema: {e.message}")
    sys.exit(2)
values = json.load(sys.stdin)
errors = sorted(jsonschema.Draft7Validator(schema).iter_errors(values), key=lambda e: list(e.absolute_path))
for e in errors:
    print("/".join(str(p) for p in e.absolute_path) + ": " + e.message)
sys.exit(1 if errors else 0)
