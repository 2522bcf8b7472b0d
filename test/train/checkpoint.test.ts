/**
 * The checkpoint protocol under simulated crashes (issue 17.1): a copy of the run folder is taken
 * at every step of `writeCheckpoint` (the state a kill at that instant leaves), and each copy must
 * resume — `readLatestCheckpoint` finds a complete checkpoint, no older than the last one
 * completed — and accept the next write, which cleans up what the crash left.
 * The real-process version (SIGKILLs) is test/train/killResume.test.ts.
 */
import { describe, expect, it, beforeEach, afterEach } from 'vitest';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readLatestCheckpoint, writeCheckpoint } from '../../src/train/checkpoint';
import { setFaultHook } from '../../src/core/_internal/faults';

let root = '';
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'beat-ssl-ckpt-'));
});
afterEach(() => {
  setFaultHook(null);
  rmSync(root, { recursive: true, force: true });
});

/** A stand-in model whose files say which step (and variant) they belong to. */
const model = (tag: string) => async (dir: string) => {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'weights.bin'), tag);
};
const write = (dir: string, step: number, tag = `step ${step}`) => writeCheckpoint(dir, { step, rngState: [step], config: { a: 1 } }, model(tag), undefined, { keep: 2 });
const modelTag = (ckptPath: string) => readFileSync(join(ckptPath, 'model', 'weights.bin'), 'utf8');
const hidden = (dir: string) => readdirSync(dir).filter((n) => n.startsWith('.'));

describe('writeCheckpoint under crashes', () => {
  it('a crash at any step of any write leaves a complete, resumable checkpoint', async () => {
    const run = join(root, 'run');
    const images: { point: string; dir: string; lastDone: number }[] = [];
    let lastDone = 0;
    setFaultHook((point) => {
      const img = join(root, `image-${images.length}`);
      cpSync(run, img, { recursive: true });
      images.push({ point, dir: img, lastDone });
    });
    for (let step = 1; step <= 5; step++) {
      await write(run, step);
      lastDone = step;
    }
    setFaultHook(null);
    const points = new Set(images.map((i) => i.point));
    expect([...points].sort()).toEqual(['checkpoint:latest', 'checkpoint:pruning', 'checkpoint:renamed', 'checkpoint:written', 'file:before-rename']);
    for (const img of images) {
      const found = await readLatestCheckpoint(img.dir);
      if (img.lastDone === 0 && (img.point === 'checkpoint:written' || img.point === 'checkpoint:renamed' || img.point === 'file:before-rename')) {
        // the very first checkpoint is not committed yet: nothing to resume, but nothing broken either
        if (found) expect(modelTag(found.path)).toBe(`step ${found.step}`);
        continue;
      }
      expect(found, `${img.point} after step ${img.lastDone}`).not.toBeNull();
      expect(found!.step).toBeGreaterThanOrEqual(img.lastDone);
      expect(modelTag(found!.path)).toBe(`step ${found!.step}`);
      // the next write succeeds and removes what the crash left
      await write(img.dir, found!.step + 1);
      expect(hidden(img.dir)).toEqual([]);
      expect((await readLatestCheckpoint(img.dir))!.step).toBe(found!.step + 1);
      expect(readdirSync(img.dir).filter((n) => n.startsWith('ckpt-')).length).toBeLessThanOrEqual(2);
    }
  });

  it('re-writing the same checkpoint (resuming a finished run) writes and deletes nothing', async () => {
    const run = join(root, 'run');
    await write(run, 7);
    await write(run, 8);
    const before = readdirSync(run).sort();
    const points: string[] = [];
    setFaultHook((p) => void points.push(p));
    const path = await write(run, 8);
    expect(path).toBe(join(run, 'ckpt-000008'));
    expect(readdirSync(run).sort()).toEqual(before);
    expect(points).not.toContain('checkpoint:renamed');
    expect(points).not.toContain('checkpoint:pruning');
  });

  it('a different checkpoint of the same step gets a new name instead of replacing the old one', async () => {
    const run = join(root, 'run');
    await write(run, 8, 'A');
    const path = await write(run, 8, 'B');
    expect(path).toBe(join(run, 'ckpt-000008-1'));
    expect(modelTag((await readLatestCheckpoint(run))!.path)).toBe('B');
    expect(modelTag(join(run, 'ckpt-000008'))).toBe('A');
    await write(run, 9);
    expect(readdirSync(run).filter((n) => n.startsWith('ckpt-')).sort()).toEqual(['ckpt-000008-1', 'ckpt-000009']);
  });

  it('removes temporary and trash folders of dead processes at the start of a write, keeps those of live ones', async () => {
    const run = join(root, 'run');
    await write(run, 1);
    mkdirSync(join(run, '.tmp-999999999-abcd-ckpt-000002'));
    mkdirSync(join(run, '.trash-999999999-abcd-ckpt-000000'));
    mkdirSync(join(run, '.tmp-ckpt-000002-123-456')); // the naming of older versions
    mkdirSync(join(run, `.tmp-${process.ppid}-abcd-ckpt-000002`)); // a live process's write in progress
    await write(run, 2);
    expect(hidden(run)).toEqual([`.tmp-${process.ppid}-abcd-ckpt-000002`]);
  });

  it('resumes from the newest complete checkpoint when latest.json is dangling (folders of older versions)', async () => {
    const run = join(root, 'run');
    await write(run, 3);
    await write(run, 4);
    rmSync(join(run, 'ckpt-000004'), { recursive: true });
    expect((await readLatestCheckpoint(run))!.step).toBe(3);
    rmSync(join(run, 'ckpt-000003'), { recursive: true });
    await expect(readLatestCheckpoint(run)).rejects.toThrow(/Error in readLatestCheckpoint: latest.json must point at a checkpoint with state.json, but got .*ckpt-000004.* and no other complete checkpoint/);
    expect(await readLatestCheckpoint(join(root, 'empty'))).toBeNull();
    expect(existsSync(join(root, 'empty'))).toBe(false);
  });

  it('a failed write keeps the previous checkpoint and leaves no temporary folder', async () => {
    const run = join(root, 'run');
    await write(run, 1);
    await expect(writeCheckpoint(run, { step: 2, rngState: [], config: {} }, async () => { throw new Error('disk full'); })).rejects.toThrow(
      /Error in writeCheckpoint: the checkpoint must be written to .* but writing failed \(disk full\); the previous checkpoint is intact\./,
    );
    expect((await readLatestCheckpoint(run))!.step).toBe(1);
    expect(hidden(run)).toEqual([]);
  });
});
