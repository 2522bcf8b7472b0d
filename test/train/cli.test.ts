import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import { mkdtempSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../src/cli/main';
import type { CliIo } from '../../src/cli/command';
import { useTestBackend } from '../_backend';

const root = new URL('../../', import.meta.url).pathname;
let tmp: string;
beforeAll(async () => {
  await useTestBackend();
  tmp = mkdtempSync(join(tmpdir(), 'beat-ssl-cli-'));
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function capture(isTTY = false): CliIo & { out: string[]; err: string[] } {
  const out: string[] = [];
  const err: string[] = [];
  return { out, err, isTTY, stdout: (t) => void out.push(t), stderr: (t) => void err.push(t) };
}

describe('beat-ssl pretrain / finetune', () => {
  it('pretrain --json prints one step event per step and a done summary naming the model, --resume continues', async () => {
    const out = join(tmp, 'pre');
    const base = ['pretrain', '--data', join(root, 'examples/data/ptbxl'), '--max-records', '6', '--batch-size', '3', '--encoder', 'tiny', '--fs', '50', '--backend', 'cpu', '--out', out, '--json', '--every', '1', '--workers', '0'];
    const io = capture();
    expect(await main([...base, '--steps', '2'], io)).toBe(0);
    const lines = io.out.join('').trim().split('\n').map((l) => JSON.parse(l));
    expect(lines.map((l) => l.event)).toEqual(['step', 'step', 'done']);
    expect(Object.keys(lines[0]).sort()).toEqual(['event', 'beat', 'beatLoss', 'beats', 'externalMB', 'heapUsedMB', 'loss', 'lr', 'numTensors', 'recordsPerSec', 'rhythm', 'rhythmLoss', 'rssMB', 'step', 'totalSteps'].sort());
    expect(lines[0].rhythm).toHaveProperty('kl');
    // process memory beside the tensor count: resident set ≥ JS heap in use > 0
    expect(lines[0].heapUsedMB).toBeGreaterThan(0);
    expect(lines[0].externalMB).toBeGreaterThan(0);
    expect(lines[0].rssMB).toBeGreaterThan(lines[0].heapUsedMB);
    expect(lines[2]).toMatchObject({ event: 'done', steps: 2, resumedFrom: 0, records: 6, skipped: 0, outputs: { model: join(out, 'model'), runDir: out } });
    expect(existsSync(join(out, 'model', 'encoder', 'model.json'))).toBe(true);
    expect(io.err.join('')).toContain('backend: cpu');
    const io2 = capture();
    expect(await main([...base, '--steps', '3', '--resume'], io2)).toBe(0);
    const lines2 = io2.out.join('').trim().split('\n').map((l) => JSON.parse(l));
    expect(lines2.filter((l) => l.event === 'step').map((l) => l.step)).toEqual([3]);
    expect(lines2[lines2.length - 1]).toMatchObject({ event: 'done', steps: 3, resumedFrom: 2 });
  }, 180_000);

  it('pretrain without --json and off a terminal prints periodic progress lines on stderr, the summary on stdout', async () => {
    const io = capture();
    const code = await main(['pretrain', '--data', join(root, 'examples/data/ptbxl'), '--max-records', '4', '--batch-size', '2', '--encoder', 'tiny', '--fs', '50', '--backend', 'cpu', '--out', join(tmp, 'pre-text'), '--steps', '3', '--workers', '0'], io);
    expect(code).toBe(0);
    const err = io.err.join('');
    expect(err).toMatch(/^step 3\/3 \(\d+:\d\d elapsed, ETA 0:00\) loss /m);
    expect(io.out.join('')).toMatch(/^done: 3 steps \(resumed from 0\) .* model saved to .*pre-text\/model\n$/);
  });

  it('pretrain reports records without the 12 leads, trains on the others, exits 1 (the batch policy); --fail-fast stops before training', async () => {
    const { cpSync, mkdirSync } = await import('node:fs');
    const data = join(tmp, 'mixed');
    mkdirSync(data, { recursive: true });
    for (const r of ['00001_lr', '00002_lr', '00003_lr']) for (const ext of ['hea', 'dat']) cpSync(join(root, 'examples/data/ptbxl/records100/00000', `${r}.${ext}`), join(data, `${r}.${ext}`));
    for (const ext of ['hea', 'dat', 'atr']) if (existsSync(join(root, `examples/data/mitdb/100.${ext}`))) cpSync(join(root, `examples/data/mitdb/100.${ext}`), join(data, `100.${ext}`));
    const args = ['pretrain', '--data', data, '--batch-size', '2', '--encoder', 'tiny', '--fs', '50', '--backend', 'cpu', '--steps', '1', '--json', '--workers', '0'];
    const io = capture();
    expect(await main([...args, '--out', join(tmp, 'mixed-run')], io)).toBe(1);
    expect(io.err.join('')).toMatch(/beat-ssl pretrain: .*100: Error in beat-ssl pretrain: the record must have the 12 standard leads, but it lacks I, /);
    const events = io.out.join('').trim().split('\n').map((l) => JSON.parse(l));
    expect(events[0]).toMatchObject({ event: 'error' });
    expect(events[events.length - 1]).toMatchObject({ event: 'done', records: 3, skipped: 1 });
    const ff = capture();
    expect(await main([...args, '--out', join(tmp, 'mixed-ff'), '--fail-fast'], ff)).toBe(1);
    expect(ff.out.join('')).not.toContain('"step"');
    expect(existsSync(join(tmp, 'mixed-ff', 'model'))).toBe(false);
  });
});

