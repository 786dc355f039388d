#!/usr/bin/env python3
"""Integration: a real rekamd (--port 0, temp state dir) spoken to over both
doors with real sockets, and rekamctl's exit codes. Standard library only.

  test_integration.py [-v] REKAMD REKAMCTL [TestClass[.test_name] ...]
"""
import http.client
import json
import os
import signal
import socket
import sqlite3
import stat
import subprocess
import sys
import tempfile
import time
import unittest

REKAMD = None
REKAMCTL = None


class UnixHTTPConnection(http.client.HTTPConnection):
    def __init__(self, path, timeout=60):
        super().__init__("rekamd", timeout=timeout)
        self.unix_path = path

    def connect(self):
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.sock.settimeout(self.timeout)
        self.sock.connect(self.unix_path)


class Daemon:
    """One rekamd in its own temp dir."""

    def __init__(self, extra_config=""):
        self.tmp = tempfile.TemporaryDirectory(prefix="rk-int-")
        self.state = os.path.join(self.tmp.name, "state")
        self.socket = os.path.join(self.tmp.name, "rekamd.sock")
        self.config = os.path.join(self.tmp.name, "rekamd.conf")
        with open(self.config, "w") as f:
            f.write("[auth]\nmax_pin_failures=3\nlockout_seconds=600\n" + extra_config)
        self.proc = None
        self.port = None

    def start(self, expect_fail=False, env_extra=None):
        env = dict(os.environ)
        # Modules warn about missing site config (e.g. the upload key) at
        # start; that must not abort the daemon under test. Criticals
        # (programming errors) are still caught: see stop().
        env.pop("G_DEBUG", None)
        env.update(env_extra or {})
        self.proc = subprocess.Popen(
            [REKAMD, "--config", self.config, "--state-dir", self.state,
             "--socket", self.socket, "--port", "0"],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
        if expect_fail:
            out, err = self.proc.communicate(timeout=60)
            return self.proc.returncode, err
        line = self.proc.stdout.readline()
        if not line.startswith("REKAMD_READY"):
            self.proc.wait(timeout=30)
            raise RuntimeError("rekamd did not start: %r %s" % (line, self.proc.stderr.read()))
        fields = dict(kv.split("=", 1) for kv in line.split()[1:])
        self.port = int(fields["port"])
        assert fields["socket"] == self.socket
        return 0, ""

    def stop(self):
        if self.proc is None:
            return None
        self.proc.send_signal(signal.SIGTERM)
        try:
            _, err = self.proc.communicate(timeout=60)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            _, err = self.proc.communicate()
        code = self.proc.returncode
        self.proc = None
        self.stderr = err
        if "CRITICAL" in err or "ERROR: AddressSanitizer" in err or "runtime error:" in err:
            return "stderr shows a bug: " + err[-3000:]
        return code

    def request(self, door, method, path, body=None, token=None, content_type="application/json",
                raw=None):
        conn = (UnixHTTPConnection(self.socket) if door == "unix"
                else http.client.HTTPConnection("127.0.0.1", self.port, timeout=60))
        headers = {}
        data = raw
        if body is not None:
            data = json.dumps(body).encode()
        if data is not None and content_type:
            headers["Content-Type"] = content_type
        if token:
            headers["Authorization"] = "Bearer " + token
        try:
            conn.request(method, path, body=data, headers=headers)
            resp = conn.getresponse()
            text = resp.read()
        finally:
            conn.close()
        parsed = None
        if text and resp.getheader("Content-Type", "").startswith("application/json"):
            parsed = json.loads(text)
        return resp.status, parsed

    def ctl(self, *args, env_extra=None, socket_path=None, stdin=None):
        env = dict(os.environ)
        env["REKAM_SOCKET"] = socket_path or self.socket
        if env_extra:
            env.update(env_extra)
        p = subprocess.run([REKAMCTL, *args], capture_output=True, text=True, env=env,
                           input=stdin, timeout=120)
        return p.returncode, p.stdout, p.stderr

    def cleanup(self):
        self.stop()
        self.tmp.cleanup()


class TwoDoors(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.d = Daemon()
        cls.d.start()
        for name, role, pin in (("siti", "operator", "4821"), ("ani", "supervisor", "7302")):
            status, body = cls.d.request("unix", "POST", "/v1/accounts",
                                         {"username": name, "role": role, "pin": pin})
            assert status == 201, (status, body)

    @classmethod
    def tearDownClass(cls):
        code = cls.d.stop()
        err = cls.d.stderr
        cls.d.tmp.cleanup()
        assert code == 0, "rekamd exited %s on SIGTERM: %s" % (code, err[-3000:])

    def login(self, username, pin):
        status, body = self.d.request("tcp", "POST", "/v1/sessions",
                                      {"username": username, "pin": pin})
        self.assertEqual(status, 201, body)
        return body["token"]

    def assertError(self, result, status, code, field=None):
        got_status, body = result
        self.assertEqual(got_status, status, body)
        self.assertIsNotNone(body, "error responses carry a JSON body")
        self.assertEqual(body["error"]["code"], code, body)
        self.assertTrue(body["error"]["message"])
        if field is not None:
            self.assertEqual(body["error"].get("field"), field, body)

    def test_status_on_both_doors(self):
        status, body = self.d.request("tcp", "GET", "/v1/status")
        self.assertEqual(status, 200)
        self.assertIsNone(body["you"])
        self.assertEqual(body["port"], self.d.port)
        status, body = self.d.request("unix", "GET", "/v1/status")
        self.assertEqual(status, 200)
        self.assertEqual(body["you"]["door"], "unix")
        self.assertIn("technician", body["you"]["role"])

    def test_tcp_needs_session(self):
        self.assertError(self.d.request("tcp", "GET", "/v1/accounts"), 401, "unauthenticated")
        self.assertError(self.d.request("tcp", "GET", "/v1/accounts", token="forged"), 401,
                         "unauthenticated")

    def test_roles_per_route(self):
        op = self.login("siti", "4821")
        sup = self.login("ani", "7302")
        self.assertError(self.d.request("tcp", "GET", "/v1/accounts", token=op), 403, "forbidden")
        status, body = self.d.request("tcp", "GET", "/v1/accounts", token=sup)
        self.assertEqual(status, 200)
        self.assertIn("siti", [a["username"] for a in body["accounts"]])
        status, body = self.d.request("tcp", "GET", "/v1/sessions/current", token=op)
        self.assertEqual((status, body["username"], body["role"]), (200, "siti", "operator"))

    def test_logout_ends_session(self):
        token = self.login("siti", "4821")
        status, _ = self.d.request("tcp", "DELETE", "/v1/sessions/current", token=token)
        self.assertEqual(status, 204)
        self.assertError(self.d.request("tcp", "GET", "/v1/sessions/current", token=token), 401,
                         "unauthenticated")

    def test_wrong_pin_then_lockout_then_unlock(self):
        status, _ = self.d.request("unix", "POST", "/v1/accounts",
                                   {"username": "budi", "role": "operator", "pin": "1357"})
        self.assertEqual(status, 201)
        for _ in range(2):
            self.assertError(self.d.request("tcp", "POST", "/v1/sessions",
                                            {"username": "budi", "pin": "0000"}), 401,
                             "unauthenticated")
        self.assertError(self.d.request("tcp", "POST", "/v1/sessions",
                                        {"username": "budi", "pin": "0000"}), 423, "locked")
        # Locked: even the right PIN is refused.
        self.assertError(self.d.request("tcp", "POST", "/v1/sessions",
                                        {"username": "budi", "pin": "1357"}), 423, "locked")
        status, body = self.d.request("unix", "PATCH", "/v1/accounts/budi", {"unlock": True})
        self.assertEqual(status, 200, body)
        self.assertFalse(body["locked"])
        self.login("budi", "1357")

    def test_unknown_user_same_answer(self):
        self.assertError(self.d.request("tcp", "POST", "/v1/sessions",
                                        {"username": "nobody", "pin": "1234"}), 401,
                         "unauthenticated")

    def test_malformed_json(self):
        self.assertError(self.d.request("tcp", "POST", "/v1/sessions",
                                        raw=b'{"username": "siti",'), 400, "malformed-json")
        self.assertError(self.d.request("tcp", "POST", "/v1/sessions", raw=b'[1,2]'), 400,
                         "malformed-json")
        self.assertError(self.d.request("tcp", "POST", "/v1/sessions",
                                        raw=b'{"username":"\xff\xfe","pin":"1"}'), 400,
                         "malformed-json")

    def test_strict_fields(self):
        self.assertError(self.d.request("tcp", "POST", "/v1/sessions",
                                        {"username": "siti", "pin": "4821", "admin": True}),
                         400, "unknown-field", "admin")
        self.assertError(self.d.request("tcp", "POST", "/v1/sessions",
                                        {"username": "siti", "pin": 4821}),
                         400, "invalid-field", "pin")
        self.assertError(self.d.request("tcp", "POST", "/v1/sessions", {"username": "siti"}),
                         400, "missing-field", "pin")
        self.assertError(self.d.request("unix", "POST", "/v1/accounts",
                                        {"username": "x", "role": "boss", "pin": "1234"}),
                         400, "invalid-field", "role")
        self.assertError(self.d.request("unix", "POST", "/v1/accounts",
                                        {"username": "siti", "role": "operator", "pin": "1234"}),
                         409, "conflict", "username")

    def test_oversized_body(self):
        big = b'{"username":"' + b"a" * (2 * 1024 * 1024) + b'","pin":"1"}'
        try:
            result = self.d.request("tcp", "POST", "/v1/sessions", raw=big)
        except (BrokenPipeError, ConnectionResetError):
            self.fail("rekamd closed the connection instead of answering 413")
        self.assertError(result, 413, "too-large")

    def test_wrong_content_type(self):
        self.assertError(self.d.request("tcp", "POST", "/v1/sessions", raw=b"username=siti",
                                        content_type="application/x-www-form-urlencoded"),
                         415, "unsupported-media-type")
        self.assertError(self.d.request("tcp", "POST", "/v1/sessions",
                                        raw=b'{"username":"siti","pin":"4821"}',
                                        content_type=None), 415, "unsupported-media-type")

    def test_not_found_and_method(self):
        self.assertError(self.d.request("tcp", "GET", "/v1/nothing"), 404, "not-found")
        self.assertError(self.d.request("tcp", "PUT", "/v1/status"), 405, "method-not-allowed")

    def test_openapi_served(self):
        status, body = self.d.request("tcp", "GET", "/v1/openapi.json")
        self.assertEqual(status, 200)
        self.assertTrue(body["openapi"].startswith("3."))
        self.assertIn("/v1/status", body["paths"])

    def test_socket_and_state_permissions(self):
        self.assertEqual(stat.S_IMODE(os.stat(self.d.socket).st_mode), 0o660)
        self.assertEqual(stat.S_IMODE(os.stat(self.d.state).st_mode), 0o700)
        for name in os.listdir(self.d.state):
            mode = stat.S_IMODE(os.stat(os.path.join(self.d.state, name)).st_mode)
            self.assertEqual(mode & 0o077, 0, "%s is mode %o" % (name, mode))

    def test_rekamctl_exit_codes(self):
        code, out, err = self.d.ctl("status")
        self.assertEqual(code, 0, err)
        self.assertIn("schema_version", out)
        code, out, err = self.d.ctl("--json", "status")
        self.assertEqual(code, 0, err)
        self.assertEqual(json.loads(out)["you"]["door"], "unix")
        self.assertEqual(self.d.ctl("no-such-command")[0], 2)
        self.assertEqual(self.d.ctl("status", "extra")[0], 2)
        self.assertEqual(self.d.ctl()[0], 2)
        code, _, err = self.d.ctl("status", socket_path=self.d.socket + ".missing")
        self.assertEqual(code, 4, err)
        code, _, err = self.d.ctl("account", "add", "siti", "operator",
                                  env_extra={"REKAM_PIN": "1234"})
        self.assertEqual(code, 3, err)
        self.assertIn("conflict", err)
        code, out, err = self.d.ctl("audit", "verify")
        self.assertEqual(code, 0, err)
        self.assertIn("OK", out)
        code, out, _ = self.d.ctl("account", "list")
        self.assertEqual(code, 0)
        self.assertIn("USERNAME", out.splitlines()[0])

    def test_rekamctl_help_everywhere(self):
        code, out, _ = self.d.ctl("--help")
        self.assertEqual(code, 0)
        commands = [line.strip().split("  ")[0] for line in out.splitlines()
                    if line.startswith("  ") and not line.startswith("   ")]
        self.assertIn("status", commands)
        for command in commands:
            code, out, err = self.d.ctl(*command.split(), "--help")
            self.assertEqual(code, 0, "%s --help: %s" % (command, err))
            self.assertIn("usage: rekamctl " + command, out)


class Lifecycle(unittest.TestCase):
    def test_restart_keeps_data_and_audit_catches_tampering(self):
        d = Daemon()
        try:
            d.start()
            status, _ = d.request("unix", "POST", "/v1/accounts",
                                  {"username": "dewi", "role": "technician", "pin": "9999"})
            self.assertEqual(status, 201)
            self.assertEqual(d.stop(), 0, d.stderr)
            self.assertFalse(os.path.exists(d.socket), "socket removed at exit")

            d.start()
            code, out, err = d.ctl("--json", "account", "list")
            self.assertEqual(code, 0, err)
            self.assertIn("dewi", [a["username"] for a in json.loads(out)["accounts"]])
            self.assertEqual(d.stop(), 0, d.stderr)

            db = sqlite3.connect(os.path.join(d.state, "rekam.db"))
            db.executescript("DROP TRIGGER audit_no_update;"
                             "UPDATE audit SET actor = 'mallory' WHERE id = 1;")
            db.commit()
            db.close()
            d.start()
            code, out, err = d.ctl("audit", "verify")
            self.assertEqual(code, 1, out + err)
            self.assertIn("entry 1", out)
            code, out, err = d.ctl("--json", "audit", "verify")
            report = json.loads(out)
            self.assertEqual((report["ok"], report["bad_id"], report["problem"]),
                             (False, 1, "edited"))
        finally:
            d.cleanup()

    def test_refuses_newer_database(self):
        d = Daemon()
        try:
            d.start()
            self.assertEqual(d.stop(), 0, d.stderr)
            db = sqlite3.connect(os.path.join(d.state, "rekam.db"))
            db.execute("PRAGMA user_version=9999")
            db.commit()
            db.close()
            code, err = d.start(expect_fail=True)
            self.assertEqual(code, 1)
            self.assertIn("newer rekamd", err)
        finally:
            d.cleanup()

    def test_systemd_notify_and_watchdog(self):
        d = Daemon()
        notify = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
        path = os.path.join(d.tmp.name, "notify")
        notify.bind(path)
        notify.settimeout(10)
        try:
            d.start(env_extra={"NOTIFY_SOCKET": path, "WATCHDOG_USEC": "200000"})
            seen = []
            deadline = time.time() + 10
            while time.time() < deadline and not any("WATCHDOG=1" in m for m in seen):
                seen.append(notify.recv(4096).decode())
            text = "\n".join(seen)
            self.assertIn("READY=1", text)
            self.assertIn("STATUS=Listening on", text)
            self.assertIn("WATCHDOG=1", text)
            self.assertEqual(d.stop(), 0, d.stderr)
            notify.settimeout(2)
            rest = []
            try:
                while True:
                    rest.append(notify.recv(4096).decode())
            except socket.timeout:
                pass
            self.assertIn("STOPPING=1", "\n".join(rest))
        finally:
            notify.close()
            d.cleanup()

    def test_unix_peer_roles_from_groups(self):
        # Another uid on the unix door gets the roles of its groups: run
        # rekamctl as nobody:nogroup with nogroup mapped to operator.
        if os.geteuid() != 0 or not os.path.exists("/usr/bin/setpriv"):
            self.skipTest("needs root and setpriv to act as another uid")
        try:
            import grp
            import pwd
            grp.getgrnam("nogroup")
            pwd.getpwnam("nobody")
        except KeyError:
            self.skipTest("no nobody/nogroup on this system")
        d = Daemon(extra_config="unix_group_operator=nogroup\n")
        try:
            d.start()
            # The socket is 0660 and its group may not exist here: let
            # nobody reach it (and the temp dir) for this test only.
            os.chmod(d.tmp.name, 0o755)
            os.chmod(d.socket, 0o666)
            as_nobody = ["/usr/bin/setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"]
            env = dict(os.environ, REKAM_SOCKET=d.socket)
            p = subprocess.run(as_nobody + [REKAMCTL, "--json", "status"], capture_output=True,
                               text=True, env=env, timeout=60)
            self.assertEqual(p.returncode, 0, p.stderr)
            you = json.loads(p.stdout)["you"]
            self.assertEqual((you["username"], you["role"]), ("unix:nobody", "operator"))
            p = subprocess.run(as_nobody + [REKAMCTL, "account", "list"], capture_output=True,
                               text=True, env=env, timeout=60)
            self.assertEqual(p.returncode, 3, p.stderr)
            self.assertIn("forbidden", p.stderr)
            self.assertEqual(d.stop(), 0, d.stderr)

            # Mapped to nothing: refused (status stays open: it is anonymous).
            d2 = Daemon()
            try:
                d2.start()
                os.chmod(d2.tmp.name, 0o755)
                os.chmod(d2.socket, 0o666)
                p = subprocess.run(as_nobody + [REKAMCTL, "audit", "verify"],
                                   capture_output=True, text=True,
                                   env=dict(os.environ, REKAM_SOCKET=d2.socket), timeout=60)
                self.assertEqual(p.returncode, 3, p.stderr)
                self.assertIn("none of the groups", p.stderr)
            finally:
                d2.cleanup()
        finally:
            d.cleanup()

    def test_bad_config_key_refused(self):
        d = Daemon(extra_config="sesion_idle_timeout=5\n")
        try:
            code, err = d.start(expect_fail=True)
            self.assertEqual(code, 1)
            self.assertIn("sesion_idle_timeout", err)
        finally:
            d.cleanup()


if __name__ == "__main__":
    args = [a for a in sys.argv[1:] if not a.startswith("-")]
    flags = [a for a in sys.argv[1:] if a.startswith("-")]
    if len(args) < 2:
        sys.exit(__doc__)
    REKAMD, REKAMCTL = args[:2]
    unittest.main(argv=[sys.argv[0]] + flags + args[2:])
