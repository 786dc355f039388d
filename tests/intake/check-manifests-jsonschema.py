#!/usr/bin/env python3
"""python3-jsonschema's verdict on every manifest in tests/intake/manifests:
good/ must validate, bad/ must not. test-intake-application asks rekamd's
own validator the same question, so the two agree on every file."""
import json
import os
import sys

try:
    import jsonschema
except ImportError:
    print("python3-jsonschema is not installed")
    sys.exit(77)

root = os.environ.get("REKAM_SOURCE_DIR", os.path.join(os.path.dirname(__file__), "..", ".."))
with open(os.path.join(root, "schemas", "application-manifest.schema.json")) as f:
    schema = json.load(f)
validator = jsonschema.Draft202012Validator(schema)
failures = 0
for verdict in ("good", "bad"):
    folder = os.path.join(root, "tests", "intake", "manifests", verdict)
    for name in sorted(os.listdir(folder)):
        with open(os.path.join(folder, name)) as f:
            instance = json.load(f)
        errors = list(validator.iter_errors(instance))
        ok = not errors
        if ok != (verdict == "good"):
            failures += 1
            print("MISMATCH %s/%s: jsonschema says %s" % (verdict, name, "valid" if ok else errors[0].message))
        else:
            print("ok %s/%s" % (verdict, name))
sys.exit(1 if failures else 0)
