// Temporary: replaced by core/leads' missingLeads when the one lead-name rule lands.
import { STANDARD_12_LEADS } from '../../data/preprocess';

/** The standard leads missing from `leads` (case-insensitive, as preprocessRecord matches). */
export function missingLeads(leads: readonly string[]): string[] {
  const have = new Set(leads.map((l) => l.trim().toLowerCase()));
  return STANDARD_12_LEADS.filter((l) => !have.has(l.toLowerCase()));
}
