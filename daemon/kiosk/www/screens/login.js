// Login: choose an account (tiles from [kiosk] accounts, or type one), then
// the PIN on a large pad (the keyboard works too). Lockout (423) and wrong
// PINs (401) are said in plain words.
import { t } from '../i18n.js';
import { h, message, screen, errorText } from '../ui.js';
import * as api from '../api.js';
import { state, loggedIn, render } from '../app.js';

export function login ({ username } = {}) {
  const notice = state.notice ? message('info', t(state.notice)) : null;
  if (!username) {
    const other = h('input', { id: 'username', class: 'field', autocomplete: 'off',
      autocapitalize: 'none', 'aria-label': t('login.username') });
    const choose = (name) => { state.notice = null; state.current = ['login', { username: name }]; render(); };
    return screen('login.title', notice,
      h('h2', { text: t('login.choose') }),
      h('div', { class: 'tiles' }, state.settings.accounts.map((name, i) =>
        h('button', { class: 'btn tile', type: 'button', 'data-account': name, autofocus: i === 0,
          onclick: () => choose(name) }, name))),
      h('form', { class: 'row', onsubmit: (e) => { e.preventDefault(); if (other.value.trim()) choose(other.value.trim()); } },
        h('label', { for: 'username', text: t('login.other') }), other,
        h('button', { class: 'btn', type: 'submit', text: t('login.next') })));
  }
  const pin = h('input', { id: 'pin', class: 'field pin', type: 'password', inputmode: 'numeric',
    autocomplete: 'off', maxlength: '12', 'aria-label': t('login.pin'), autofocus: true });
  const out = h('div', { id: 'login-message', 'aria-live': 'assertive' }, notice);
  const submit = async () => {
    if (!/^[0-9]{4,12}$/.test(pin.value)) { out.replaceChildren(message('error', t('login.pin_format'))); return; }
    try {
      const session = await api.post('/v1/sessions', { username, pin: pin.value });
      state.notice = null;
      loggedIn(session);
    } catch (err) {
      pin.value = '';
      const text = err.status === 423 ? t('login.locked') : err.status === 401 ? t('login.wrong_pin') : errorText(err);
      out.replaceChildren(message('error', text));
      out.dataset.code = err.code;
      pin.focus();
    }
  };
  const key = (label, fn, extra = {}) => h('button', { class: 'btn key', type: 'button', onclick: fn, ...extra }, label);
  const digits = [1, 2, 3, 4, 5, 6, 7, 8, 9].map((d) => key(String(d), () => { if (pin.value.length < 12) pin.value += d; }, { 'data-digit': d }));
  return screen('login.title',
    h('h2', { text: t('login.pin_for', { name: username }) }),
    h('form', { class: 'pinform', onsubmit: (e) => { e.preventDefault(); submit(); } },
      pin,
      h('div', { class: 'pad' }, digits,
        key(t('login.clear'), () => { pin.value = ''; }),
        key('0', () => { if (pin.value.length < 12) pin.value += '0'; }, { 'data-digit': 0 }),
        key('⌫', () => { pin.value = pin.value.slice(0, -1); }, { 'aria-label': t('login.backspace') })),
      h('div', { class: 'row' },
        h('button', { class: 'btn', type: 'button', text: t('nav.back'),
          onclick: () => { state.current = ['login', {}]; render(); } }),
        h('button', { id: 'login-submit', class: 'btn primary', type: 'submit', text: t('login.submit') }))),
    out);
}
