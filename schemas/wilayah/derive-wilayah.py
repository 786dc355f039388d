#!/usr/bin/env python3
"""Derive the region table rekamd ships from the full Kepmendagri list.

Usage: derive-wilayah.py SOURCE.csv > wilayah.csv

Keeps provinces, regencies/cities and kecamatan (what NIK validation needs:
digits 1-2, 1-4 and 5-6) and only the kelurahan of Kecamatan Larangan,
Kota Tangerang (36.71.13), which the demo population lives in. The source
is the MIT-licensed cahyadsn/wilayah table (see LICENSE and README.md).
"""
import csv
import sys

KEEP_VILLAGES_OF = "36.71.13."


def main():
    if len(sys.argv) != 2:
        sys.exit("usage: derive-wilayah.py SOURCE.csv > wilayah.csv")
    with open(sys.argv[1], newline="", encoding="utf-8") as f:
        rows = list(csv.reader(f))
    if rows[0] != ["kode", "nama"]:
        sys.exit("unexpected header: %r" % rows[0])
    out = csv.writer(sys.stdout, lineterminator="\n")
    out.writerow(["kode", "nama"])
    for code, name in rows[1:]:
        depth = code.count(".") + 1
        if depth <= 3 or code.startswith(KEEP_VILLAGES_OF):
            out.writerow([code, name])


if __name__ == "__main__":
    main()
