#!/usr/bin/env python3
"""Intake through a real rekamd and rekamctl over the unix socket: extract
import (good, broken, re-import), NIK check, resident search, cases with
the checklist gate, referral and its PDF slip, online applications (zip,
folder, path traversal), the SOP report and the audit chain; and the
demo start (timed).

  test_intake_integration.py [-v] REKAMD REKAMCTL REKAM-SIAK-GEN [Test...]
"""
import io
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import unittest
import zipfile

REKAMD = REKAMCTL = SIAK_GEN = None
JPEG = b"\xff\xd8\xff\xe0 not really a picture"
PDF = b"%PDF-1.4 not really a document"


class Daemon:
    def __init__(self, demo=False):
        self.tmp = tempfile.mkdtemp(prefix="rk-intake-")
        self.state = os.path.join(self.tmp, "state")
        self.socket = os.path.join(self.tmp, "rekamd.sock")
        self.config = os.path.join(self.tmp, "rekamd.conf")
        with open(self.config, "w") as f:
            f.write("[auth]\n")
        self.demo = demo
        self.proc = None

    def start(self):
        env = dict(os.environ)
        env.pop("G_DEBUG", None)
        args = [REKAMD, "--config", self.config, "--state-dir", self.state,
                "--socket", self.socket, "--port", "0"]
        if self.demo:
            args.append("--demo")
        started = time.monotonic()
        self.proc = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                     text=True, env=env)
        while True:
            line = self.proc.stdout.readline()
            if not line:
                self.proc.wait(timeout=30)
                raise RuntimeError("rekamd did not start: %s" % self.proc.stderr.read())
            if line.startswith("REKAMD_READY"):
                break
        return time.monotonic() - started

    def stop(self):
        self.proc.send_signal(signal.SIGTERM)
        _, err = self.proc.communicate(timeout=60)
        bug = "CRITICAL" in err or "AddressSanitizer" in err or "runtime error:" in err
        return self.proc.returncode, err, bug

    def ctl(self, *args, json_out=False):
        env = dict(os.environ, REKAM_SOCKET=self.socket)
        argv = [REKAMCTL] + (["--json"] if json_out else []) + list(args)
        p = subprocess.run(argv, capture_output=True, text=True, env=env, timeout=300)
        if json_out and p.returncode == 0 and p.stdout.strip():
            return p.returncode, json.loads(p.stdout), p.stderr
        return p.returncode, p.stdout, p.stderr

    def cleanup(self):
        shutil.rmtree(self.tmp, ignore_errors=True)


HEADER = ("NIK,NO_KK,NAMA_LGKP,TMPT_LHR,TGL_LHR,JENIS_KLMIN,STAT_KWN,AGAMA,JENIS_PKRJN,"
          "ALAMAT,NO_RT,NO_RW,KODE_KEL\n")
PEOPLE = (HEADER +
          "3671130503909001,3671130101109001,SOETRISNO HADIWIDJOJO,SOLO,1990-03-05,1,2,ISLAM,-,"
          "\"JL. GAGA NO. 1, BLOK C\",001,002,3671131006\n"
          "3671134101109002,3671130101109001,ANI LESTARI,TANGERANG,2010-01-01,2,1,ISLAM,-,"
          "JL. GAGA NO. 1,001,002,3671131006\n"
          "3671130603909003,3671130101109003,EDI SANTOSO,TANGERANG,1990-03-05,1,1,ISLAM,-,"
          "JL. GAGA NO. 2,001,002,3671131006\n")


def manifest(app_id, nik, case_type="replacement", files=(("kk_copy", "kk.jpg", "image/jpeg"),)):
    return json.dumps({
        "schema": "rekam-application/1", "application_id": app_id,
        "submitted_at": "2025-06-01T08:00:00+07:00", "channel": "whatsapp",
        "case_type": case_type,
        "applicant": {"nik": nik, "name": "Pemohon", "birth_date": "1990-03-05"},
        "attachments": [{"document": d, "file": f, "media_type": m} for d, f, m in files]})


class Intake(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.d = Daemon()
        cls.d.start()
        cls.csv = os.path.join(cls.d.tmp, "extract.csv")
        subprocess.run([SIAK_GEN, "--rows", "3000", "--seed", "5", "--today", "2025-06-01",
                        cls.csv], check=True, capture_output=True)
        with open(cls.csv, "a") as f:
            f.write(PEOPLE[len(HEADER):])

    @classmethod
    def tearDownClass(cls):
        code, err, bug = cls.d.stop()
        cls.d.cleanup()
        assert code == 0 and not bug, "rekamd on SIGTERM: %s %s" % (code, err[-3000:])

    def write(self, name, data):
        path = os.path.join(self.d.tmp, name)
        with open(path, "wb" if isinstance(data, bytes) else "w") as f:
            f.write(data)
        return path

    def test_1_import_search_check(self):
        code, out, err = self.d.ctl("siak", "import", self.csv, json_out=True)
        self.assertEqual(code, 0, err)
        self.assertGreaterEqual(out["rows"], 3003)
        # A broken file: refused naming the line, nothing changed.
        bad = self.write("bad.csv", HEADER + "3671130503909001,x,\"BROKEN,TANGERANG\n")
        code, out, err = self.d.ctl("siak", "import", bad)
        self.assertEqual(code, 3, err)
        self.assertIn("line 2", err)
        code, out, err = self.d.ctl("resident", "show", "3671130503909001", json_out=True)
        self.assertEqual(code, 0, err)
        self.assertEqual(out["name"], "SOETRISNO HADIWIDJOJO")
        self.assertEqual(len(out["family"]), 1)
        # Re-import updates in place.
        upd = self.write("upd.csv", HEADER +
                         "3671130503909001,3671130101109001,SOETRISNO HADIWIDJOJO,SOLO,1990-03-05,"
                         "1,4,ISLAM,PENSIUNAN,JL. GAGA NO. 1,001,002,3671131006\n")
        code, out, err = self.d.ctl("siak", "import", upd, json_out=True)
        self.assertEqual((code, out["updated"], out["inserted"]), (0, 1, 0), err)
        code, out, err = self.d.ctl("resident", "show", "3671130503909001", json_out=True)
        self.assertEqual(out["marital"], "widowed")
        # Search forgives the new spelling and a typo.
        code, out, err = self.d.ctl("resident", "search", "Sutrisno", "Hadiwijoyo", json_out=True)
        self.assertEqual(code, 0, err)
        self.assertEqual(out["residents"][0]["nik"], "3671130503909001")
        code, out, err = self.d.ctl("resident", "search", "Sutrsino", "--born", "1990-03-05")
        self.assertEqual(code, 0, err)
        self.assertIn("3671130503909001", out)
        # NIK checks: valid, disagreeing with the record, malformed.
        code, out, err = self.d.ctl("nik", "check", "3671130503909001")
        self.assertEqual(code, 0, out + err)
        code, out, err = self.d.ctl("nik", "check", "3671130603909003")
        self.assertEqual(code, 1, out + err)
        self.assertIn("nik_birth_date_mismatch", out)
        code, out, err = self.d.ctl("nik", "check", "36711305039", json_out=True)
        self.assertEqual(code, 1)
        code, out, err = self.d.ctl("nik", "check", "3671990503909001")
        self.assertIn("warning nik_kecamatan_unknown", out)

    def test_2_case_gate_and_referral(self):
        code, case, err = self.d.ctl("case", "open", "3671134101109002", "first_issue",
                                     json_out=True)
        self.assertEqual(code, 0, err)
        cid = str(case["id"])
        code, out, err = self.d.ctl("case", "forward", cid)
        self.assertEqual(code, 3)
        self.assertIn("form_f107", err)
        for doc in ("rt_rw_letter", "form_f107", "kk_copy", "diploma_or_birth_certificate"):
            code, out, err = self.d.ctl("case", "check-document", cid, doc)
            self.assertEqual(code, 0, err)
        # Ani was born on 2010-01-01: not eligible before 2027-01-01.
        code, out, err = self.d.ctl("case", "forward", cid)
        self.assertEqual(code, 3)
        self.assertIn("2027-01-01", err)
        code, out, err = self.d.ctl("case", "refer", cid, "--name", "ANI LESTARI", "--reason",
                                    "record_incorrect", json_out=True)
        self.assertEqual(code, 0, err)
        slip = os.path.join(self.d.tmp, "slip.pdf")
        code, out, err = self.d.ctl("referral", "slip", str(out["id"]), "--output", slip)
        self.assertEqual(code, 0, err)
        with open(slip, "rb") as f:
            self.assertEqual(f.read(5), b"%PDF-")
        if shutil.which("pdftotext"):
            text = subprocess.run(["pdftotext", slip, "-"], capture_output=True,
                                  text=True).stdout
            self.assertIn("ANI LESTARI", text)
        # Without a NIK.
        code, out, err = self.d.ctl("case", "refer", "--name", "Tanpa NIK", "--reason", "no_nik",
                                    json_out=True)
        self.assertEqual(code, 0, err)
        self.assertIsNone(out["nik"])
        code, out, err = self.d.ctl("case", "show", cid, json_out=True)
        self.assertEqual(out["state"], "referred")
        code, out, err = self.d.ctl("report", "sop", "--from", "2000-01-01", "--to", "2100-01-01",
                                    json_out=True)
        self.assertEqual(code, 0, err)
        self.assertTrue(any(r["step"] == 2 for r in out["rows"]))

    def test_3_applications(self):
        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w") as z:
            z.writestr("WA-1/manifest.json", manifest("WA-1", "3671130503909001"))
            z.writestr("WA-1/kk.jpg", JPEG)
        path = self.write("apps.zip", buf.getvalue())
        code, out, err = self.d.ctl("applications", "import", path, json_out=True)
        self.assertEqual(code, 0, err)
        self.assertEqual(out["applications"][0]["status"], "imported")
        # The same person again, from a folder (sent as tar): joins the case.
        folder = os.path.join(self.d.tmp, "apps")
        os.makedirs(os.path.join(folder, "WA-2"))
        self.write("apps/WA-2/manifest.json", manifest("WA-2", "3671130503909001"))
        self.write("apps/WA-2/kk.jpg", JPEG)
        code, out, err = self.d.ctl("applications", "import", folder, json_out=True)
        self.assertEqual(code, 0, err)
        self.assertTrue(out["applications"][0]["joined"])
        # Path traversal: refused, nothing imported.
        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w") as z:
            z.writestr("WA-3/manifest.json", manifest("WA-3", "3671130603909003"))
            z.writestr("WA-3/kk.jpg", JPEG)
            z.writestr("../../etc/evil", b"x")
        path = self.write("evil.zip", buf.getvalue())
        code, out, err = self.d.ctl("applications", "import", path)
        self.assertEqual(code, 3)
        self.assertIn("../../etc/evil", err)
        code, out, err = self.d.ctl("case", "list", json_out=True)
        self.assertFalse(any(c["nik"] == "3671130603909003" for c in out["cases"]))

    def test_3b_step_timing(self):
        code, case, err = self.d.ctl("case", "open", "3671130503909001", "replacement",
                                     json_out=True)
        self.assertEqual(code, 0, err)
        cid = case["id"]
        for doc in ("rt_rw_letter", "kk_copy", "old_ktp_or_police_report"):
            self.assertEqual(self.d.ctl("case", "check-document", str(cid), doc)[0], 0)
        code, out, err = self.d.ctl("case", "forward", str(cid), json_out=True)
        self.assertEqual(code, 0, err)
        self.assertEqual(out["state"], "recording")
        # Recording (step 3) is timed by whoever records: end it, then 4.
        env = dict(os.environ, REKAM_SOCKET=self.d.socket)
        for path, status in (("/v1/cases/%d/steps/3/end" % cid, 200),
                             ("/v1/cases/%d/steps/3/end" % cid, 409),
                             ("/v1/cases/%d/steps/4/start" % cid, 200),
                             ("/v1/cases/%d/steps/9/start" % cid, 400),
                             ("/v1/cases/999999/steps/4/end", 404)):
            p = subprocess.run(["curl", "-s", "-o", "/dev/null", "-w", "%{http_code}",
                                "--unix-socket", self.d.socket, "-X", "POST",
                                "http://rekamd" + path], capture_output=True, text=True)
            if p.returncode != 0:
                self.skipTest("curl is not available")
            self.assertEqual(int(p.stdout), status, path)
        code, out, err = self.d.ctl("case", "show", str(cid), json_out=True)
        steps = {s["step"]: s for s in out["steps"]}
        self.assertIsNotNone(steps[3]["ended_at"])
        self.assertIsNone(steps[4]["ended_at"])

    def test_4_audit(self):
        code, out, err = self.d.ctl("audit", "verify")
        self.assertEqual(code, 0, out + err)


class Demo(unittest.TestCase):
    def test_demo_starts_and_restarts(self):
        d = Daemon(demo=True)
        try:
            first = d.start()
            code, out, err = d.ctl("siak", "import", "--help")
            code, out, err = d.ctl("case", "list", "--state", "open", json_out=True)
            self.assertEqual(code, 0, err)
            self.assertGreaterEqual(len(out["cases"]), 10)
            code, out, err = d.ctl("resident", "search", "Siti", json_out=True)
            self.assertEqual(code, 0, err)
            self.assertGreater(len(out["residents"]), 0)
            code, err_text, bug = d.stop()
            self.assertEqual(code, 0, err_text[-2000:])
            self.assertFalse(bug, err_text[-2000:])
            second = d.start()
            print("demo start: first %.1f s, second %.1f s" % (first, second), file=sys.stderr)
            self.assertLess(second, first)
            code, err_text, bug = d.stop()
            self.assertEqual(code, 0)
        finally:
            d.cleanup()


if __name__ == "__main__":
    args = [a for a in sys.argv[1:] if a != "-v"]
    if len(args) < 3:
        sys.exit("usage: test_intake_integration.py [-v] REKAMD REKAMCTL REKAM-SIAK-GEN [tests]")
    REKAMD, REKAMCTL, SIAK_GEN = args[:3]
    unittest.main(argv=[sys.argv[0]] + (["-v"] if "-v" in sys.argv else []) + args[3:])
