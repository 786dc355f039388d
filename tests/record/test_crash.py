#!/usr/bin/env python3
"""Crash consistency: rekamd is SIGKILLed at every step boundary of the
durable commit and of the upload (the test-only REKAM_RECORD_CRASH_AT
hook), and at random moments, while records are committed and uploaded to
nginx. After every restart:

  * no temporary envelope and no envelope without its queue row remains;
  * every record the daemon accepted (201) is queued or sent;
  * a record whose answer was lost is either there once (409 on resubmit)
    or not at all (201 on resubmit) -- never twice;
  * every file on the server is a queued record's envelope, byte for byte
    (nothing half-written is ever uploaded), one file per record.

At the end, with nothing killed, every accepted record reaches the server
exactly once and opens on the receiving side. RECORD_CRASH_RUNS (default
104) sets the number of kills."""
import http.client
import json
import os
import random
import threading
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import record_harness as h  # noqa: E402

h.need("nginx", "openssl")
an2k = h.program("REKAM_AN2K")
RUNS = int(os.environ.get("RECORD_CRASH_RUNS", "104"))
STEPS = ["enqueue-after-write", "enqueue-after-fsync", "enqueue-after-link", "enqueue-after-dir-fsync",
         "enqueue-after-commit", "upload-after-put", "upload-before-commit", "upload-after-commit"]
rng = random.Random(20261125)

root = h.tempdir("crash")
pki = h.Pki(root)
nginx = h.Nginx(root, pki)
fixture = h.Fixture(root)
recipient_secret, recipient_public = h.make_keys(root, an2k)
daemon = h.Rekamd(root, {
    "station_id": "367113-DESK1",
    "recipient_public_key": recipient_public,
    "upload_url": nginx.url(),
    "client_cert": pki.client,
    "client_key": pki.client_key,
    "ca_file": pki.ca,
    "retry_base_ms": 50,
    "retry_max_ms": 200,
    "scan_interval_ms": 20,
    "connect_timeout_ms": 2000,
    "low_speed_time_s": 2,
    "min_free_mb": 1,
}, "crash")

accepted = set()   # answered 201 (or 409 on a resubmit)
unknown = set()    # the daemon died before answering
answers = {}       # the last answer to each unknown one, for the failure message
counter = 0


def new_tcn():
    global counter
    counter += 1
    return f"CR-{counter:04d}"


class Enqueue(threading.Thread):
    """One POST /v1/records in the background; the daemon may die under it."""

    def __init__(self, tcn):
        super().__init__(daemon=True)
        self.tcn = tcn
        self.status = None
        self.body = None
        self.start()

    def run(self):
        try:
            self.status, self.body = daemon.enqueue(fixture.manifest(self.tcn), timeout=20)
        except (OSError, http.client.HTTPException) as e:
            self.status = None
            self.body = repr(e)


def settle(call, timeout=20):
    call.join(timeout)
    if call.status == 201 or (call.status == 409 and "record-exists" in json.dumps(call.body)):
        accepted.add(call.tcn)
    else:
        unknown.add(call.tcn)
        answers[call.tcn] = (call.status, call.body)


def check_invariants(run):
    """Runs right after a start, i.e. after start-up recovery."""
    # files first: the uploader may send (and then remove) a record between
    # the two looks, and a file only goes after its row says 'sent'
    files = set(daemon.queue_files())
    queue = daemon.queue()
    assert daemon.tmp_files() == [], f"run {run}: tmp files left: {daemon.tmp_files()}"
    rows = {q["envelope_file"] for q in queue.values()}
    assert files <= rows, f"run {run}: envelope without row: {files - rows}"
    for q in queue.values():
        if q["state"] == "queued":
            assert q["envelope_file"] in files, f"run {run}: row without envelope: {q['record_id']}"
    for tcn in accepted:
        assert tcn in queue, f"run {run}: accepted record {tcn} lost"
        assert queue[tcn]["state"] in ("queued", "sent"), f"run {run}: {tcn} is {queue[tcn]['state']}"
    for tcn, path in nginx.files().items():
        assert tcn in queue, f"run {run}: server holds {tcn}, which is not queued"
        assert h.sha256_file(path) == queue[tcn]["envelope_sha256"], f"run {run}: server copy of {tcn} differs"


def resubmit_unknown():
    """Answers lost in a crash: the caller records again with the same TCN
    and must get 201 (it was not accepted) or 409 (it was): never two."""
    calls = [Enqueue(tcn) for tcn in sorted(unknown)]
    unknown.clear()
    return calls


def one_run(run):
    """One start (which recovers from the previous kill), the checks, new
    work, and one kill: at a named step or at a random moment."""
    fixed = run < len(STEPS) * 5
    step = STEPS[run % len(STEPS)] if fixed else "random"
    daemon.start({"REKAM_RECORD_CRASH_AT": step} if fixed else None)
    check_invariants(run)
    calls = resubmit_unknown() + [Enqueue(new_tcn()) for _ in range(1 if fixed else rng.randint(1, 2))]
    if fixed:
        for call in calls:
            settle(call)
        if step.startswith("upload"):
            try:
                daemon.proc.wait(timeout=15)  # the uploader reaches the step
            except subprocess.TimeoutExpired:
                pass
    else:
        time.sleep(rng.uniform(0.0, 0.5))
    died = daemon.proc.poll() is not None
    daemon.kill()
    for call in calls:
        settle(call, timeout=5)
    return step, died


nginx.start()
t0 = time.time()
try:
    kills = {}
    for run in range(RUNS):
        what, died = one_run(run)
        kills.setdefault(what, [0, 0])
        kills[what][0] += 1
        kills[what][1] += died
    # no more kills: everything accepted must arrive, once
    daemon.start()
    check_invariants("final")
    for call in resubmit_unknown():
        settle(call)
    assert not unknown, f"resubmits unanswered: {[(t, answers.get(t)) for t in sorted(unknown)]}"
    queue = daemon.wait_for(lambda q: all(q[t]["state"] == "sent" for t in accepted), timeout=120,
                            what="every accepted record sent")
    check_invariants("final")
    assert daemon.queue_files() == [], f"sent envelopes left: {daemon.queue_files()}"
    files = nginx.files()
    assert set(files) == accepted, f"server {sorted(set(files) ^ accepted)}"
    station_pub = os.path.join(daemon.state, "record", "station-ed25519.key.pub")
    for tcn in sorted(accepted)[:5] + sorted(accepted)[-5:]:
        h.run([an2k, "envelope", "verify", "--station-key", station_pub, "--recipient-key", recipient_secret,
               files[tcn]])
    daemon.stop()
    for what, (n, died) in sorted(kills.items()):
        how = "killed by the test at a random moment" if what == "random" else \
            f"reached the step and killed itself {died}, else killed by the test"
        print(f"  {what:26s} runs {n:3d}  {how}")
    print(f"ok - {RUNS} kills, {len(accepted)} records accepted, all on the server once "
          f"({time.time() - t0:.0f} s)")
finally:
    daemon.kill()
    nginx.stop()
h.cleanup(root)
