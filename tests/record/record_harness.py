"""Shared pieces of the record room's daemon tests: a PKI made with the
openssl CLI, nginx on 127.0.0.1 with TLS client verification and WebDAV
PUT (started and stopped by the test as a non-daemon process), rekamd, and
rekamctl. Nothing here is a mock: these are the real programs."""
import hashlib
import http.client
import json
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time

SKIP = 77


def build_dir():
    return os.environ.get("REKAM_BUILD_DIR", "")


def program(env_name):
    path = os.environ.get(env_name)
    if not path or not os.path.exists(path):
        print(f"{env_name} not set or missing; skipping")
        raise SystemExit(SKIP)
    return path


def need(*tools):
    for tool in tools:
        if shutil.which(tool) is None and not os.path.exists(f"/usr/sbin/{tool}"):
            print(f"{tool} not installed; skipping")
            raise SystemExit(SKIP)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def sha256_file(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(65536), b""):
            h.update(chunk)
    return h.hexdigest()


def run(args, **kw):
    return subprocess.run(args, check=True, stdout=subprocess.PIPE, stderr=subprocess.PIPE, **kw)


class Pki:
    """A CA, a server certificate for 127.0.0.1, a client certificate, and a
    second CA that signed nothing of ours (for the mismatch test)."""

    def __init__(self, root):
        self.dir = os.path.join(root, "pki")
        os.makedirs(self.dir)
        d = self.dir
        self.ca, self.ca_key = f"{d}/ca.pem", f"{d}/ca.key"
        self.other_ca, other_key = f"{d}/other-ca.pem", f"{d}/other-ca.key"
        for cert, key, cn in ((self.ca, self.ca_key, "Rekam test CA"), (self.other_ca, other_key, "Other CA")):
            run(["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
                 "-nodes", "-keyout", key, "-out", cert, "-days", "2", "-subj", f"/CN={cn}"])
        self.server, self.server_key = self._issue("server", "127.0.0.1",
                                                   "subjectAltName=IP:127.0.0.1\nextendedKeyUsage=serverAuth")
        self.client, self.client_key = self._issue("client", "367113-DESK1", "extendedKeyUsage=clientAuth")

    def _issue(self, name, cn, extensions):
        d = self.dir
        key, csr, cert, ext = (f"{d}/{name}.key", f"{d}/{name}.csr", f"{d}/{name}.pem", f"{d}/{name}.ext")
        with open(ext, "w") as f:
            f.write(extensions + "\n")
        run(["openssl", "req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
             "-keyout", key, "-out", csr, "-subj", f"/CN={cn}"])
        run(["openssl", "x509", "-req", "-in", csr, "-CA", self.ca, "-CAkey", self.ca_key, "-CAcreateserial",
             "-out", cert, "-days", "2", "-extfile", ext])
        return cert, key


class Nginx:
    """nginx -p DIR with its own config: TLS, ssl_verify_client on, WebDAV
    PUT under /records/, and fixed-status locations for fault tests."""

    def __init__(self, root, pki):
        self.dir = os.path.join(root, "nginx")
        self.data = os.path.join(self.dir, "data")
        os.makedirs(os.path.join(self.data, "records"), exist_ok=True)
        os.makedirs(os.path.join(self.dir, "tmp"), exist_ok=True)
        self.port = free_port()
        self.proc = None
        user = "user root root;" if os.geteuid() == 0 else ""
        d = self.dir
        conf = f"""
{user}
worker_processes 1;
daemon off;
master_process on;
pid {d}/nginx.pid;
error_log {d}/error.log info;
events {{ worker_connections 64; }}
http {{
  access_log {d}/access.log;
  client_body_temp_path {d}/tmp/body;
  proxy_temp_path {d}/tmp/proxy;
  fastcgi_temp_path {d}/tmp/fastcgi;
  uwsgi_temp_path {d}/tmp/uwsgi;
  scgi_temp_path {d}/tmp/scgi;
  client_max_body_size 256m;
  server {{
    listen 127.0.0.1:{self.port} ssl;
    ssl_certificate {pki.server};
    ssl_certificate_key {pki.server_key};
    ssl_client_certificate {pki.ca};
    ssl_verify_client on;
    location /records/ {{
      root {self.data};
      dav_methods PUT;
      create_full_put_path on;
      dav_access user:rw;
    }}
    location /fail500/ {{ return 500; }}
    location /fail507/ {{ return 507; }}
  }}
}}
"""
        self.conf = os.path.join(d, "nginx.conf")
        with open(self.conf, "w") as f:
            f.write(conf)

    def url(self, path="records/"):
        return f"https://127.0.0.1:{self.port}/{path}"

    def start(self):
        nginx = shutil.which("nginx") or "/usr/sbin/nginx"
        self.proc = subprocess.Popen([nginx, "-p", self.dir, "-c", self.conf, "-e", f"{self.dir}/stderr.log"],
                                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.time() + 10
        while time.time() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.2):
                    return
            except OSError:
                if self.proc.poll() is not None:
                    raise RuntimeError("nginx exited: " + open(f"{self.dir}/stderr.log").read()[-2000:])
                time.sleep(0.05)
        raise RuntimeError("nginx did not start")

    def kill(self):
        """SIGKILL the master and its worker (the worker's pid from ps)."""
        if self.proc is None:
            return
        pid = self.proc.pid
        children = subprocess.run(["ps", "-o", "pid=", "--ppid", str(pid)], stdout=subprocess.PIPE,
                                  text=True).stdout.split()
        self.proc.kill()
        self.proc.wait()
        for child in children:
            try:
                os.kill(int(child), signal.SIGKILL)
            except ProcessLookupError:
                pass
        self.proc = None
        time.sleep(0.1)

    def stop(self):
        if self.proc is None:
            return
        self.proc.terminate()
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.kill()
        self.proc = None

    def files(self):
        root = os.path.join(self.data, "records")
        return {name[:-4]: os.path.join(root, name) for name in os.listdir(root) if name.endswith(".env")}


class UnixHTTPConnection(http.client.HTTPConnection):
    def __init__(self, path, timeout=60):
        super().__init__("localhost", timeout=timeout)
        self.unix_path = path

    def connect(self):
        # A unix socket's full listen backlog answers EAGAIN instead of
        # queueing the caller (several calls at once, right after start):
        # wait and try again, as a blocking client would.
        for attempt in range(100):
            self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            self.sock.settimeout(self.timeout)
            try:
                self.sock.connect(self.unix_path)
                return
            except BlockingIOError:
                self.sock.close()
                time.sleep(0.05)
        raise BlockingIOError("rekamd's socket stayed busy")


class Rekamd:
    def __init__(self, root, record_conf, name="rekamd"):
        self.root = os.path.join(root, name)
        os.makedirs(self.root, exist_ok=True)
        self.state = os.path.join(self.root, "state")
        self.socket = os.path.join(self.root, "sock")
        self.conf = os.path.join(self.root, "rekamd.conf")
        self.write_conf(record_conf)
        self.proc = None
        self.rekamd = program("REKAMD")
        self.rekamctl = program("REKAMCTL")

    def write_conf(self, record_conf):
        with open(self.conf, "w") as f:
            f.write("[record]\n")
            for key, value in record_conf.items():
                f.write(f"{key}={value}\n")

    def start(self, env_extra=None):
        env = dict(os.environ)
        env.pop("REKAM_RECORD_CRASH_AT", None)
        env["G_DEBUG"] = ""  # the daemon warns on purpose (no recipient key...)
        env["ASAN_OPTIONS"] = "detect_leaks=0"
        if env_extra:
            env.update(env_extra)
        self.log = open(os.path.join(self.root, "rekamd.log"), "ab")
        self.proc = subprocess.Popen([self.rekamd, "--config", self.conf, "--state-dir", self.state,
                                      "--socket", self.socket, "--port", "0"],
                                     stdout=subprocess.PIPE, stderr=self.log, env=env)
        line = self.proc.stdout.readline().decode()
        if not line.startswith("REKAMD_READY"):
            self.proc.wait()
            raise RuntimeError("rekamd did not start: " + open(os.path.join(self.root, "rekamd.log")).read()[-3000:])

    def kill(self):
        if self.proc is not None and self.proc.poll() is None:
            self.proc.kill()
        if self.proc is not None:
            self.proc.wait()
            self.proc.stdout.close()
            self.log.close()
        self.proc = None

    def stop(self):
        if self.proc is None:
            return
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.proc.stdout.close()
        self.log.close()
        self.proc = None

    def alive(self):
        return self.proc is not None and self.proc.poll() is None

    def ctl(self, *args, json_out=True, timeout=60):
        env = dict(os.environ)
        env["REKAM_SOCKET"] = self.socket
        argv = [self.rekamctl] + (["--json"] if json_out else []) + list(args)
        p = subprocess.run(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, timeout=timeout)
        out = p.stdout.decode()
        if json_out and p.returncode == 0 and out.strip():
            return p.returncode, json.loads(out)
        return p.returncode, out + p.stderr.decode()

    def api(self, method, path, body=None, timeout=60):
        """The same API rekamctl uses, straight over the unix socket (the
        crash test calls it hundreds of times; rekamctl's start-up under
        the sanitizers would dominate). Returns (status, parsed JSON)."""
        conn = UnixHTTPConnection(self.socket, timeout)
        try:
            data = json.dumps(body).encode() if body is not None else None
            headers = {"Content-Type": "application/json"} if data else {}
            conn.request(method, path, body=data, headers=headers)
            response = conn.getresponse()
            text = response.read()
            return response.status, (json.loads(text) if text else None)
        finally:
            conn.close()

    def enqueue(self, manifest_path, timeout=60):
        with open(manifest_path) as f:
            manifest = json.load(f)
        return self.api("POST", "/v1/records",
                        {"manifest": manifest, "base_dir": os.path.dirname(os.path.abspath(manifest_path))},
                        timeout=timeout)

    def queue(self):
        status, out = self.api("GET", "/v1/queue")
        assert status == 200, out
        return {r["record_id"]: r for r in out["records"]}

    def wait_for(self, predicate, timeout=30, what="condition"):
        deadline = time.time() + timeout
        while time.time() < deadline:
            q = self.queue()
            if predicate(q):
                return q
            time.sleep(0.1)
        raise AssertionError(f"timed out waiting for {what}: {json.dumps(self.queue(), indent=1)[:3000]}")

    def queue_files(self):
        d = os.path.join(self.state, "record", "queue")
        return sorted(n for n in os.listdir(d) if n.endswith(".env"))

    def tmp_files(self):
        return os.listdir(os.path.join(self.state, "record", "queue", "tmp"))


class Fixture:
    """One set of images; manifests differ only by TCN (and case id)."""

    def __init__(self, root, full=False):
        self.dir = os.path.join(root, "fixture")
        gen = program("RECORD_FIXTURE_GEN")
        args = [gen, self.dir, "TEMPLATE"] + (["--full", "--slaps"] if full else [])
        path = run(args).stdout.decode().strip()
        with open(path) as f:
            self.template = json.load(f)

    def manifest(self, tcn):
        m = json.loads(json.dumps(self.template))
        m["transaction"]["tcn"] = tcn
        m["demographics"]["case_id"] = "CASE-" + tcn
        path = os.path.join(self.dir, f"manifest-{tcn}.json")
        with open(path, "w") as f:
            json.dump(m, f)
        return path


def make_keys(root, an2k):
    """Disdukcapil's key pair (the test plays Disdukcapil)."""
    d = os.path.join(root, "disdukcapil")
    os.makedirs(d, exist_ok=True)
    key = os.path.join(d, "x25519.key")
    run([an2k, "keygen", "x25519", key])
    return key, key + ".pub"


def tempdir(name):
    return tempfile.mkdtemp(prefix=f"rekam-{name}-")


def cleanup(path):
    shutil.rmtree(path, ignore_errors=True)
