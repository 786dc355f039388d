#!/usr/bin/env python3
"""End to end: rekamd queues records and uploads them to nginx on 127.0.0.1
(TLS with client-certificate verification, WebDAV PUT); the test plays
Disdukcapil and verifies + opens every envelope on the server. Faults:
HTTP 500 and 507, a hanging server, no server, a TLS certificate from
another CA, no client certificate, a full disk, the server killed
mid-upload, a restart in between (resumption), a re-upload after a lost
confirmation (recognised, not repeated)."""
import json
import os
import socket
import subprocess
import sys
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import record_harness as h  # noqa: E402

h.need("nginx", "openssl")
an2k = h.program("REKAM_AN2K")
root = h.tempdir("upload")
pki = h.Pki(root)
nginx = h.Nginx(root, pki)
fixture = h.Fixture(root)
recipient_secret, recipient_public = h.make_keys(root, an2k)
failures = []


def conf(**overrides):
    c = {
        "station_id": "367113-DESK1",
        "recipient_public_key": recipient_public,
        "upload_url": nginx.url(),
        "client_cert": pki.client,
        "client_key": pki.client_key,
        "ca_file": pki.ca,
        "retry_base_ms": 200,
        "retry_max_ms": 1000,
        "scan_interval_ms": 50,
        "connect_timeout_ms": 1500,
        "low_speed_time_s": 2,
        "transfer_timeout_ms": 10000,
        "min_free_mb": 1,
    }
    c.update(overrides)
    return c


def check(name, func):
    only = os.environ.get("RECORD_UPLOAD_ONLY")  # run the cases whose name contains this
    if only and only not in name:
        return
    t0 = time.time()
    try:
        func()
        print(f"ok - {name} ({time.time() - t0:.1f} s)")
    except Exception as e:  # report every case, fail at the end
        failures.append(name)
        print(f"not ok - {name}: {e!r}")


def enqueue(daemon, tcn):
    rc, out = daemon.ctl("record", "enqueue", fixture.manifest(tcn))
    assert rc == 0, out
    return out


def verify_on_server(daemon, tcns):
    """Disdukcapil's side: the file is exactly the queued envelope and
    verifies + opens with the station's public key."""
    files = nginx.files()
    station_pub = os.path.join(daemon.state, "record", "station-ed25519.key.pub")
    q = daemon.queue()
    for tcn in tcns:
        assert tcn in files, f"{tcn} not on the server"
        assert h.sha256_file(files[tcn]) == q[tcn]["envelope_sha256"], f"{tcn}: server copy differs"
        opened = os.path.join(root, f"{tcn}.an2")
        h.run([an2k, "envelope", "open", "--station-key", station_pub, "--recipient-key", recipient_secret,
               files[tcn], "-o", opened])
        h.run([an2k, "validate", opened])


def attempts(daemon, tcn):
    rc, out = daemon.ctl("queue", "show", tcn)
    assert rc == 0, out
    return out["attempt_history"]


def case_upload_and_verify():
    d = h.Rekamd(root, conf(), "ok")
    d.start()
    try:
        for i in range(3):
            enqueue(d, f"OK-{i}")
        d.wait_for(lambda q: all(q[f"OK-{i}"]["state"] == "sent" for i in range(3)), what="3 sent")
        verify_on_server(d, [f"OK-{i}" for i in range(3)])
        assert attempts(d, "OK-0")[-1]["outcome"] == "sent"
        # confirmed envelopes leave the queue folder (hash and sealed copy stay in the row)
        assert d.queue_files() == [], d.queue_files()
        # a sent record is final: retry refused (409 -> exit 3)
        rc, _ = d.ctl("queue", "retry", "OK-0")
        assert rc == 3, rc
        # the same TCN twice is refused, not queued twice
        rc, out = d.ctl("record", "enqueue", fixture.manifest("OK-0"))
        assert rc == 3 and "record-exists" in out, out
        # export (supervisor; root's unix peer holds every role) = the plain transaction
        path = os.path.join(root, "export.an2")
        rc, out = d.ctl("record", "export", "OK-1", path, json_out=False)
        assert rc == 0, out
        h.run([an2k, "validate", path])
        assert oct(os.stat(path).st_mode & 0o777) == "0o600"
        # show: the structure, without personal data
        rc, out = d.ctl("record", "show", "OK-1")
        assert rc == 0, out
        text = json.dumps(out)
        assert "3671134501900003" not in text and "Siti" not in text, "record show leaks personal data"
        types = [r["type"] for r in out["records"]]
        assert types.count(14) == 10 and 2 in types and 10 in types, types
    finally:
        d.stop()


def case_http_errors_then_restart():
    """500 and 507: attempts recorded, backoff grows, nothing marked sent;
    after a restart with the right URL the record goes (resumption)."""
    d = h.Rekamd(root, conf(upload_url=nginx.url("fail500/")), "http")
    d.start()
    try:
        enqueue(d, "HTTP-500")
        d.wait_for(lambda q: q["HTTP-500"]["attempts"] >= 3, what="3 attempts")
        q = d.queue()
        assert q["HTTP-500"]["state"] == "queued"
        hist = attempts(d, "HTTP-500")
        assert all(a["outcome"] == "http-error" and a["http_status"] == 500 for a in hist), hist
    finally:
        d.stop()
    d.write_conf(conf(upload_url=nginx.url("fail507/")))
    d.start()
    try:
        d.wait_for(lambda q: q["HTTP-500"]["attempts"] >= 4, what="a 507 attempt")
        assert any(a["http_status"] == 507 for a in attempts(d, "HTTP-500"))
    finally:
        d.stop()
    d.write_conf(conf())
    d.start()
    try:
        d.wait_for(lambda q: q["HTTP-500"]["state"] == "sent", what="sent after restart")
        verify_on_server(d, ["HTTP-500"])
    finally:
        d.stop()


def case_tls_faults():
    """A server certificate from another CA, and no client certificate."""
    d = h.Rekamd(root, conf(ca_file=pki.other_ca), "tls")
    d.start()
    try:
        enqueue(d, "TLS-1")
        d.wait_for(lambda q: q["TLS-1"]["attempts"] >= 2, what="TLS attempts")
        hist = attempts(d, "TLS-1")
        assert all(a["outcome"] == "tls" for a in hist), hist
        assert d.queue()["TLS-1"]["state"] == "queued"
    finally:
        d.stop()
    nocert = conf()
    del nocert["client_cert"], nocert["client_key"]
    d.write_conf(nocert)
    d.start()
    try:
        n = d.queue()["TLS-1"]["attempts"]
        d.wait_for(lambda q: q["TLS-1"]["attempts"] >= n + 2, what="no-cert attempts")
        hist = attempts(d, "TLS-1")[n:]
        # nginx answers 400 "No required SSL certificate was sent"
        assert all(a["outcome"] == "http-error" and a["http_status"] == 400 for a in hist), hist
        assert "TLS-1" not in nginx.files()
    finally:
        d.stop()


def case_hang_and_no_network():
    """A server that accepts and says nothing (timeout), then nobody
    listening (network): both retried, nothing lost."""
    hang = socket.socket()
    hang.bind(("127.0.0.1", 0))
    hang.listen(8)
    port = hang.getsockname()[1]
    held = []
    stop = threading.Event()

    def accept():
        hang.settimeout(0.2)
        while not stop.is_set():
            try:
                held.append(hang.accept()[0])
            except OSError:
                pass

    t = threading.Thread(target=accept, daemon=True)
    t.start()
    d = h.Rekamd(root, conf(upload_url=f"https://127.0.0.1:{port}/records/"), "hang")
    d.start()
    try:
        enqueue(d, "HANG-1")
        d.wait_for(lambda q: q["HANG-1"]["attempts"] >= 2, timeout=30, what="timeouts")
        assert all(a["outcome"] == "timeout" for a in attempts(d, "HANG-1")), attempts(d, "HANG-1")
    finally:
        d.stop()
        stop.set()
        t.join()
        for c in held:
            c.close()
        hang.close()
    d.write_conf(conf(upload_url=f"https://127.0.0.1:{h.free_port()}/records/"))
    d.start()
    try:
        n = d.queue()["HANG-1"]["attempts"]
        d.wait_for(lambda q: q["HANG-1"]["attempts"] >= n + 2, what="network attempts")
        assert attempts(d, "HANG-1")[-1]["outcome"] == "network"
    finally:
        d.stop()
    d.write_conf(conf())
    d.start()
    try:
        d.wait_for(lambda q: q["HANG-1"]["state"] == "sent", what="sent when the server is back")
    finally:
        d.stop()


def case_full_disk():
    """Below the free-space reserve new records are refused (507
    disk-full); what is queued stays and is still sent."""
    d = h.Rekamd(root, conf(upload_url=nginx.url("fail500/")), "disk")
    d.start()
    try:
        enqueue(d, "DISK-1")
        before = h.sha256_file(os.path.join(d.state, "record", "queue", "DISK-1.env"))
    finally:
        d.stop()
    d.write_conf(conf(upload_url=nginx.url("fail500/"), min_free_mb=1 << 20))
    d.start()
    try:
        rc, out = d.ctl("record", "enqueue", fixture.manifest("DISK-2"))
        assert rc == 5 and "disk-full" in out, (rc, out)
        assert "DISK-2" not in d.queue()
        assert d.queue_files() == ["DISK-1.env"] and d.tmp_files() == []
        assert h.sha256_file(os.path.join(d.state, "record", "queue", "DISK-1.env")) == before
    finally:
        d.stop()
    d.write_conf(conf(min_free_mb=1 << 20))
    d.start()
    try:
        d.wait_for(lambda q: q["DISK-1"]["state"] == "sent", what="queued record sent on a full disk")
    finally:
        d.stop()


def case_really_full_disk():
    """A real ENOSPC: the state dir on a small tmpfs (only as root, where
    mount works), filled up while records are queued. New records get 507;
    those already queued keep their bytes and go once space is back."""
    mnt = os.path.join(root, "fullfs")
    os.makedirs(mnt)
    if os.geteuid() != 0 or subprocess.run(["mount", "-t", "tmpfs", "-o", "size=6m", "tmpfs", mnt]).returncode:
        print("  (skipped: cannot mount a small tmpfs here)")
        return
    d = h.Rekamd(mnt, conf(upload_url=nginx.url("fail500/"), min_free_mb=0, retry_base_ms=60000), "full")
    filler = os.path.join(mnt, "filler")
    try:
        d.start()
        status, body = d.enqueue(fixture.manifest("FULL-0"))
        assert status == 201, body
        st = os.statvfs(mnt)
        with open(filler, "wb") as f:
            f.write(b"\0" * max(0, st.f_bavail * st.f_frsize - 400 * 1024))
        accepted, refused = ["FULL-0"], None
        for i in range(1, 40):
            status, body = d.enqueue(fixture.manifest(f"FULL-{i}"))
            if status == 201:
                accepted.append(f"FULL-{i}")
                continue
            refused = (status, body)
            break
        assert refused is not None and refused[0] == 507, refused
        print(f"  refused after {len(accepted)} records: {refused[1]['error']['message']}")
        q = d.queue()
        for tcn in accepted:
            path = os.path.join(d.state, "record", "queue", tcn + ".env")
            assert h.sha256_file(path) == q[tcn]["envelope_sha256"], tcn
        assert d.tmp_files() == []
        assert set(d.queue_files()) == {t + ".env" for t in accepted}
        d.stop()
        os.unlink(filler)
        d.write_conf(conf(min_free_mb=0))
        d.start()
        d.wait_for(lambda q: all(q[t]["state"] == "sent" for t in accepted), what="sent after space came back")
        verify_on_server(d, accepted)
    finally:
        d.kill()
        if os.path.exists(filler):
            os.unlink(filler)
        subprocess.run(["umount", mnt])


def case_lost_confirmation():
    """rekamd dies after the server confirmed but before 'sent' is
    committed: after the restart the upload is recognised as already
    present (same bytes), not repeated."""
    d = h.Rekamd(root, conf(), "lost")
    d.start({"REKAM_RECORD_CRASH_AT": "upload-before-commit"})
    enqueue(d, "LOST-1")
    d.proc.wait(timeout=30)
    d.kill()
    assert "LOST-1" in nginx.files()
    mtime = os.stat(nginx.files()["LOST-1"]).st_mtime_ns
    d.start()
    try:
        d.wait_for(lambda q: q["LOST-1"]["state"] == "sent", what="sent after restart")
        assert attempts(d, "LOST-1")[-1]["outcome"] == "already-present", attempts(d, "LOST-1")
        assert os.stat(nginx.files()["LOST-1"]).st_mtime_ns == mtime, "uploaded twice"
    finally:
        d.stop()


def case_server_killed_mid_upload():
    """nginx is SIGKILLed again and again while records upload; once it
    stays up every record arrives, intact, once."""
    d = h.Rekamd(root, conf(), "killsrv")
    d.start()
    try:
        tcns = [f"KILL-{i}" for i in range(8)]
        for t in tcns:
            enqueue(d, t)
        for i in range(12):
            time.sleep(0.05 + (i % 4) * 0.04)
            nginx.kill()
            time.sleep(0.1)
            nginx.start()
        d.wait_for(lambda q: all(q[t]["state"] == "sent" for t in tcns), timeout=60, what="all sent")
        verify_on_server(d, tcns)
        # nginx's PUT writes a temp file and renames it: no partial file under a record's name
        for name, path in nginx.files().items():
            assert name in d.queue() or not name.startswith("KILL-"), name
    finally:
        d.stop()


nginx.start()
try:
    check("upload, verify and open on the receiving side", case_upload_and_verify)
    check("HTTP 500/507 retried, resumed after restart", case_http_errors_then_restart)
    check("TLS: other CA, no client certificate", case_tls_faults)
    check("hanging server and no network", case_hang_and_no_network)
    check("full disk refuses new records, keeps queued ones", case_full_disk)
    check("really full disk (tmpfs)", case_really_full_disk)
    check("lost confirmation recognised, not re-uploaded", case_lost_confirmation)
    check("server killed mid-upload", case_server_killed_mid_upload)
finally:
    nginx.stop()
# no log may carry a NIK or a name
for dirpath, _, names in os.walk(root):
    for name in names:
        if name.endswith(".log"):
            with open(os.path.join(dirpath, name), "rb") as f:
                data = f.read()
            if b"3671134501900003" in data or "Siti".encode() in data:
                failures.append(f"personal data in {name}")
if failures:
    print(f"FAILED: {failures}; logs in {root}")
    sys.exit(1)
h.cleanup(root)
print("all passed")
