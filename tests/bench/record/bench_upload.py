#!/usr/bin/env python3
"""Upload throughput to nginx on 127.0.0.1 (mutual TLS, WebDAV PUT).

N full-size records are queued with upload disabled; rekamd is restarted
with the upload URL and timed from READY until every record is confirmed
(HEAD + PUT + GET-and-hash per record). Baseline in the same run: the curl
command line PUTting the same envelope files over the same TLS setup,
without the confirmation GET.

  REKAMD=... REKAMCTL=... REKAM_AN2K=... RECORD_FIXTURE_GEN=... \
    python3 tests/bench/record/bench_upload.py [N]"""
import os
import shutil
import subprocess
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "record"))
import record_harness as h  # noqa: E402

N = int(sys.argv[1]) if len(sys.argv) > 1 else 10
h.need("nginx", "openssl", "curl")
an2k = h.program("REKAM_AN2K")
root = h.tempdir("bench-upload")
pki = h.Pki(root)
nginx = h.Nginx(root, pki)
fixture = h.Fixture(root, full=True)
_, recipient_public = h.make_keys(root, an2k)
base = {"station_id": "367113-DESK1", "recipient_public_key": recipient_public, "scan_interval_ms": 10,
        "min_free_mb": 1}
daemon = h.Rekamd(root, base, "bench")
nginx.start()
try:
    daemon.start()
    for i in range(N):
        status, body = daemon.enqueue(fixture.manifest(f"UP-{i:03d}"))
        assert status == 201, body
    daemon.stop()
    queue_dir = os.path.join(daemon.state, "record", "queue")
    # copies for the baseline: rekamd removes envelopes once they are confirmed
    os.makedirs(os.path.join(root, "baseline"))
    files = []
    for i in range(N):
        copy = os.path.join(root, "baseline", f"UP-{i:03d}.env")
        shutil.copyfile(os.path.join(queue_dir, f"UP-{i:03d}.env"), copy)
        files.append(copy)
    total = sum(os.path.getsize(f) for f in files)

    daemon.write_conf(dict(base, upload_url=nginx.url(), client_cert=pki.client, client_key=pki.client_key,
                           ca_file=pki.ca))
    daemon.start()
    t0 = time.time()
    daemon.wait_for(lambda q: all(r["state"] == "sent" for r in q.values()), timeout=600, what="all sent")
    rekamd_s = time.time() - t0
    daemon.stop()

    t0 = time.time()
    for i, path in enumerate(files):
        subprocess.run(["curl", "-sSf", "--cacert", pki.ca, "--cert", pki.client, "--key", pki.client_key,
                        "-T", path, nginx.url(f"records/baseline-{i}.env")], check=True)
    curl_s = time.time() - t0
finally:
    daemon.kill()
    nginx.stop()

mib = total / 1048576
print(f"bench_upload: {N} records, {mib:.1f} MiB of envelopes ({total // N} bytes each)")
print(f"  rekamd (HEAD+PUT+GET+SHA-256 confirm)   {rekamd_s:6.2f} s  {mib / rekamd_s:7.1f} MiB/s  "
      f"{N / rekamd_s:6.1f} records/s")
print(f"  baseline curl CLI PUT only              {curl_s:6.2f} s  {mib / curl_s:7.1f} MiB/s   ratio {rekamd_s / curl_s:.2f}x")
h.cleanup(root)
