/**
 * Lead names: the one canonical 12-lead order and the one name rule of beat-ssl. Every module that
 * matches leads by name (`signal`, `beats`, `data`, `heads`, `plot`, the CLI) uses these, so a
 * record's `MLII` is lead II everywhere.
 * @module
 */
import type { LeadName } from './types';
import { check } from './errors';

/** The 12 standard leads in canonical order: I, II, III, aVR, aVL, aVF, V1–V6. */
export const CANONICAL_LEADS: readonly LeadName[] = Object.freeze(['I', 'II', 'III', 'aVR', 'aVL', 'aVF', 'V1', 'V2', 'V3', 'V4', 'V5', 'V6'] as LeadName[]);

const ALIASES: Record<string, LeadName> = {
  i: 'I',
  ii: 'II',
  iii: 'III',
  avr: 'aVR',
  avl: 'aVL',
  avf: 'aVF',
  // MIT-BIH / long-term Holter "modified limb lead" names
  mli: 'I',
  mlii: 'II',
  mliii: 'III',
  ml1: 'I',
  ml2: 'II',
  ml3: 'III',
  // European (Einthoven "D" = Derivation) names
  di: 'I',
  dii: 'II',
  diii: 'III',
};
for (let k = 1; k <= 6; k++) ALIASES[`v${k}`] = `V${k}` as LeadName;

/**
 * Maps a lead name as written in a file to its canonical name.
 *
 * Case-insensitive; surrounding spaces and a `lead`/`ecg` prefix with optional separators are
 * ignored (`'Lead II'`, `'ECG_avr'`). Recognised: `I, II, III, aVR, aVL, aVF, V1–V6` in any case;
 * MIT-BIH modified limb leads `MLI, MLII, MLIII` (and `ML1`–`ML3`) → `I, II, III`;
 * `DI, DII, DIII` → `I, II, III`. Anything else — Frank leads (`vx`), inverted leads (`-aVR`),
 * modified chest leads (`MV5`), unnamed signals — is not a standard lead and returns **`null`**.
 * @param name lead name from a header
 * @returns the canonical {@link LeadName}, or `null` when the name is not a standard lead
 * @throws never (a non-string gives `null`)
 * @example
 * ```ts
 * normalizeLeadName('avr');  // 'aVR'
 * normalizeLeadName('MLII'); // 'II'
 * normalizeLeadName('vx');   // null
 * ```
 */
export function normalizeLeadName(name: string): LeadName | null {
  if (typeof name !== 'string') return null;
  let s = name.trim().toLowerCase();
  s = s.replace(/^(lead|ecg)[\s_\-.:]*/, '');
  s = s.replace(/[\s_]+/g, '');
  return Object.prototype.hasOwnProperty.call(ALIASES, s) ? ALIASES[s]! : null;
}

/**
 * The display/storage name of a lead: its canonical name when it is a standard lead
 * ({@link normalizeLeadName}), else the name as written, trimmed.
 * @param name lead name from a header
 * @returns e.g. `'II'` for `'MLII'`, `'vx'` for `' vx '`
 * @throws never (a non-string gives `''`)
 * @example
 * ```ts
 * canonicalLeadName('avl'); // 'aVL'
 * canonicalLeadName('MV5'); // 'MV5'
 * ```
 */
export function canonicalLeadName(name: string): string {
  if (typeof name !== 'string') return '';
  return normalizeLeadName(name) ?? name.trim();
}

/**
 * Index of lead `name` among a record's lead names: a standard lead matches by canonical name
 * ({@link normalizeLeadName}: `'II'` finds `'ii'`, `'MLII'`, `'Lead II'`); any other name matches
 * case-insensitively after trimming (`'vx'` finds `'VX'`). The first match wins.
 * @param leads the record's lead names, in signal order
 * @param name the wanted lead
 * @returns the signal index, or -1 when the record has no such lead
 * @throws {BeatSslError} when `leads` is not an array of strings (the error names the first bad entry) or `name` is not a string
 * @example
 * ```ts
 * findLead(['MLII', 'V5'], 'II'); // 0
 * findLead(['i', 'ii'], 'aVF');   // -1
 * ```
 */
export function findLead(leads: readonly string[], name: string): number {
  checkLeadNames(leads, 'findLead');
  check(typeof name === 'string', 'findLead', 'name', 'a lead name (string)', name);
  return leadIndex(leads, name);
}

/** {@link findLead} on arguments already checked (an array of strings and a string). */
function leadIndex(leads: readonly string[], name: string): number {
  const canon = normalizeLeadName(name);
  if (canon) {
    const i = leads.findIndex((l) => normalizeLeadName(l) === canon);
    if (i >= 0) return i;
  }
  const lower = name.trim().toLowerCase();
  return leads.findIndex((l) => l.trim().toLowerCase() === lower);
}

/** Checks that `leads` is an array of strings, naming the first entry that is not one. */
function checkLeadNames(leads: readonly string[], fn: string): void {
  check(Array.isArray(leads), fn, 'leads', 'an array of lead names (strings)', leads);
  const bad = leads.findIndex((l) => typeof l !== 'string');
  check(bad < 0, fn, `leads[${bad}]`, 'a lead name (string; use the record header\'s names)', leads[bad]);
}

/**
 * The wanted leads that a record does not have (by {@link findLead}), in the order asked.
 * @param leads the record's lead names
 * @param wanted lead names to look for (default: the 12 {@link CANONICAL_LEADS})
 * @returns the missing names (empty when all are present)
 * @throws {BeatSslError} when `leads` or `wanted` is not an array of strings
 * @example
 * ```ts
 * missingLeads(['MLII', 'V5'], ['II', 'V1']); // ['V1']
 * missingLeads(record.leads).length === 0;    // a full 12-lead record
 * ```
 */
export function missingLeads(leads: readonly string[], wanted: readonly string[] = CANONICAL_LEADS): string[] {
  checkLeadNames(leads, 'missingLeads');
  check(Array.isArray(wanted) && wanted.every((w) => typeof w === 'string'), 'missingLeads', 'wanted', 'an array of lead names (strings)', wanted);
  return wanted.filter((w) => leadIndex(leads, w) < 0);
}
