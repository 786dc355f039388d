// The supervisor's view of today's SOP step times per operator against the
// standard (10 / 5 / 10 / 13 minutes); rows over the standard stand out.
import { t, formatDate, formatNumber } from '../i18n.js';
import { h, message, screen, errorText } from '../ui.js';
import * as api from '../api.js';

export async function sop () {
  const today = new Date().toISOString().slice(0, 10);
  let report;
  try {
    report = await api.get(`/v1/reports/sop?from=${today}&to=${today}`);
  } catch (err) {
    return screen('sopv.title', message('error', errorText(err)));
  }
  const fmt = (n) => formatNumber(Math.round(n * 10) / 10);
  return screen('sopv.title',
    h('p', { text: t('sopv.day', { date: formatDate(today) }) }),
    report.rows.length === 0 ? message('info', t('sopv.empty')) :
      h('table', { class: 'grid', id: 'sop-table' },
        h('thead', {}, h('tr', {}, ['sopv.operator', 'sopv.step', 'sopv.cases', 'sopv.mean', 'sopv.max', 'sopv.standard', 'sopv.over']
          .map((k) => h('th', { scope: 'col', text: t(k) })))),
        h('tbody', {}, report.rows.map((r) => h('tr', { class: r.mean_minutes > r.standard_minutes ? 'over' : '' },
          h('td', { text: r.operator }), h('td', { text: t('sop.step.' + r.step) }),
          h('td', { text: formatNumber(r.cases) }), h('td', { text: fmt(r.mean_minutes) }),
          h('td', { text: fmt(r.max_minutes) }), h('td', { text: formatNumber(r.standard_minutes) }),
          h('td', { text: formatNumber(r.over_standard) }))))));
}
