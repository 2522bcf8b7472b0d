// Records written by an independent numpy encoder (test/fixtures/io/make_formats.py) in every format.
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { readRecord } from '../../src/io/readRecord';
import { FIXTURES } from './helpers';

const values = JSON.parse(readFileSync(join(FIXTURES, 'formats/values.json'), 'utf8')) as Record<string, number[][]>;
const INVALID: Record<string, number> = { fmt16: -32768, fmt61: -32768, fmt160: -32768, fmt80: -128, fmt212: -2048, fmt310: -512, fmt311: -512, fmt24: -(2 ** 23), fmt32: -(2 ** 31) };

describe('independently encoded records in every format', () => {
  for (const name of ['allformats', 'packed']) {
    it(`${name}: every sample decodes to the stored value (checksums verified)`, async () => {
      const rec = await readRecord(join(FIXTURES, 'formats', name));
      expect(rec.signals).toHaveLength(values[name].length);
      rec.signals.forEach((s, i) => {
        const want = values[name][i];
        const inv = INVALID[rec.leads[i]];
        expect(s.length).toBe(want.length);
        want.forEach((v, t) => {
          if (v === inv) expect(s[t], `${rec.leads[i]}[${t}]`).toBeNaN();
          else expect(s[t], `${rec.leads[i]}[${t}]`).toBe(Math.fround(v / 100));
        });
      });
      if (name === 'allformats') expect(rec.signals.filter((s) => Number.isNaN(s[5])).length).toBe(9); // all but format 8
    });
  }
});
