// Every string key exists in both languages with a non-empty text, the
// placeholders ({n}, {date}...) agree, and every key the code names
// (t('...'), data-i18n="...") exists. Keys built at run time
// (t('doc.' + d.document)) are checked through their known values.
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

const www = join(process.env.REKAM_SOURCE_DIR || join(import.meta.dirname, '../..'), 'daemon/kiosk/www');
const id = JSON.parse(readFileSync(join(www, 'i18n/id.json'), 'utf8'));
const en = JSON.parse(readFileSync(join(www, 'i18n/en.json'), 'utf8'));
const problems = [];
const vars = (s) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort().join(',');

for (const [a, b, an, bn] of [[id, en, 'id', 'en'], [en, id, 'en', 'id']]) {
  for (const k of Object.keys(a)) {
    if (!(k in b)) problems.push(`${k}: in ${an}.json, missing from ${bn}.json`);
    else if (typeof a[k] !== 'string' || a[k].trim() === '') problems.push(`${k}: empty in ${an}.json`);
    else if (vars(a[k]) !== vars(b[k])) problems.push(`${k}: placeholders differ between ${an} and ${bn}`);
  }
}

function files (dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? files(join(dir, e.name)) : [join(dir, e.name)]);
}
const used = new Set();
for (const f of files(www).filter((f) => /\.(js|html)$/.test(f))) {
  const text = readFileSync(f, 'utf8');
  for (const m of text.matchAll(/\bt\('([a-z0-9_.]+)'/g)) used.add(m[1]);
  for (const m of text.matchAll(/data-i18n(?:-label|-placeholder)?="([a-z0-9_.]+)"/g)) used.add(m[1]);
  for (const m of text.matchAll(/\b(?:item|key|screen)\('([a-z0-9_.]+\.[a-z0-9_.]+)'/g)) used.add(m[1]);
  for (const m of text.matchAll(/\[((?:'[a-z0-9_.]+',?\s*)+)\]\s*\n?\s*\.map\(\(k\)/g)) {
    for (const k of m[1].matchAll(/'([a-z0-9_.]+)'/g)) used.add(k[1]);
  }
}
// Keys made from API values: every value the API documents.
const dynamic = {
  doc: ['rt_rw_letter', 'form_f107', 'kk_copy', 'old_ktp_or_police_report',
    'diploma_or_birth_certificate', 'civil_status_certificate', 'transfer_letter'],
  'case.type': ['first_issue', 'change_of_data', 'replacement', 'newcomer'],
  'case.state': ['open', 'recording', 'referred', 'cancelled', 'closed'],
  'ref.reason': ['not_in_registry', 'no_nik', 'nik_mismatch', 'record_incorrect'],
  'queue.source': ['online', 'counter'],
  'sop.step': ['1', '2', '3', '4'],
  role: ['operator', 'supervisor', 'technician'],
  sex: ['male', 'female'],
  marital: ['single', 'married', 'divorced', 'widowed'],
  nikissue: ['nik_length', 'nik_not_digits', 'nik_province_unknown', 'nik_regency_unknown',
    'nik_kecamatan_unknown', 'nik_birth_day_invalid', 'nik_birth_month_invalid',
    'nik_birth_date_invalid', 'nik_birth_date_mismatch', 'nik_sex_mismatch', 'nik_serial_zero'],
};
// A key ending in '.' is a prefix completed at run time: it must be one of the above.
for (const k of [...used].filter((k) => k.endsWith('.'))) {
  used.delete(k);
  if (!(k.slice(0, -1) in dynamic)) problems.push(`${k}: a run-time key prefix the test does not know`);
}
for (const [prefix, values] of Object.entries(dynamic)) for (const v of values) used.add(`${prefix}.${v}`);
for (const k of used) if (!(k in id) || !(k in en)) problems.push(`${k}: used by the code, missing from ${k in id ? 'en' : 'id'}.json`);

if (used.size < 50) problems.push(`only ${used.size} keys found in the code: the scan is broken`);
if (problems.length) {
  console.error(problems.join('\n'));
  process.exit(1);
}
console.log(`ok: ${Object.keys(id).length} keys in both languages, ${used.size} used by the code`);
