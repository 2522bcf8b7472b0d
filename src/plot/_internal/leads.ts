/** Lead-name matching for the plots (kept local so `beat-ssl/plot` depends on `core` only). */

/** Canonical 12-lead order. */
export const CANONICAL_LEADS = ['I', 'II', 'III', 'aVR', 'aVL', 'aVF', 'V1', 'V2', 'V3', 'V4', 'V5', 'V6'] as const;

/** Maps common spellings (`i`, `AVR`, `v1`, `MLII`) to the canonical name, or returns the input unchanged. */
export function canonicalLead(name: string): string {
  const s = name.trim();
  const u = s.toUpperCase();
  if (u === 'MLII' || u === 'ML2' || u === 'LEAD II' || u === 'II') return 'II';
  if (u === 'I' || u === 'LEAD I' || u === 'MLI') return 'I';
  if (u === 'III' || u === 'LEAD III' || u === 'MLIII') return 'III';
  if (u === 'AVR' || u === 'AVL' || u === 'AVF') return 'aV' + u[2];
  const m = /^V([1-6])$/.exec(u);
  if (m) return 'V' + m[1];
  return s;
}

/** Index of `lead` among `leads` after canonicalising both, or -1. */
export function findLead(leads: readonly string[], lead: string): number {
  const want = canonicalLead(lead);
  for (let i = 0; i < leads.length; i++) if (canonicalLead(leads[i]) === want) return i;
  return -1;
}
