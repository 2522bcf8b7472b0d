import { describe, expect, it } from 'vitest';
import { parseEvalArgs } from '../../eval/_lib';
import { DEFAULT_PRETRAIN, pretrainingCopies, pretrainKey, pretrainSpecFromFlags } from '../../eval/_pretrain';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from '../../src/cli/command';
import { PRETRAIN_FLAGS, recipeFromFlags, resolveObjective } from '../../src/cli/flags';
import { BEAT_SSL_PRESETS } from '../../src/losses/beatSsl';

describe('eval scripts share the CLI flag set', () => {
  it('--pretrain-* flags are the CLI pretraining flags, parsed, typed and mapped onto the spec', () => {
    const a = parseEvalArgs(['--quick', '--pretrain-exponent', '50', '--pretrain-beat-targets', 'none', '--pretrain-batch-size', '16', '--seeds', '2'], { script: 'x' });
    expect(a.quick).toBe(true);
    expect(a.seeds).toBe(2);
    const spec = pretrainSpecFromFlags(a.flags, { steps: 12 });
    expect(spec).toEqual({ ...DEFAULT_PRETRAIN, steps: 12, batchSize: 16, objective: { ...BEAT_SSL_PRESETS.default, exponent: 50, beatTargets: 'none' } });
  });

  it('a preset, then refinements; --pretrain-method as before', () => {
    const a = parseEvalArgs(['--pretrain-objective', 'paperExp50', '--pretrain-lr-schedule', 'constant', '--pretrain-crops', 'shared'], { script: 'x' });
    expect(pretrainSpecFromFlags(a.flags)).toMatchObject({ objective: 'paperExp50', lrSchedule: 'constant', views: { crops: 'shared' } });
    const b = parseEvalArgs(['--pretrain-method', 'simclr-3kg', '--pretrain-exponent', 'calibrated'], { script: 'x' });
    expect(pretrainSpecFromFlags(b.flags)).toMatchObject({ method: 'beat-ssl', objective: { rhythmTargets: 'hard', beatTargets: 'none', exponent: 'calibrated' } });
  });

  it('flags without a named spec field reach pretrainBeatSsl through spec.options; absent flags leave the cache key alone', () => {
    const a = parseEvalArgs(['--pretrain-max-beats', '8'], { script: 'x' });
    expect(pretrainSpecFromFlags(a.flags).options).toEqual({ maxBeats: 8 });
    const none = pretrainSpecFromFlags(parseEvalArgs([], { script: 'x' }).flags);
    expect(none).toEqual(DEFAULT_PRETRAIN);
    expect(pretrainKey(none)).toBe(pretrainKey(DEFAULT_PRETRAIN));
  });

  it('the CLI resolves --objective and the objective flags into one objective', () => {
    const cmd = { name: 'pretrain', options: [...PRETRAIN_FLAGS] };
    const run = (argv: string[]) => {
      const p = parseArgs(argv, cmd);
      const r = recipeFromFlags(PRETRAIN_FLAGS, p.options, { given: p.given });
      resolveObjective(r.pretrain, BEAT_SSL_PRESETS);
      return r.pretrain.objective;
    };
    expect(run([])).toBeUndefined();
    expect(run(['--objective', 'paperExp1'])).toBe('paperExp1');
    expect(run(['--objective', 'paperExp1', '--exponent', '50'])).toEqual({ rhythmTargets: 'soft', beatTargets: 'soft', exponent: 50 });
    expect(run(['--exponent', 'calibrated', '--positive-share', '0.3'])).toEqual({ exponent: 'calibrated', positiveShare: 0.3 });
    expect(() => run(['--exponent', 'sharp'])).toThrow("option --exponent must be a number > 0 or calibrated, but got 'sharp'");
  });

  it('script flags are declared too; --no-x negates', () => {
    const a = parseEvalArgs(['--no-baseline', '--epochs', '3'], {
      script: 'x',
      options: [
        { name: 'baseline', type: 'boolean', default: true, description: '' },
        { name: 'epochs', type: 'number', integer: true, min: 1, description: '' },
      ],
    });
    expect(a.flags).toMatchObject({ baseline: false, epochs: 3, backend: 'auto' });
  });
});

const DATA = process.env.BEAT_SSL_DATA ?? resolve(__dirname, '../../../shared/data');
const haveData = existsSync(join(DATA, 'ludb', '17.hea')) && existsSync(join(DATA, 'ptbxl', 'ptbxl_database.csv'));
describe.skipIf(!haveData)(`held-out folders are checked against the pretraining pool (needs ../shared/data: ${haveData ? 'present' : 'absent, skipped'})`, () => {
  it('a pool record copied under another name is found; records outside the pool pass', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'heldout-'));
    try {
      // LUDB 17 (in the pool, 1–120) renamed 999, and LUDB 150 (validation, outside the pool)
      for (const ext of ['hea', 'dat']) {
        const text = readFileSync(join(DATA, 'ludb', `17.${ext}`));
        writeFileSync(join(dir, `999.${ext}`), ext === 'hea' ? text.toString('latin1').replace(/^17 /, '999 ').replace(/^17\.dat/gm, '999.dat') : text);
        copyFileSync(join(DATA, 'ludb', `150.${ext}`), join(dir, `150.${ext}`));
      }
      const { checked, copies } = await pretrainingCopies(dir);
      expect(checked).toBe(2);
      expect(copies).toEqual([{ record: join(dir, '999'), poolRecord: resolve(DATA, 'ludb', '17') }]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
