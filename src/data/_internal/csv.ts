/**
 * A small RFC 4180 CSV reader: comma separated, fields optionally in double quotes (which may
 * contain commas, newlines and `""` for a quote), CRLF or LF line ends, a trailing newline or not.
 * @module
 */
import { fail } from '../../core/errors';

/** Parses CSV text into rows of string fields. Empty lines are skipped. */
export function parseCsvRows(text: string, fn = 'parseCsv'): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let i = 0;
  const n = text.length;
  if (text.charCodeAt(0) === 0xfeff) i = 1; // BOM
  let inQuotes = false;
  let fieldStarted = false;
  const endRow = () => {
    row.push(field);
    if (!(row.length === 1 && row[0] === '' && !fieldStarted)) rows.push(row);
    row = [];
    field = '';
    fieldStarted = false;
  };
  while (i < n) {
    const ch = text[i];
    if (inQuotes) {
      if (ch === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i += 2;
          continue;
        }
        inQuotes = false;
        i++;
        continue;
      }
      field += ch;
      i++;
      continue;
    }
    if (ch === '"') {
      inQuotes = true;
      fieldStarted = true;
      i++;
    } else if (ch === ',') {
      row.push(field);
      field = '';
      fieldStarted = true;
      i++;
    } else if (ch === '\r' || ch === '\n') {
      endRow();
      i += ch === '\r' && text[i + 1] === '\n' ? 2 : 1;
    } else {
      field += ch;
      fieldStarted = true;
      i++;
    }
  }
  if (inQuotes) fail(fn, 'text', 'CSV with balanced double quotes', 'an unterminated quoted field');
  if (field !== '' || row.length > 0 || fieldStarted) endRow();
  return rows;
}

/**
 * Parses CSV text with a header row into objects keyed by column name. An empty header name
 * (e.g. pandas' index column) is given the key `''`.
 */
export function parseCsvObjects(text: string, fn = 'parseCsv'): { header: string[]; rows: Record<string, string>[] } {
  const all = parseCsvRows(text, fn);
  if (all.length === 0) return { header: [], rows: [] };
  const header = all[0].map((h) => h.trim());
  const rows = all.slice(1).map((r, k) => {
    if (r.length !== header.length) fail(fn, `row ${k + 2}`, `${header.length} fields like the header`, r.length);
    const o: Record<string, string> = {};
    header.forEach((h, j) => (o[h] = r[j]));
    return o;
  });
  return { header, rows };
}
