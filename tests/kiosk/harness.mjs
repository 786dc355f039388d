// harness.mjs: what the kiosk browser tests share. A real rekamd --demo
// on --port 0 in a temp dir (as tests/daemon does), reads of its demo
// store through python3's sqlite3 (to pick residents without hard-coding
// them), and Chromium through playwright-core.
import { spawn, execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const CHROMIUM = process.env.REKAM_CHROMIUM || '/usr/bin/chromium';
export const CHROMIUM_FLAGS = ['--headless', '--no-sandbox', '--disable-gpu',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
  '--no-first-run'];

export function skip (why) {
  console.log(`SKIP: ${why}`);
  process.exit(77);
}

export class Daemon {
  constructor (rekamd, config, { demo = true } = {}) {
    this.rekamd = rekamd;
    this.demo = demo;
    this.dir = mkdtempSync(join(tmpdir(), 'rk-kiosk-'));
    this.config = join(this.dir, 'rekamd.conf');
    writeFileSync(this.config, config);
    this.state = join(this.dir, 'state');
  }

  start () {
    const env = { ...process.env };
    delete env.G_DEBUG; // modules warn about missing site config at start
    this.proc = spawn(this.rekamd, [...(this.demo ? ['--demo'] : []), '--config', this.config, '--state-dir', this.state,
      '--socket', join(this.dir, 'rekamd.sock'), '--port', '0'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    this.stderr = '';
    this.proc.stderr.on('data', (d) => { this.stderr += d; });
    return new Promise((resolve, reject) => {
      let out = '';
      const timer = setTimeout(() => reject(new Error('rekamd did not get ready in 150 s\n' + this.stderr)), 150000);
      this.proc.stdout.on('data', (d) => {
        out += d;
        const m = /REKAMD_READY port=(\d+)/.exec(out);
        if (m && !this.port) {
          this.port = +m[1];
          this.url = `http://127.0.0.1:${this.port}`;
          clearTimeout(timer);
          resolve(this);
        }
      });
      this.proc.on('exit', (code) => { clearTimeout(timer); reject(new Error(`rekamd exited with ${code}\n${this.stderr}`)); });
    });
  }

  // One row list from the demo store (read-only, beside the running daemon).
  query (sql) {
    const py = 'import sqlite3,sys,json\n' +
      'db=sqlite3.connect("file:"+sys.argv[1]+"?mode=ro",uri=True)\n' +
      'print(json.dumps(db.execute(sys.argv[2]).fetchall()))';
    return JSON.parse(execFileSync('python3', ['-c', py, join(this.state, 'rekam.db'), sql]));
  }

  async api (method, path, body, token) {
    const headers = {};
    if (token) headers.Authorization = `Bearer ${token}`;
    if (body) headers['Content-Type'] = 'application/json';
    const res = await fetch(this.url + path, { method, headers, body: body ? JSON.stringify(body) : undefined });
    return { status: res.status, json: res.headers.get('content-type')?.startsWith('application/json') ? await res.json() : null };
  }

  async stop () {
    if (this.proc && this.proc.exitCode === null) {
      const done = new Promise((resolve) => this.proc.on('exit', resolve));
      this.proc.kill('SIGTERM');
      await done;
    }
    rmSync(this.dir, { recursive: true, force: true });
  }
}

export async function loadPlaywright () {
  if (!existsSync(CHROMIUM)) skip(`${CHROMIUM} is missing (apt-get install chromium; see deps/kiosk.txt)`);
  const { chromium } = await import('playwright-core');
  return chromium;
}
