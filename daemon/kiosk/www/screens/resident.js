// A resident with the two verdicts and their reasons: the NIK check and
// eligibility (with the date an under-17 becomes eligible). An eligible
// resident's case is opened here; an ineligible one is refused, no case.
import { t, formatDate } from '../i18n.js';
import { h, message, screen, errorText } from '../ui.js';
import * as api from '../api.js';
import { go, setCase } from '../app.js';

const CASE_TYPES = ['first_issue', 'change_of_data', 'replacement', 'newcomer'];

function issueText (issue) {
  const text = t('nikissue.' + issue.code);
  return text.startsWith('⟦') ? issue.message : text;
}

function nikVerdict (check) {
  const problems = (check?.issues || []).filter((i) => !i.warning);
  const warnings = (check?.issues || []).filter((i) => i.warning);
  return h('section', { class: 'card verdict', id: 'verdict-nik', 'data-ok': String(!!check?.valid) },
    h('h2', { text: t('verdict.nik') }),
    check?.valid ? message('ok', t('verdict.nik_ok')) : message('error', t('verdict.nik_bad')),
    problems.length ? h('ul', {}, problems.map((i) => h('li', { 'data-code': i.code, text: issueText(i) }))) : null,
    warnings.length ? h('p', { class: 'hint', text: t('verdict.nik_warn') }) : null,
    warnings.length ? h('ul', {}, warnings.map((i) => h('li', { 'data-code': i.code, text: issueText(i) }))) : null);
}

function eligibilityVerdict (e) {
  let body;
  if (!e) body = [message('warn', t('verdict.unknown'))];
  else if (e.eligible && e.rule === 'married') body = [message('ok', t('verdict.eligible_married'))];
  else if (e.eligible) body = [message('ok', t('verdict.eligible_age', { n: e.age }))];
  else {
    body = [message('error', t('verdict.not_eligible', { n: e.age })),
      h('p', { class: 'big', id: 'eligible-from', text: t('verdict.eligible_from', { date: formatDate(e.eligible_from) }) }),
      h('p', { class: 'hint', text: t('verdict.refused_action') })];
  }
  return h('section', { class: 'card verdict', id: 'verdict-eligibility',
    'data-eligible': String(!!e?.eligible) }, h('h2', { text: t('verdict.eligibility') }), ...body);
}

export async function resident ({ nik }) {
  let r;
  try {
    r = await api.get(`/v1/residents/${nik}`);
  } catch (err) {
    return screen('resident.title', message('error', errorText(err)));
  }
  setCase(null);
  const out = h('div', { id: 'resident-message', 'aria-live': 'polite' });
  const type = h('select', { id: 'case-type', class: 'field' },
    CASE_TYPES.map((c) => h('option', { value: c, text: t('case.type.' + c) })));
  const eligible = !!r.eligibility?.eligible;
  const open = async () => {
    try {
      const c = await api.post('/v1/cases', { nik: r.nik, type: type.value });
      go('checklist', { id: c.id, name: r.name });
    } catch (err) {
      out.replaceChildren(message('error', errorText(err)));
    }
  };
  const row = (key, value) => [h('dt', { text: t(key) }), h('dd', { text: value })];
  return screen('resident.title',
    h('section', { class: 'card person' },
      h('p', { class: 'person-name', id: 'person-name', text: r.name }),
      h('p', { class: 'person-nik', id: 'person-nik', text: r.nik }),
      h('dl', {},
        row('resident.born', `${r.birth_place}, ${formatDate(r.birth_date)}`),
        r.eligibility ? row('resident.age', t('resident.years', { n: r.eligibility.age })) : null,
        row('resident.sex', t('sex.' + r.sex)),
        row('resident.marital', t('marital.' + r.marital)),
        row('resident.address', `${r.address} RT ${r.rt}/RW ${r.rw}${r.kelurahan ? ', ' + r.kelurahan : ''}`),
        row('resident.kk', r.no_kk))),
    h('div', { class: 'columns' }, nikVerdict(r.nik_check), eligibilityVerdict(r.eligibility)),
    eligible
      ? h('div', { class: 'row' },
        h('label', { for: 'case-type', text: t('case.type') }), type,
        h('button', { id: 'case-open', class: 'btn primary', type: 'button', text: t('case.open'), onclick: open }))
      : null,
    !r.nik_check?.valid
      ? h('button', { class: 'btn', type: 'button', id: 'refer-this', text: t('find.refer_this'),
        onclick: () => go('referral', { nik: r.nik, name: r.name, reason: 'nik_mismatch' }) })
      : null,
    out);
}
