// Today's queue: open cases (online applications and walk-ins) with their
// SOP step and how long they have waited.
import { t, formatNumber } from '../i18n.js';
import { h, message, screen, errorText } from '../ui.js';
import * as api from '../api.js';
import { go } from '../app.js';

export async function queue () {
  let cases;
  try {
    cases = (await api.get('/v1/cases?state=open&limit=200')).cases;
  } catch (err) {
    return screen('queue.title', message('error', errorText(err)));
  }
  const today = new Date().toISOString().slice(0, 10);
  cases = cases.filter((c) => (c.opened_at || '').slice(0, 10) === today || c.source === 'online');
  if (cases.length === 0) return screen('queue.title', message('info', t('queue.empty')));
  const running = (c) => (c.steps || []).filter((s) => !s.ended_at).pop();
  const waited = (c) => Math.floor((Date.now() - Date.parse(c.opened_at)) / 60000);
  return screen('queue.title',
    h('table', { class: 'grid', id: 'queue-table' },
      h('thead', {}, h('tr', {}, ['queue.case', 'resident.nik', 'case.type', 'queue.source', 'queue.step', 'queue.waiting', 'queue.open']
        .map((k) => h('th', { scope: 'col', text: t(k) })))),
      h('tbody', {}, cases.map((c) => h('tr', {},
        h('td', { text: '#' + c.id }), h('td', { text: c.nik }),
        h('td', { text: t('case.type.' + c.type) }),
        h('td', { text: t('queue.source.' + c.source) }),
        h('td', { text: running(c) ? t('sop.step', { n: running(c).step }) : '' }),
        h('td', { text: t('queue.minutes', { n: formatNumber(waited(c)) }) }),
        h('td', {}, h('button', { class: 'btn small', type: 'button', 'data-case': c.id, text: t('queue.open'),
          onclick: () => go('checklist', { id: c.id }) })))))));
}
