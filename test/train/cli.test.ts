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
  it('pretrain --json prints one object per step with the documented keys, writes checkpoints, --resume continues', async () => {
    const out = join(tmp, 'pre');
    const base = ['pretrain', '--data', join(root, 'examples/data/ptbxl'), '--max-records', '6', '--batch-size', '3', '--preset', 'tiny', '--fs', '50', '--backend', 'cpu', '--out', out, '--json', '--every', '1'];
    const io = capture();
    expect(await main([...base, '--steps', '2'], io)).toBe(0);
    const lines = io.out.join('').trim().split('\n').map((l) => JSON.parse(l));
    expect(lines).toHaveLength(2);
    expect(Object.keys(lines[0]).sort()).toEqual(['beatLoss', 'loss', 'lr', 'numTensors', 'recordsPerSec', 'rhythmLoss', 'step'].sort());
    expect(existsSync(join(out, 'model', 'encoder', 'model.json'))).toBe(true);
    expect(io.err.join('')).toContain('backend: cpu');
    const io2 = capture();
    expect(await main([...base, '--steps', '3', '--resume'], io2)).toBe(0);
    const lines2 = io2.out.join('').trim().split('\n').map((l) => JSON.parse(l));
    expect(lines2.map((l) => l.step)).toEqual([3]);
  });

  it('finetune --task classify runs from the pretrained model; bad usage exits 2', async () => {
    const io = capture();
    const code = await main(
      ['finetune', '--task', 'classify', '--data', join(root, 'examples/data/ptbxl'), '--pretrained', join(tmp, 'pre', 'model'), '--epochs', '1', '--batch-size', '8', '--fs', '50', '--train-folds', '2,3,4,5,6,7,8', '--val-folds', '9', '--backend', 'cpu', '--out', join(tmp, 'ft'), '--json', '--linear-probe'],
      io,
    );
    expect(io.err.join('')).not.toContain('Error');
    expect(code).toBe(0);
    const ep = JSON.parse(io.out.join('').trim().split('\n')[0]);
    expect(ep.epoch).toBe(1);
    expect(existsSync(join(tmp, 'ft', 'best', 'model.json'))).toBe(true);
    const bad = capture();
    expect(await main(['finetune', '--data', 'x'], bad)).toBe(2);
    expect(bad.err.join('')).toContain('--task');
  });

  it('finetune --task segment runs on the embedded LUDB sample with --encoder-lr-scale; a negative scale is refused', async () => {
    const io = capture();
    const args = ['finetune', '--task', 'segment', '--data', join(root, 'examples/data/ludb'), '--pretrained', join(tmp, 'pre', 'model'), '--epochs', '1', '--batch-size', '4', '--fs', '50', '--val-fraction', '0.25', '--backend', 'cpu', '--out', join(tmp, 'seg'), '--json'];
    expect(await main([...args, '--encoder-lr-scale', '0.1'], io)).toBe(0);
    const ep = JSON.parse(io.out.join('').trim().split('\n')[0]);
    expect(ep.valDice).toHaveLength(4);
    expect(existsSync(join(tmp, 'seg', 'best', 'model.json'))).toBe(true);
    const bad = capture();
    expect(await main([...args, '--encoder-lr-scale', '-1'], bad)).not.toBe(0);
    expect(bad.err.join('')).toContain('encoderLearningRateScale');
  });
});

