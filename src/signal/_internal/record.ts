/** Shared EcgRecord argument check of the signal functions. @internal @module */
import { check, fail } from '../../core/errors';
import type { EcgRecord } from '../../core/types';

/** Asserts an object with `signals` and `leads` arrays, one lead name per signal. */
export function checkRecord(record: unknown, fn: string): asserts record is EcgRecord {
  const r = record as EcgRecord;
  if (!r || typeof r !== 'object' || !Array.isArray(r.signals) || !Array.isArray(r.leads)) fail(fn, 'record', 'an EcgRecord with leads and signals', record);
  check(r.leads.length === r.signals.length, fn, 'record.leads', `one name per signal (${r.signals.length})`, r.leads);
}
