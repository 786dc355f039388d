// Home: one large button per task; the SOP times only for a supervisor.
import { t } from '../i18n.js';
import { h, screen } from '../ui.js';
import { state, go, setCase } from '../app.js';

export function home () {
  setCase(null);
  const item = (key, target, extra = {}) =>
    h('button', { class: 'btn tile big', type: 'button', 'data-go': target, onclick: () => go(target), ...extra }, t(key));
  return screen('home.title',
    h('div', { class: 'tiles' },
      item('home.find', 'find', { autofocus: true }),
      item('home.queue', 'queue'),
      item('home.referral', 'referral'),
      state.user.role === 'supervisor' ? item('home.sop', 'sop') : null));
}
