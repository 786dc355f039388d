// Referral to Disdukcapil (not in the extract, no NIK, NIK mismatch, wrong
// record) and its printable slip: the PDF is fetched with the session and
// shown in the kiosk's viewer, whose print button opens the print dialog.
import { t } from '../i18n.js';
import { h, message, screen, errorText } from '../ui.js';
import * as api from '../api.js';
import { state } from '../app.js';

const REASONS = ['not_in_registry', 'no_nik', 'nik_mismatch', 'record_incorrect'];

export function referral ({ nik = '', name = '', reason = 'not_in_registry' } = {}) {
  const out = h('div', { id: 'referral-result', 'aria-live': 'polite' });
  const nameIn = h('input', { id: 'ref-name', class: 'field', autocomplete: 'off', value: name, autofocus: true });
  const nikIn = h('input', { id: 'ref-nik', class: 'field', inputmode: 'numeric', maxlength: '16', autocomplete: 'off', value: nik });
  const reasonIn = h('select', { id: 'ref-reason', class: 'field' },
    REASONS.map((r) => h('option', { value: r, selected: r === reason, text: t('ref.reason.' + r) })));
  const note = h('textarea', { id: 'ref-note', class: 'field', rows: '2' });
  const caseId = state.caseInfo?.id;

  const printSlip = async (id) => {
    try {
      const pdf = await api.get(`/v1/referrals/${id}/slip`);
      const url = URL.createObjectURL(pdf);
      const frame = h('iframe', { id: 'slip', class: 'slip', src: url, title: t('ref.print'),
        'data-type': pdf.type, 'data-size': String(pdf.size) });
      out.querySelector('#slip')?.remove();
      out.append(message('ok', t('ref.slip_ready')), frame);
      // In the kiosk Chromium this opens the print dialog for the slip.
      frame.addEventListener('load', () => { try { frame.contentWindow.print(); } catch (e) { /* viewer has its own button */ } });
    } catch (err) {
      out.append(message('error', errorText(err)));
    }
  };
  const create = async (e) => {
    e.preventDefault();
    if (!nameIn.value.trim()) { out.replaceChildren(message('error', t('ref.name_missing'))); return; }
    const body = { name: nameIn.value.trim(), reason: reasonIn.value };
    if (nikIn.value.trim()) body.nik = nikIn.value.trim();
    if (note.value.trim()) body.note = note.value.trim();
    if (caseId) body.case_id = caseId;
    try {
      const r = await api.post('/v1/referrals', body);
      out.replaceChildren(message('ok', t('ref.created', { id: r.id, name: r.name })),
        h('button', { id: 'slip-print', class: 'btn primary', type: 'button', text: t('ref.print'), onclick: () => printSlip(r.id) }));
      out.dataset.referral = String(r.id);
    } catch (err) {
      out.replaceChildren(message('error', errorText(err) + (err.field ? ` (${err.field})` : '')));
    }
  };
  return screen('ref.title',
    h('form', { class: 'card form', onsubmit: create },
      h('label', { for: 'ref-name', text: t('ref.name') }), nameIn,
      h('label', { for: 'ref-nik', text: t('ref.nik') }), nikIn,
      h('label', { for: 'ref-reason', text: t('ref.reason') }), reasonIn,
      h('label', { for: 'ref-note', text: t('ref.note') }), note,
      h('button', { id: 'ref-create', class: 'btn primary', type: 'submit', text: t('ref.create') })),
    out);
}
