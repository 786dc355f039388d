// app.js: the kiosk shell. One screen at a time in <main>; the top bar
// (language, user, logout) and the case bar (citizen's name, NIK, SOP step
// and its timer) stay on every screen. Idle logout with a warning.
import { setLang, getLang, t, translate } from './i18n.js';
import * as api from './api.js';
import { screens } from './screens.js';

const STANDARD_MINUTES = { 1: 10, 2: 5, 3: 10, 4: 13 };

export const state = {
  settings: { accounts: [], idle_warning_seconds: 60, idle_logout_seconds: 0 },
  user: null,            // { username, role, idle_timeout_seconds }
  caseInfo: null,        // { id, nik, name, steps }
  current: null,         // [name, args]
  notice: null,          // a message for the next screen (login after idle)
};

// Screens that show what others change (no event stream in the API yet):
// reloaded quietly every REFRESH_SECONDS while shown.
const REFRESH_SECONDS = 20;
const REFRESHED = new Set(['queue', 'sop']);
let refreshTimer = 0;

export function go (name, args = {}) {
  state.current = [name, args];
  clearInterval(refreshTimer);
  if (REFRESHED.has(name)) {
    refreshTimer = setInterval(() => {
      if (state.current[0] === name && !document.getElementById('idle').open) render({ quiet: true });
    }, REFRESH_SECONDS * 1000);
  }
  render();
}

// quiet: keep the focus where it is (a refresh); focus: a selector to focus
// instead of the new screen's first field or title (the next document).
export async function render ({ quiet = false, focus = null } = {}) {
  const [name, args] = state.current;
  const main = document.getElementById('screen');
  const nodes = await screens[name](args);
  if (state.current[0] !== name) return; // the operator moved on meanwhile
  main.replaceChildren(...nodes);
  main.dataset.screen = name;
  translate(document);
  updateChrome();
  if (quiet) return;
  const first = (focus && main.querySelector(focus)) || main.querySelector('[autofocus]') ||
    main.querySelector('h1');
  if (first) { if (first.tagName === 'H1') first.tabIndex = -1; first.focus(); }
}

function updateChrome () {
  const user = document.getElementById('user');
  const signed = state.user !== null;
  user.textContent = signed
    ? t('user.signed_in', { name: state.user.username, role: t('role.' + state.user.role) }) : '';
  document.getElementById('logout').hidden = !signed;
  document.getElementById('home').hidden = !signed || state.current[0] === 'home';
  const bar = document.getElementById('casebar');
  bar.hidden = !signed || state.caseInfo === null;
  if (!bar.hidden) {
    document.getElementById('case-id').textContent = t('case.bar', { id: state.caseInfo.id });
    document.getElementById('case-name').textContent = state.caseInfo.name || '';
    document.getElementById('case-nik').textContent = state.caseInfo.nik || '';
  }
  tickTimer();
}

// The SOP step still running (no ended_at) and its time against the
// standard: amber from 80 % of it, red once over.
function tickTimer () {
  const stepEl = document.getElementById('case-step');
  const timer = document.getElementById('case-timer');
  const steps = state.caseInfo?.steps || [];
  const running = steps.filter((s) => !s.ended_at).pop();
  if (!running) { stepEl.textContent = ''; timer.textContent = ''; timer.className = 'timer'; return; }
  const standard = STANDARD_MINUTES[running.step] || 10;
  const seconds = Math.max(0, (Date.now() - Date.parse(running.started_at)) / 1000);
  const mm = Math.floor(seconds / 60);
  const ss = String(Math.floor(seconds % 60)).padStart(2, '0');
  stepEl.textContent = t('sop.step.' + running.step);
  const over = seconds > standard * 60;
  timer.textContent = t('sop.timer', { elapsed: `${mm}:${ss}`, standard }) + (over ? ` — ${t('sop.over')}` : '');
  timer.className = 'timer ' + (over ? 'red' : seconds > standard * 48 ? 'amber' : 'green');
  timer.dataset.level = over ? 'red' : seconds > standard * 48 ? 'amber' : 'green';
}

export function setCase (info) {
  state.caseInfo = info;
  updateChrome();
}

// ---- login / logout / idle -------------------------------------------

let lastActivity = Date.now();

export function loggedIn (session) {
  api.setToken(session.token);
  state.user = { username: session.username, role: session.role,
    idle_timeout_seconds: session.idle_timeout_seconds };
  lastActivity = Date.now();
  go('home');
}

export async function logout (noticeKey) {
  if (api.hasToken()) {
    try { await api.del('/v1/sessions/current'); } catch (e) { /* already gone */ }
  }
  api.setToken(null);
  state.user = null;
  state.caseInfo = null;
  state.notice = noticeKey || null;
  const dialog = document.getElementById('idle');
  if (dialog.open) dialog.close();
  go('login');
}

function idleLimit () {
  if (state.settings.idle_logout_seconds > 0) return state.settings.idle_logout_seconds;
  // A little before the daemon forgets the session, so the warning is honest.
  return Math.max(10, (state.user?.idle_timeout_seconds || 900) - 10);
}

function idleTick () {
  tickTimer();
  if (!state.user) return;
  const limit = idleLimit();
  const warn = Math.min(state.settings.idle_warning_seconds, Math.floor(limit / 2));
  const idle = (Date.now() - lastActivity) / 1000;
  const dialog = document.getElementById('idle');
  if (idle >= limit) {
    logout('login.idle_out');
  } else if (idle >= limit - warn) {
    document.getElementById('idle-body').textContent = t('idle.body', { n: Math.ceil(limit - idle) });
    if (!dialog.open) { dialog.showModal(); document.getElementById('idle-stay').focus(); }
  }
}

function activity () {
  if (document.getElementById('idle').open) return; // only "stay" dismisses it
  lastActivity = Date.now();
}

async function keepAlive () {
  lastActivity = Date.now();
  document.getElementById('idle').close();
  // Any authenticated call refreshes the daemon's idle clock too.
  try { await api.get('/v1/sessions/current'); } catch (e) { /* handled by onSessionLost */ }
}

async function main () {
  const params = new URLSearchParams(location.search);
  await setLang(params.get('lang') === 'en' ? 'en' : 'id');
  try {
    const res = await fetch('/ui/kiosk.json');
    if (res.ok) state.settings = await res.json();
  } catch (e) { /* defaults */ }
  api.onSessionLost(() => { if (state.user) logout('login.session_ended'); });
  for (const ev of ['pointerdown', 'keydown', 'wheel', 'touchstart']) {
    document.addEventListener(ev, activity, { capture: true, passive: true });
  }
  document.getElementById('idle-stay').addEventListener('click', keepAlive);
  document.getElementById('idle').addEventListener('cancel', (e) => { e.preventDefault(); keepAlive(); });
  document.getElementById('logout').addEventListener('click', () => logout());
  document.getElementById('home').addEventListener('click', () => go('home'));
  document.getElementById('lang').addEventListener('click', async () => {
    await setLang(getLang() === 'id' ? 'en' : 'id');
    // Switching language must not lose what the operator has typed.
    const kept = [...document.querySelectorAll('#screen input[id], #screen select[id], #screen textarea[id]')]
      .map((el) => [el.id, el.value]);
    await render();
    for (const [id, value] of kept) {
      const el = document.getElementById(id);
      if (el && el.type !== 'password') el.value = value;
    }
  });
  setInterval(idleTick, 1000);
  go('login');
  document.body.dataset.ready = '1';
}

main();
