/**
 * End to end, as a user runs it: the CLI as a child process (`tsx src/cli/main.ts`) on the sample
 * data in examples/data — pretrain → finetune --task segment → segment → eval, and
 * finetune --task classify → classify → eval --task classify. Every model folder a command writes
 * must be readable by every command that reads models.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { tensorflowUnavailable } from '../_backend';

const REPO = new URL('../../', import.meta.url).pathname;
const TSX = join(REPO, 'node_modules/tsx/dist/cli.mjs');
const DATA = join(REPO, 'examples/data');
let tmp: string;

function cli(args: string[]) {
  const r = spawnSync(process.execPath, [TSX, join(REPO, 'src/cli/main.ts'), ...args], { cwd: tmp, encoding: 'utf8', timeout: 240_000, env: { ...process.env, CI: 'true' } });
  const events = r.stdout
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as Record<string, unknown> & { event: string });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr, events, done: events[events.length - 1] };
}

beforeAll(() => {
  tmp = mkdtempSync(join(tmpdir(), 'beat-ssl-e2e-'));
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const noTensorflow = await tensorflowUnavailable();
const FAST = ['--backend', 'cpu', '--fs', '50', '--json'];

describe('the training commands connect (child processes on examples/data)', () => {
  it('pretrain → finetune --task segment → segment → eval', () => {
    const pre = cli(['pretrain', '--data', join(DATA, 'ptbxl'), '--steps', '2', '--batch-size', '4', '--encoder', 'tiny', '--workers', '0', '--out', 'pt', ...FAST]);
    expect(pre.code, pre.stderr).toBe(0);
    expect(pre.done).toMatchObject({ event: 'done', steps: 2, outputs: { model: join('pt', 'model') } });

    const ft = cli(['finetune', '--task', 'segment', '--data', join(DATA, 'ludb'), '--pretrained', 'pt/model', '--epochs', '2', '--batch-size', '4', '--val-fraction', '0.25', '--crop', '256', '--out', 'seg', ...FAST]);
    expect(ft.code, ft.stderr).toBe(0);
    expect(ft.events.filter((e) => e.event === 'epoch')).toHaveLength(2);
    expect(ft.events.find((e) => e.event === 'epoch')).toMatchObject({ rssMB: expect.any(Number), heapUsedMB: expect.any(Number), externalMB: expect.any(Number) });
    const model = (ft.done.outputs as { model: string }).model;
    expect(model).toBe(join('seg', 'model'));
    expect(existsSync(join(tmp, model, 'preprocess.json'))).toBe(true);

    const seg = cli(['segment', join(DATA, 'ludb/1'), '--model', model, '--backend', 'cpu', '--json']);
    expect(seg.code, seg.stderr).toBe(0);
    expect(seg.events[0]).toMatchObject({ event: 'record', fs: 500 });
    expect(Array.isArray(seg.events[0].waves)).toBe(true);
    expect(seg.done).toEqual({ event: 'done', records: 1, failed: 0 });

    const ev = cli(['eval', join(DATA, 'ludb'), '--model', model, '--backend', 'cpu', '--json']);
    expect(ev.code, ev.stderr).toBe(0);
    expect(ev.done).toMatchObject({ event: 'done', task: 'segment', failed: 0 });
    expect(ev.done.records).toBeGreaterThanOrEqual(2);
    expect(typeof ev.done.meanF1).toBe('number');

    // A pretrained model is not a segmentation model, a segmentation model not a pretrained one: said before anything loads.
    const wrong = cli(['segment', join(DATA, 'ludb/1'), '--model', 'pt/model']);
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toContain("option --model must be a segmentation model folder, but 'pt/model' holds a pretrained Beat-SSL model (from 'beat-ssl pretrain') (fine-tune it first: beat-ssl finetune --task segment --pretrained pt/model …)");
    const back = cli(['finetune', '--task', 'segment', '--data', join(DATA, 'ludb'), '--pretrained', model]);
    expect(back.code).toBe(2);
    expect(back.stderr).toContain(`option --pretrained must be a pretrained Beat-SSL model (from 'beat-ssl pretrain') folder, but '${model}' holds a segmentation model`);
  }, 300_000);

  it('finetune --task classify → classify → eval --task classify', () => {
    const ft = cli(['finetune', '--task', 'classify', '--data', join(DATA, 'ptbxl'), '--encoder', 'tiny', '--epochs', '1', '--batch-size', '8', '--train-folds', '1-8', '--val-folds', '9-10', '--out', 'cls', ...FAST]);
    expect(ft.code, ft.stderr).toBe(0);
    const model = (ft.done.outputs as { model: string }).model;
    expect(model).toBe(join('cls', 'model'));

    const rec = join(DATA, 'ptbxl/records100/00000/00001_lr');
    const c = cli(['classify', rec, '--model', model, '--backend', 'cpu', '--json']);
    expect(c.code, c.stderr).toBe(0);
    const probs = c.events[0].probabilities as Record<string, number>;
    expect(Object.keys(probs)).toEqual(['NORM', 'MI', 'STTC', 'CD', 'HYP']);
    for (const p of Object.values(probs)) expect(p).toBeGreaterThanOrEqual(0);
    for (const p of Object.values(probs)) expect(p).toBeLessThanOrEqual(1);
    expect(c.done).toMatchObject({ event: 'done', records: 1, failed: 0, threshold: 0.5 });

    const ev = cli(['eval', join(DATA, 'ptbxl'), '--task', 'classify', '--model', model, '--backend', 'cpu', '--json']);
    expect(ev.code, ev.stderr).toBe(0);
    expect(ev.done).toMatchObject({ event: 'done', task: 'classify', failed: 0 });

    // A classifier folder given to segment / a segmentation folder given to classify: a usage error naming the right command.
    const wrong = cli(['segment', rec, '--model', model]);
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toContain(`option --model must be a segmentation model folder, but '${model}' holds a classifier (use 'beat-ssl classify --model ${model}')`);
  }, 300_000);

  // The shipped encoder by name; on the tensorflow backend (the cpu backend takes ~70 s for this step).
  it.skipIf(noTensorflow)(`finetune --pretrained beat-ssl-small-v1 (the shipped encoder) → classify${noTensorflow ? ` — skipped: ${noTensorflow}` : ''}`, () => {
    const ft = cli(['finetune', '--task', 'classify', '--data', join(DATA, 'ptbxl'), '--pretrained', 'beat-ssl-small-v1', '--epochs', '1', '--batch-size', '8', '--train-folds', '1-2', '--val-folds', '9-10', '--out', 'shipped', '--backend', 'tensorflow', '--json']);
    expect(ft.code, ft.stderr).toBe(0);
    expect(ft.done).toMatchObject({ event: 'done', task: 'classify', backend: 'tensorflow', outputs: { model: join('shipped', 'model') } });
    // The fine-tuned folder carries the shipped encoder's preprocessing (100 Hz, 12 leads), not the CLI default.
    const pre = JSON.parse(readFileSync(join(tmp, 'shipped/model/preprocess.json'), 'utf8')) as { fs: number; leads: string[] };
    expect(pre.fs).toBe(100);
    expect(pre.leads).toHaveLength(12);
    const c = cli(['classify', join(DATA, 'ptbxl/records100/00000/00001_lr'), '--model', join('shipped', 'model'), '--backend', 'tensorflow', '--json']);
    expect(c.code, c.stderr).toBe(0);
    expect(Object.keys(c.events[0].probabilities as object)).toEqual(['NORM', 'MI', 'STTC', 'CD', 'HYP']);
    // A name that is neither a folder nor a shipped pretrained model is a usage error.
    const bad = cli(['finetune', '--task', 'classify', '--data', join(DATA, 'ptbxl'), '--pretrained', 'segmentation-v1']);
    expect(bad.code).toBe(2);
  }, 300_000);
});
