// The kiosk boot without a screen: cage on wlroots' headless backend runs
// daemon/kiosk/systemd/rekam-kiosk-session (what rekam-kiosk.service runs)
// against a demo rekamd; through Chromium's DevTools port we check that the
// login screen rendered (its title and account tiles: content, not pixels)
// and save a screenshot. Then Chromium is killed, as in a crash, to show
// that cage ends with it (so systemd's Restart=always brings both back).
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readFileSync, rmSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Daemon, CHROMIUM, loadPlaywright, skip } from './harness.mjs';

const rekamd = process.argv[2];
if (!rekamd) skip('usage: boot.test.mjs REKAMD');
if (!existsSync('/usr/bin/cage')) skip('cage is missing (apt-get install cage; see deps/kiosk.txt)');
const chromium = await loadPlaywright();
const source = process.env.REKAM_SOURCE_DIR || join(import.meta.dirname, '../..');
const strings = JSON.parse(readFileSync(join(source, 'daemon/kiosk/www/i18n/id.json'), 'utf8'));
const shots = join(process.env.REKAM_KIOSK_ARTEFACTS || '.', 'screens');
mkdirSync(shots, { recursive: true });

// No demo data needed: the login screen's tiles come from [kiosk].
const daemon = new Daemon(rekamd, '[kiosk]\naccounts=operator;supervisor\n', { demo: false });
// cage refuses to run as root (it could not drop privileges for good), as
// the unit's User=rekam-kiosk never is: under root, run it as nobody.
const NOBODY = 65534;
const asUser = process.getuid() === 0 ? { uid: NOBODY, gid: NOBODY } : {};
const runtime = mkdtempSync(join(tmpdir(), 'rk-kiosk-run-'));
let cage;
let browser;
try {
  await daemon.start();
  if (asUser.uid !== undefined) chownSync(runtime, NOBODY, NOBODY);
  const env = {
    ...process.env,
    HOME: runtime,
    WLR_BACKENDS: 'headless',
    WLR_LIBINPUT_NO_DEVICES: '1',
    WLR_RENDERER: 'pixman',
    XDG_RUNTIME_DIR: runtime,
    REKAM_CHROMIUM: CHROMIUM,
    REKAM_KIOSK_CHROMIUM_FLAGS: '--no-sandbox --disable-gpu --remote-debugging-port=0 ' +
      '--disable-background-networking --disable-component-update',
  };
  delete env.WAYLAND_DISPLAY;
  delete env.DISPLAY;
  cage = spawn('/usr/bin/cage', ['-d', '--', 'sh', join(source, 'daemon/kiosk/systemd/rekam-kiosk-session'),
    daemon.url + '/'], { env, stdio: ['ignore', 'pipe', 'pipe'], ...asUser });
  let log = '';
  const devtools = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('no DevTools URL in 60 s:\n' + log)), 60000);
    const read = (d) => {
      log += d;
      const m = /DevTools listening on (ws:\/\/\S+)/.exec(log);
      if (m) { clearTimeout(timer); resolve(m[1]); }
    };
    cage.stdout.on('data', read);
    cage.stderr.on('data', read);
    cage.on('exit', (code) => { clearTimeout(timer); reject(new Error(`cage exited with ${code}:\n${log}`)); });
  });
  browser = await chromium.connectOverCDP(devtools);
  const deadline = Date.now() + 30000;
  let page;
  while (!page && Date.now() < deadline) {
    page = browser.contexts().flatMap((c) => c.pages()).find((p) => p.url().startsWith(daemon.url));
    if (!page) await new Promise((r) => setTimeout(r, 200));
  }
  assert.ok(page, 'the kiosk page is open');
  await page.waitForSelector('body[data-ready="1"] [data-screen="login"]', { timeout: 30000 });
  assert.equal(await page.locator('#screen-title').textContent(), strings['login.title']);
  assert.deepEqual(await page.locator('[data-account]').allTextContents(), ['operator', 'supervisor']);
  assert.doesNotMatch(await page.locator('body').innerText(), /\bnull\b|\bundefined\b|⟦/);
  const size = await page.evaluate(() => [innerWidth, innerHeight]);
  assert.ok(size[0] >= 640 && size[1] >= 480, `full-screen on the headless output (${size})`);
  await page.screenshot({ path: join(shots, 'boot-login.id.png') });
  await browser.close().catch(() => {});
  browser = null;

  // A Chromium crash ends the session: cage exits, systemd restarts it.
  const exited = new Promise((resolve) => cage.on('exit', (code, signal) => resolve(code ?? signal)));
  spawn('pkill', ['-KILL', '-P', String(cage.pid)]);
  const how = await Promise.race([exited, new Promise((r) => setTimeout(() => r('still running'), 20000))]);
  assert.notEqual(how, 'still running', 'cage ends when Chromium dies');
  cage = null;
  console.log(`ok: login screen rendered in cage (${size.join('x')}), cage ended after the crash (${how})`);
} catch (e) {
  console.error(e);
  process.exitCode = 1;
} finally {
  if (browser) await browser.close().catch(() => {});
  if (cage && cage.exitCode === null) cage.kill('SIGTERM');
  await daemon.stop();
  rmSync(runtime, { recursive: true, force: true });
}
