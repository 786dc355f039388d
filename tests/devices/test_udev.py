#!/usr/bin/env python3
"""Checks udev/70-rekam.rules and udev/70-rekam.hwdb.

The rules are parsed the way udev tokenises them (KEY[{attr}] OP "value",
comma-separated): every key must be one udev knows, matches must use ==/!=,
assignments =/+=/:=, every GOTO must reach a LABEL, and each rule that
grants access must set group rekam, mode 0660 and the rekam tag. The hwdb
is compiled with `systemd-hwdb update --strict` into a scratch root and
queried for every USB ID that docs/devices.md lists, so the docs, the hwdb
and the rules cannot drift apart. Exit 77 when systemd-hwdb is missing.
"""
import os
import re
import shutil
import subprocess
import sys
import tempfile

SRC = os.environ.get("REKAM_SOURCE_DIR", os.path.join(os.path.dirname(__file__), "..", ".."))
RULES = os.path.join(SRC, "udev", "70-rekam.rules")
HWDB = os.path.join(SRC, "udev", "70-rekam.hwdb")
DOC = os.path.join(SRC, "docs", "devices.md")

MATCH_KEYS = {"ACTION", "DEVPATH", "KERNEL", "KERNELS", "NAME", "SYMLINK", "SUBSYSTEM", "SUBSYSTEMS",
              "DRIVER", "DRIVERS", "ATTR", "ATTRS", "SYSCTL", "ENV", "CONST", "TAG", "TAGS", "TEST",
              "PROGRAM", "RESULT"}
ASSIGN_KEYS = {"NAME", "SYMLINK", "OWNER", "GROUP", "MODE", "SECLABEL", "ATTR", "SYSCTL", "ENV", "TAG",
               "RUN", "LABEL", "GOTO", "IMPORT", "OPTIONS"}
TOKEN = re.compile(r'\s*([A-Z_]+)(\{[^}]*\})?\s*(==|!=|\+=|-=|:=|=)\s*"([^"]*)"\s*(,|$)')

failures = []


def fail(msg):
    failures.append(msg)


def parse_rules(text):
    rules, labels, gotos = [], set(), []
    for lineno, line in enumerate(text.splitlines(), 1):
        s = line.strip()
        if not s or s.startswith("#"):
            continue
        pos, tokens = 0, []
        while pos < len(s):
            m = TOKEN.match(s, pos)
            if not m:
                fail(f"rules line {lineno}: cannot parse at column {pos + 1}: {s[pos:pos + 30]!r}")
                break
            key, attr, op, value = m.group(1), m.group(2), m.group(3), m.group(4)
            if op in ("==", "!="):
                if key not in MATCH_KEYS:
                    fail(f"rules line {lineno}: {key} is not a match key")
            elif key not in ASSIGN_KEYS:
                fail(f"rules line {lineno}: {key} cannot be assigned")
            if key == "LABEL":
                labels.add(value)
            if key == "GOTO":
                gotos.append((lineno, value))
            if key == "MODE" and not re.fullmatch(r"0[0-7]{3}", value):
                fail(f"rules line {lineno}: MODE {value} is not octal")
            tokens.append((key, attr, op, value))
            pos = m.end()
        rules.append((lineno, tokens))
    for lineno, target in gotos:
        if target not in labels:
            fail(f"rules line {lineno}: GOTO {target} has no LABEL")
    return rules


def check_access_rules(rules):
    granting = 0
    for lineno, tokens in rules:
        assigned = {(k, v) for k, _, op, v in tokens if op in ("=", "+=", ":=")}
        if any(k == "GROUP" for k, _ in assigned):
            granting += 1
            for need in (("GROUP", "rekam"), ("MODE", "0660"), ("TAG", "rekam")):
                if need not in assigned:
                    fail(f"rules line {lineno}: grants access without {need[0]}={need[1]}")
            if any(k == "MODE" and v.endswith(("6", "7", "2", "3")) for k, v in assigned):
                fail(f"rules line {lineno}: world-writable MODE")
    if granting < 4:
        fail(f"only {granting} access rules (finger, signature, camera, scanner expected)")


def doc_usb_ids():
    ids = set()
    with open(DOC, encoding="utf-8") as f:
        for m in re.finditer(r"\b([0-9a-f]{4}):([0-9a-f]{4})\b", f.read()):
            ids.add((m.group(1), m.group(2)))
    return ids


def hwdb_usb_ids(text):
    return {(m.group(1).lower(), m.group(2).lower())
            for m in re.finditer(r"^usb:v([0-9A-F]{4})p([0-9A-F]{4})\*$", text, re.M)}


def main():
    with open(RULES, encoding="utf-8") as f:
        rules = parse_rules(f.read())
    check_access_rules(rules)
    with open(HWDB, encoding="utf-8") as f:
        hwdb_text = f.read()
    in_hwdb = hwdb_usb_ids(hwdb_text)
    in_doc = doc_usb_ids()
    for vid, pid in sorted(in_hwdb - in_doc):
        fail(f"{vid}:{pid} is in the hwdb but not in docs/devices.md")
    for vid, pid in sorted(in_doc - in_hwdb):
        fail(f"{vid}:{pid} is in docs/devices.md but not in the hwdb")

    tool = shutil.which("systemd-hwdb")
    if tool is None:
        print("SKIP: systemd-hwdb not installed; rules parsed only", file=sys.stderr)
        report()
        sys.exit(77 if not failures else 1)
    with tempfile.TemporaryDirectory() as root:
        os.makedirs(os.path.join(root, "etc/udev/hwdb.d"))
        shutil.copy(HWDB, os.path.join(root, "etc/udev/hwdb.d"))
        r = subprocess.run([tool, "update", "--strict", "--root", root], capture_output=True, text=True)
        if r.returncode != 0:
            fail(f"systemd-hwdb update --strict: {r.stderr.strip()}")
        for vid, pid in sorted(in_hwdb):
            q = subprocess.run([tool, "query", "--root", root, f"usb:v{vid.upper()}p{pid.upper()}d0100"],
                               capture_output=True, text=True)
            if "REKAM_DEVICE_CLASS=" not in q.stdout:
                fail(f"hwdb gives {vid}:{pid} no REKAM_DEVICE_CLASS")
        q = subprocess.run([tool, "query", "--root", root, "usb:v1D6Bp0002d0100"], capture_output=True, text=True)
        if "REKAM_DEVICE_CLASS" in q.stdout:
            fail("a Linux root hub got a REKAM_DEVICE_CLASS")
    report()
    sys.exit(1 if failures else 0)


def report():
    for f in failures:
        print("FAIL:", f, file=sys.stderr)
    if not failures:
        print("udev rules and hwdb OK")


if __name__ == "__main__":
    main()
