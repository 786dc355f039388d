// SOP step 2: the case type's document checklist. Each document is one
// large toggle; ticking calls the API and the case bar follows the steps.
import { t } from '../i18n.js';
import { h, message, screen, errorText } from '../ui.js';
import * as api from '../api.js';
import { go, setCase, render } from '../app.js';

export async function checklist ({ id, name }) {
  let c;
  try {
    c = await api.get(`/v1/cases/${id}`);
    if (!name) name = (await api.get(`/v1/residents/${c.nik}`)).name;
  } catch (err) {
    if (!c) return screen('check.title', message('error', errorText(err)));
  }
  setCase({ id: c.id, nik: c.nik, name, steps: c.steps });
  const out = h('div', { id: 'check-message', 'aria-live': 'polite' });
  const refresh = () => render({ focus: '.check[aria-checked="false"]:not([disabled])' });
  const tick = async (doc) => {
    try {
      await api.post(`/v1/cases/${c.id}/documents/${doc}/check`);
      refresh();
    } catch (err) {
      out.replaceChildren(message('error', errorText(err)));
    }
  };
  const act = async (what, okKey) => {
    try {
      const next = await api.post(`/v1/cases/${c.id}/${what}`);
      setCase({ id: next.id, nik: next.nik, name, steps: next.steps });
      out.replaceChildren(message('ok', t(okKey)));
      document.getElementById('check-actions')?.remove();
    } catch (err) {
      out.replaceChildren(message('error', errorText(err)));
    }
  };
  const missing = (c.missing || []).length;
  const editable = c.state === 'open';
  return screen('check.title',
    h('p', { class: 'hint', text: t('check.hint') }),
    h('p', { class: 'hint', text: `${t('case.type.' + c.type)} · ${t('case.state.' + c.state)}` }),
    h('ul', { class: 'checklist' }, (c.documents || []).map((d) => h('li', {},
      h('button', { class: 'btn check' + (d.checked_at ? ' done' : ''), type: 'button',
        role: 'checkbox', 'aria-checked': String(!!d.checked_at), 'data-doc': d.document,
        disabled: !editable || !!d.checked_at, onclick: () => tick(d.document) },
        h('span', { class: 'box', 'aria-hidden': 'true', text: d.checked_at ? '✓' : '' }),
        h('span', { text: t('doc.' + d.document) }),
        h('span', { class: 'tag', text: d.checked_at ? t('check.done') : t(d.required ? 'check.required' : 'check.optional') }))))),
    message(missing ? 'warn' : 'ok', missing ? t('check.missing', { n: missing }) : t('check.complete')),
    editable ? h('div', { class: 'row', id: 'check-actions' },
      h('button', { id: 'case-forward', class: 'btn primary', type: 'button', text: t('check.forward'),
        onclick: () => act('forward', 'check.forwarded') }),
      h('button', { id: 'case-cancel', class: 'btn danger', type: 'button', text: t('check.cancel'),
        onclick: () => act('cancel', 'check.cancelled') })) : null,
    h('button', { class: 'btn', type: 'button', text: t('case.close_view'), onclick: () => go('home') }),
    out);
}
