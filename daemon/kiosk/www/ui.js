// ui.js: small DOM helpers shared by the screens. No innerHTML with data:
// every value from the API goes in as text.
import { t } from './i18n.js';

export function h (tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === null || v === false) continue;
    if (k.startsWith('on')) el.addEventListener(k.slice(2), v);
    else if (k === 'class') el.className = v;
    else if (k === 'text') el.textContent = v;
    else el.setAttribute(k, v === true ? '' : v);
  }
  for (const c of children.flat()) {
    if (c === null || c === undefined || c === false) continue;
    el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return el;
}

// Plain words and what to do next, from an ApiError.
export function errorText (err) {
  switch (err.status) {
    case 0: return t('err.network');
    case 403: return t('err.forbidden');
    case 404: return t('err.not_found');
    case 409: return t('err.conflict', { message: err.message });
    default: return t('err.generic', { message: err.message });
  }
}

export function message (kind, text) {
  return h('p', { class: `msg ${kind}`, role: kind === 'error' ? 'alert' : 'status', text });
}

export function screen (titleKey, ...children) {
  return [h('h1', { id: 'screen-title', text: t(titleKey) }),
    ...children.flat().filter((c) => c !== null && c !== undefined && c !== false)];
}
