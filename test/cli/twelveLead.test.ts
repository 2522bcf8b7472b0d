import { describe, expect, it } from 'vitest';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { main } from '../../src/cli/main';

const REPO = new URL('../../', import.meta.url).pathname;
const SHIPPED = join(REPO, 'weights/segmentation-v1/model.json');

async function run(argv: string[]) {
  let out = '';
  let err = '';
  const code = await main(argv, { stdout: (t) => void (out += t), stderr: (t) => void (err += t), isTTY: false });
  return { code, out, err };
}

describe.skipIf(!existsSync(SHIPPED))('a 2-lead record given to the 12-lead model (shipped weights present)', () => {
  it('beat-ssl segment says the model needs 12 leads, names segmentRecord and the fix, and goes on with the next record', async () => {
    const r = await run(['segment', join(REPO, 'examples/data/mitdb/100'), join(REPO, 'examples/data/ludb/1'), '--backend', 'cpu']);
    expect(r.code).toBe(1);
    expect(r.err).toContain('Error in segmentRecord: record.leads must include the 12 leads the model was trained on (I, II, III, aVR, aVL, aVF, V1, V2, V3, V4, V5, V6), but got ["MLII", "V5"]');
    expect(r.err).toContain('This model needs 12-lead ECGs; for a record with fewer leads use detectRPeaks and delineateBeats');
    expect(r.out).toMatch(/ludb\/1: 500 Hz, \d+ P, \d+ QRS, \d+ T waves/);
  });
});
