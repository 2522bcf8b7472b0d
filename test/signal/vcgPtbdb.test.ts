import { existsSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { readRecord } from '../../src/io/readRecord';
import { ecgToVcg, removeBaselineWander, selectLeads } from '../../src/signal';

const repoRoot = new URL('../../', import.meta.url).pathname;
const ptbDir = path.join(process.env.BEAT_SSL_DATA ?? path.resolve(repoRoot, '../shared/data'), 'ptbdb');
const present = existsSync(path.join(ptbDir, 'patient001', 's0010_re.hea'));
if (!present) console.warn(`skipped: ${ptbDir}/patient001/s0010_re absent (PTB Diagnostic Frank-lead check)`);

function pearson(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let ma = 0;
  let mb = 0;
  for (let i = 0; i < a.length; i++) (ma += a[i]!), (mb += b[i]!);
  ma /= a.length;
  mb /= b.length;
  let sab = 0;
  let saa = 0;
  let sbb = 0;
  for (let i = 0; i < a.length; i++) {
    sab += (a[i]! - ma) * (b[i]! - mb);
    saa += (a[i]! - ma) ** 2;
    sbb += (b[i]! - mb) ** 2;
  }
  return sab / Math.sqrt(saa * sbb);
}

describe.skipIf(!present)('ecgToVcg against measured Frank leads (PTB Diagnostic s0010_re)', () => {
  it('Kors reconstruction correlates with measured vx, vy, vz (r > 0.95, 0.9, 0.6)', async () => {
    const raw = await readRecord(path.join(ptbDir, 'patient001', 's0010_re'));
    const clean = (x: Float32Array) => removeBaselineWander(x, raw.fs, { cutoffHz: 0.5 });
    const ecg = selectLeads(raw, ['I', 'II', 'III', 'aVR', 'aVL', 'aVF', 'V1', 'V2', 'V3', 'V4', 'V5', 'V6']).signals.map(clean);
    const frank = selectLeads(raw, ['vx', 'vy', 'vz']).signals.map(clean);
    const kors = ecgToVcg(ecg, { method: 'kors' });
    // Measured with eval/vcg-ptbdb.ts: r = 0.982, 0.950, 0.726 (Kors) on this record.
    expect(pearson(kors[0]!, frank[0]!)).toBeGreaterThan(0.95);
    expect(pearson(kors[1]!, frank[1]!)).toBeGreaterThan(0.9);
    expect(pearson(kors[2]!, frank[2]!)).toBeGreaterThan(0.6);
    const dower = ecgToVcg(ecg, { method: 'inverseDower' });
    expect(pearson(dower[0]!, frank[0]!)).toBeGreaterThan(0.9);
    expect(pearson(dower[1]!, frank[1]!)).toBeGreaterThan(0.9);
  });
});
