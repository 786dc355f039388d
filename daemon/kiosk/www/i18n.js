// i18n.js: the two languages. Every visible string comes from i18n/<lang>.json;
// dates and numbers go through Intl with the language's locale.
const LOCALES = { id: 'id-ID', en: 'en-GB' };
let lang = 'id';
let strings = {};
const cache = {};

export async function setLang (next) {
  if (!cache[next]) {
    const res = await fetch(`/ui/i18n/${next}.json`);
    cache[next] = await res.json();
  }
  lang = next;
  strings = cache[next];
  document.documentElement.lang = next;
}

export function getLang () { return lang; }

// t('resident.years', { n: 17 }) -> "17 tahun". A missing key shows itself,
// so a test (and a reviewer) sees it at once.
export function t (key, vars = {}) {
  const text = strings[key];
  if (text === undefined) return `⟦${key}⟧`;
  return text.replace(/\{(\w+)\}/g, (m, name) =>
    name in vars ? (typeof vars[name] === 'number' ? formatNumber(vars[name]) : String(vars[name])) : m);
}

export function formatNumber (n) {
  return new Intl.NumberFormat(LOCALES[lang]).format(n);
}

// "2026-11-25" (or an ISO timestamp) -> "25 November 2026". Calendar dates
// are read as UTC so no time zone moves them by a day.
export function formatDate (iso) {
  if (!iso) return '';
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
  const d = m ? new Date(Date.UTC(+m[1], +m[2] - 1, +m[3])) : new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return new Intl.DateTimeFormat(LOCALES[lang], {
    day: 'numeric', month: 'long', year: 'numeric', timeZone: m ? 'UTC' : undefined
  }).format(d);
}

// Fills [data-i18n] (text) and [data-i18n-label] (aria-label) under root.
export function translate (root = document) {
  for (const el of root.querySelectorAll('[data-i18n]')) el.textContent = t(el.dataset.i18n);
  for (const el of root.querySelectorAll('[data-i18n-label]')) {
    el.setAttribute('aria-label', t(el.dataset.i18nLabel));
  }
  for (const el of root.querySelectorAll('[data-i18n-placeholder]')) {
    el.setAttribute('placeholder', t(el.dataset.i18nPlaceholder));
  }
}
