#!/usr/bin/env python3
"""The demo station end to end: rekamd --demo and rekamctl device ...

Starts the real rekamd binary with --demo in a temporary state folder,
then drives every technician command the guide documents through the real
rekamctl, and reads a live stream over the unix socket with a minimal
WebSocket client (no acknowledgements: it must get the hello and exactly
the window of frames, then nothing while it stays silent).
Usage: test_demo.py REKAMD REKAMCTL
"""
import base64
import json
import os
import select
import socket
import subprocess
import sys
import tempfile
import time

REKAMD, REKAMCTL = sys.argv[1], sys.argv[2]


def ctl(sock, *args, check=True):
    env = dict(os.environ, REKAM_SOCKET=sock)
    r = subprocess.run([REKAMCTL, *args], capture_output=True, text=True, env=env, timeout=60)
    if check and r.returncode != 0:
        raise SystemExit(f"rekamctl {' '.join(args)} exited {r.returncode}: {r.stderr}")
    return r


def ws_frames(sock_path, path, seconds):
    """Opens a WebSocket, never acknowledges, returns (hello, frames)."""
    s = socket.socket(socket.AF_UNIX)
    s.connect(sock_path)
    key = base64.b64encode(os.urandom(16)).decode()
    s.sendall((f"GET {path} HTTP/1.1\r\nHost: localhost\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
               f"Sec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n\r\n").encode())
    buf = b""
    end = time.time() + seconds
    while time.time() < end:
        r, _, _ = select.select([s], [], [], 0.1)
        if r:
            chunk = s.recv(1 << 20)
            if not chunk:
                break
            buf += chunk
    s.close()
    head, _, rest = buf.partition(b"\r\n\r\n")
    if not head.startswith(b"HTTP/1.1 101"):
        raise SystemExit(f"no websocket: {head[:80]!r}")
    msgs = []
    while len(rest) >= 2:
        op, ln = rest[0] & 0x0F, rest[1] & 0x7F
        pos = 2
        if ln == 126:
            ln, pos = int.from_bytes(rest[2:4], "big"), 4
        elif ln == 127:
            ln, pos = int.from_bytes(rest[2:10], "big"), 10
        if len(rest) < pos + ln:
            break
        msgs.append((op, rest[pos:pos + ln]))
        rest = rest[pos + ln:]
    return msgs


def main():
    with tempfile.TemporaryDirectory() as tmp:
        sock = os.path.join(tmp, "sock")
        conf = os.path.join(tmp, "rekamd.conf")
        with open(conf, "w") as f:
            f.write("[devices]\nudev=false\nfprint=false\npcsc=false\n")
        log = open(os.path.join(tmp, "log"), "w")
        daemon = subprocess.Popen([REKAMD, "-c", conf, "--demo", "--state-dir", os.path.join(tmp, "state"),
                                   "--socket", sock, "--port", "0"], stdout=log, stderr=subprocess.STDOUT)
        try:
            deadline = time.time() + 90
            while time.time() < deadline:
                if os.path.exists(sock) and ctl(sock, "device", "list", check=False).returncode == 0:
                    break
                if daemon.poll() is not None:
                    raise SystemExit("rekamd exited early")
                time.sleep(0.3)
            listing = json.loads(ctl(sock, "--json", "device", "list").stdout)
            classes = sorted(d["class"] for d in listing["devices"])
            want = sorted(["finger", "slap", "camera", "iris", "signature", "smartcard", "scanner", "ups"])
            if classes != want:
                raise SystemExit(f"demo classes {classes} != {want}")
            for d in listing["devices"]:
                r = ctl(sock, "device", "test", d["id"], check=False)
                if r.returncode != 0:
                    raise SystemExit(f"device test {d['id']}: {r.stdout}{r.stderr}")
            for dev in ("replay-camera0", "replay-finger0", "replay-signature0", "replay-iris0"):
                ctl(sock, "device", "calibrate", dev)
            info = json.loads(ctl(sock, "--json", "device", "info", "replay-camera0").stdout)
            assert info["calibrated"] is True, info
            session = os.path.join(tmp, "pad.session")
            ctl(sock, "device", "record", "replay-signature0", session, "--seconds", "1")
            with open(session) as f:
                text = f.read()
            assert text.startswith("rekam-session 1\nclass signature\n") and " pen " in text, text[:200]
            out = ctl(sock, "device", "replay", session).stdout
            assert "replay-signature1" in out, out
            r = ctl(sock, "device", "info", "nothing", check=False)
            assert r.returncode == 3 and "nothing" in r.stderr, (r.returncode, r.stderr)

            msgs = ws_frames(sock, "/v1/devices/replay-camera0/stream", 1.5)
            hello = json.loads(msgs[0][1])
            assert msgs[0][0] == 1 and hello["type"] == "hello" and hello["window"] == 4, msgs[0]
            frames = [m for op, m in msgs[1:] if op == 2]
            assert len(frames) == 4, f"a silent client got {len(frames)} frames, window is 4"
            assert all(f[:2] == b"\xff\xd8" for f in frames), "frames are not JPEG"
            print(f"demo OK: {len(listing['devices'])} devices tested, stream sent 4 JPEG frames then waited")
        finally:
            daemon.terminate()
            daemon.wait(timeout=30)
            log.close()


if __name__ == "__main__":
    main()
