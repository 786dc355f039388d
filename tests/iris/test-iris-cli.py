#!/usr/bin/env python3
"""rekam-afis iris commands end to end on synthetic eyes: extract (good,
undecodable and eyeless images), match, score (order, bad lines),
identify, ISO/IEC 19794-6 record write/read, eval. Usage: test-iris-cli.py PATH/TO/rekam-afis"""
import os
import subprocess
import sys
import tempfile


def run(cli, *args, stdin=None):
    return subprocess.run([cli, "iris", *args], input=stdin, capture_output=True,
                          text=True, timeout=300)


def check(condition, message):
    if not condition:
        print("FAIL:", message)
        sys.exit(1)


def main():
    cli = sys.argv[1]
    with tempfile.TemporaryDirectory() as tmp:
        images = os.path.join(tmp, "eyes")
        out = os.path.join(tmp, "templates")
        os.mkdir(out)
        r = run(cli, "synth", "-o", images, "--eyes", "3", "--captures", "2", "--seed", "4")
        check(r.returncode == 0, "synth failed: " + r.stderr)
        pngs = sorted(os.path.join(d, f) for d, _, fs in os.walk(images) for f in fs)
        check(len(pngs) == 6, "synth wrote %d images" % len(pngs))

        # an undecodable file and a flat grey image with no eye in it
        garbage = os.path.join(tmp, "garbage.png")
        with open(garbage, "wb") as f:
            f.write(b"not an image at all")
        flat = os.path.join(tmp, "flat.pgm")
        with open(flat, "wb") as f:
            f.write(b"P5\n320 280\n255\n" + bytes([140]) * (320 * 280))
        r = run(cli, "extract", *pngs, garbage, flat, "-o", out)
        check(r.returncode == 1, "extract should fail for the bad images")
        check("garbage.png" in r.stderr and "flat.pgm: no eye found" in r.stderr,
              "stderr names the unusable images: " + r.stderr)
        made = sorted(os.listdir(out))
        check(made == sorted(os.path.basename(p)[:-4] + ".iris" for p in pngs),
              "one template per usable image: %s" % made)

        t = lambda name: os.path.join(out, name + ".iris")
        same = float(run(cli, "match", t("e0000_0"), t("e0000_1")).stdout)
        other = float(run(cli, "match", t("e0000_0"), t("e0001_0")).stdout)
        check(0 <= same < 0.3 and 0.35 < other <= 1, "match: same %g other %g" % (same, other))
        r = run(cli, "match", t("e0000_0"))
        check(r.returncode == 2, "match with one argument is a usage error")

        pairs = "%s\t%s\n%s\n%s\t%s\n" % (t("e0001_0"), t("e0001_1"), t("e0002_0"),
                                          t("e0000_0"), t("e0002_1"))
        r = run(cli, "score", stdin=pairs)
        lines = r.stdout.split()
        check(r.returncode == 1 and len(lines) == 3 and lines[1] == "nan",
              "score keeps input order and marks bad lines: %s" % lines)
        check(float(lines[0]) < 0.3 and float(lines[2]) > 0.35, "score values %s" % lines)

        gallery = os.path.join(tmp, "gallery")
        os.mkdir(gallery)
        for name in ("e0000_0", "e0001_0", "e0002_0"):
            os.link(t(name), os.path.join(gallery, name + ".iris"))
        r = run(cli, "identify", "--gallery", gallery, "--top", "2", t("e0002_1"))
        check(r.returncode == 0 and r.stdout.split("\t")[1].startswith("e0002_0:"),
              "identify ranks the mate first: " + r.stdout)

        record = os.path.join(tmp, "left.iir")
        r = run(cli, "record", "--eye", "left", pngs[0], pngs[1], "-o", record)
        check(r.returncode == 0, "record: " + r.stderr)
        r = run(cli, "record", "--read", record)
        rows = r.stdout.strip().split("\n")
        check(r.returncode == 0 and len(rows) == 3 and rows[1].split("\t")[1:3] == ["left", "7"],
              "record --read: " + r.stdout)
        with open(record, "rb") as f:
            data = f.read()
        truncated = os.path.join(tmp, "cut.iir")
        with open(truncated, "wb") as f:
            f.write(data[:len(data) // 2])
        r = run(cli, "record", "--read", truncated)
        check(r.returncode == 1 and "malformed record" in r.stderr, "truncated record: " + r.stderr)

        r = run(cli, "eval", images)
        check(r.returncode == 0 and "fte\t0\t" in r.stdout and "genuine\t3\n" in r.stdout
              and "impostor\t3\n" in r.stdout, "eval output: " + r.stdout)
    print("ok")


if __name__ == "__main__":
    main()
