// Find a resident: by NIK (typed or scanned: a scanner types and ends with
// Enter), or by name + birth date through the forgiving search.
import { t, formatDate } from '../i18n.js';
import { h, message, screen, errorText } from '../ui.js';
import * as api from '../api.js';
import { go } from '../app.js';

export function find () {
  const out = h('div', { id: 'find-result', 'aria-live': 'polite' });
  const nik = h('input', { id: 'nik', class: 'field', inputmode: 'numeric', autocomplete: 'off',
    maxlength: '16', autofocus: true, 'aria-describedby': 'nik-hint' });
  const name = h('input', { id: 'name', class: 'field', autocomplete: 'off', 'aria-describedby': 'name-hint' });
  const born = h('input', { id: 'born', class: 'field', type: 'date' });

  const byNik = async (e) => {
    e.preventDefault();
    const value = nik.value.replace(/\D/g, '');
    if (value.length !== 16) { out.replaceChildren(message('error', t('find.nik_bad'))); return; }
    try {
      await api.get(`/v1/residents/${value}`);
      go('resident', { nik: value });
    } catch (err) {
      if (err.status === 404 && err.code !== 'nik-bad') {
        out.replaceChildren(message('warn', t('find.not_in_registry')),
          h('button', { class: 'btn', type: 'button', id: 'refer-this', text: t('find.refer_this'),
            onclick: () => go('referral', { nik: value, reason: 'not_in_registry' }) }));
      } else {
        out.replaceChildren(message('error', err.status === 400 ? `${t('find.nik_bad')} (${err.message})` : errorText(err)));
      }
    }
  };
  const byName = async (e) => {
    e.preventDefault();
    if (name.value.trim().length < 2) { out.replaceChildren(message('error', t('find.name_short'))); return; }
    const q = new URLSearchParams({ name: name.value.trim() });
    if (born.value) q.set('born', born.value);
    try {
      const res = await api.get(`/v1/residents?${q}`);
      if (res.residents.length === 0) {
        out.replaceChildren(message('warn', t('find.none')),
          h('button', { class: 'btn', type: 'button', text: t('find.refer_this'),
            onclick: () => go('referral', { name: name.value.trim(), reason: 'not_in_registry' }) }));
        return;
      }
      out.replaceChildren(message('info', t('find.results', { n: res.residents.length })),
        h('ul', { class: 'results' }, res.residents.map((r) => h('li', {},
          h('button', { class: 'btn result', type: 'button', 'data-nik': r.nik, onclick: () => go('resident', { nik: r.nik }) },
            h('strong', { text: r.name }), ' ', h('span', { text: r.nik }), ' ',
            h('span', { text: formatDate(r.birth_date) }), ' ', h('span', { text: r.kelurahan || '' }))))));
    } catch (err) {
      out.replaceChildren(message('error', errorText(err)));
    }
  };
  return screen('find.title',
    h('div', { class: 'columns' },
      h('form', { class: 'card', onsubmit: byNik },
        h('h2', { text: t('find.by_nik') }),
        h('label', { for: 'nik', text: t('find.nik') }), nik,
        h('p', { id: 'nik-hint', class: 'hint', text: t('find.nik_hint') }),
        h('button', { id: 'nik-search', class: 'btn primary', type: 'submit', text: t('find.search') })),
      h('form', { class: 'card', onsubmit: byName },
        h('h2', { text: t('find.by_name') }),
        h('label', { for: 'name', text: t('find.name') }), name,
        h('p', { id: 'name-hint', class: 'hint', text: t('find.name_hint') }),
        h('label', { for: 'born', text: t('find.born') }), born,
        h('button', { id: 'name-search', class: 'btn primary', type: 'submit', text: t('find.search') }))),
    out);
}
