import { describe, expect, it } from 'vitest';
import { BeatSslError } from '../../src/core/errors';
import { asLibraryError, emit, forEachRecord, formatDuration, parseIdList, Progress } from '../../src/cli/_internal/output';
import type { CliIo } from '../../src/cli/command';

function io(isTTY: boolean, clock = { t: 0 }): CliIo & { out: string[]; err: string[] } {
  const out: string[] = [];
  const err: string[] = [];
  return { out, err, isTTY, now: () => clock.t, stdout: (t) => void out.push(t), stderr: (t) => void err.push(t) };
}

describe('progress', () => {
  it('on a terminal redraws one line with elapsed time and ETA', () => {
    const clock = { t: 0 };
    const o = io(true, clock);
    const p = new Progress(o, 10, { unit: 'step' });
    clock.t = 4000;
    p.update(2, 'loss 1.0');
    p.finish();
    expect(o.err[0]).toBe('\r\x1b[2K[####................] 2/10 0:04 elapsed, ETA 0:16 | loss 1.0');
    expect(o.err[1]).toBe('\n');
    expect(o.out).toEqual([]);
  });

  it('otherwise prints a plain line every 10% or 30 s and at the end, not every update', () => {
    const clock = { t: 0 };
    const o = io(false, clock);
    const p = new Progress(o, 100, { unit: 'epoch' });
    for (let e = 1; e <= 100; e++) {
      clock.t = e * 100;
      p.update(e, `loss ${e}`);
    }
    expect(o.err).toHaveLength(10);
    expect(o.err[0]).toBe('epoch 10/100 (0:01 elapsed, ETA 0:09) loss 10\n');
    expect(o.err[9]).toMatch(/^epoch 100\/100 \(0:10 elapsed, ETA 0:00\) loss 100\n$/);
    const slow = io(false, clock);
    const q = new Progress(slow, 1000, { unit: 'step' });
    clock.t += 31_000;
    q.update(1, 'x');
    expect(slow.err).toHaveLength(1);
  });

  it('with verbose prints every update; with --json nothing', () => {
    const o = io(false);
    const p = new Progress(o, 5, { unit: 'epoch', verbose: true });
    for (let e = 1; e <= 5; e++) p.update(e, '');
    expect(o.err).toHaveLength(5);
    const j = io(true);
    new Progress(j, 5, { unit: 'epoch', json: true }).update(1, '');
    expect(j.err).toEqual([]);
  });

  it('formats durations', () => {
    expect(formatDuration(75)).toBe('1:15');
    expect(formatDuration(3725)).toBe('1:02:05');
    expect(formatDuration(NaN)).toBe('--:--');
  });
});

describe('json events', () => {
  it('carry an event type; non-finite numbers become null', () => {
    const o = io(false);
    emit(o, 'epoch', { epoch: 1, valLoss: NaN, x: new Float32Array([1, 2]) });
    expect(JSON.parse(o.out[0])).toEqual({ event: 'epoch', epoch: 1, valLoss: null, x: [1, 2] });
  });
});

describe('filesystem errors in the library format', () => {
  const sys = (code: string, syscall: string, path: string) => Object.assign(new Error(`${code}: raw, ${syscall} '${path}'`), { code, syscall, path, errno: -1 });
  it('ENOSPC on write', () => {
    const e = asLibraryError(sys('ENOSPC', 'write', '/data/out.svg'), 'beat-ssl plot', '--out');
    expect(e).toBeInstanceOf(BeatSslError);
    expect((e as Error).message).toBe('Error in beat-ssl plot: --out "/data/out.svg" must be a writable path, but the disk is full (ENOSPC). Free some space or choose another disk.');
  });
  it('ENOENT on rename names the fix; a read error says readable', () => {
    expect((asLibraryError(sys('ENOENT', 'rename', '/x/y'), 'f') as Error).message).toBe('Error in f: path "/x/y" must be a writable path, but it does not exist. Create the folder first or choose another path.');
    expect((asLibraryError(sys('EACCES', 'open', '/root/z'), 'f', 'record', 'read') as Error).message).toBe('Error in f: record "/root/z" must be a readable path, but permission denied.');
  });
  it('leaves other errors alone', () => {
    const plain = new Error('x');
    expect(asLibraryError(plain, 'f')).toBe(plain);
  });
});

describe('the batch policy', () => {
  const items = ['a', 'bad', 'c', 'bad2'];
  const work = async (x: string) => {
    if (x.startsWith('bad')) throw new Error(`Error in f: ${x} is bad.`);
  };
  it('reports each bad item on stderr (and as an error event), goes on, counts failures', async () => {
    const o = io(false);
    const r = await forEachRecord(items, o, { command: 'info', json: true, failFast: false }, work);
    expect(r).toEqual({ ok: 2, failed: 2, stopped: false });
    expect(o.err).toEqual(['beat-ssl info: bad: Error in f: bad is bad.\n', 'beat-ssl info: bad2: Error in f: bad2 is bad.\n']);
    expect(o.out.map((l) => JSON.parse(l))).toEqual([
      { event: 'error', record: 'bad', message: 'Error in f: bad is bad.' },
      { event: 'error', record: 'bad2', message: 'Error in f: bad2 is bad.' },
    ]);
  });
  it('--fail-fast stops at the first', async () => {
    const o = io(false);
    const seen: string[] = [];
    const r = await forEachRecord(items, o, { command: 'info', json: false, failFast: true }, async (x) => {
      seen.push(x);
      await work(x);
    });
    expect(r).toEqual({ ok: 1, failed: 1, stopped: true });
    expect(seen).toEqual(['a', 'bad']);
  });
  it('id lists', () => {
    expect(parseIdList('ids', '1-3,7')).toEqual([1, 2, 3, 7]);
    expect(() => parseIdList('ids', '5-2')).toThrow("option --ids must be ids or ranges like 1-120,150, but got '5-2'");
  });
});

describe('model folders: each command says which kind it needs', () => {
  it('tells the kinds apart by the files their writers leave, and names the command that takes the other kinds', async () => {
    const { mkdtempSync, writeFileSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const { modelKind, checkModelKind } = await import('../../src/cli/_internal/output');
    const mk = (files: Record<string, string>) => {
      const d = mkdtempSync(join(tmpdir(), 'beat-ssl-kind-'));
      for (const [f, t] of Object.entries(files)) writeFileSync(join(d, f), t);
      return d;
    };
    const pre = mk({ 'beat-ssl.json': '{}' });
    const seg = mk({ 'segmenter.json': '{}', 'preprocess.json': '{"fs":100}' });
    const cls = mk({ 'classifier.json': '{}', 'preprocess.json': '{"task":"classify"}' });
    const none = mk({});
    expect(await modelKind(pre)).toBe('pretrained');
    expect(await modelKind(seg)).toBe('segment');
    expect(await modelKind(cls)).toBe('classify');
    expect(await modelKind(none)).toBeNull();
    await expect(checkModelKind('model', seg, 'segment')).resolves.toBeUndefined();
    await expect(checkModelKind('model', none, 'segment')).resolves.toBeUndefined();
    await expect(checkModelKind('model', cls, 'segment')).rejects.toThrow(`option --model must be a segmentation model folder, but '${cls}' holds a classifier (use 'beat-ssl classify --model ${cls}')`);
    await expect(checkModelKind('model', pre, 'classify')).rejects.toThrow('(fine-tune it first: beat-ssl finetune --task classify --pretrained');
    await expect(checkModelKind('pretrained', seg, 'pretrained')).rejects.toThrow("holds a segmentation model (give the <out>/model folder of 'beat-ssl pretrain'");
  });
});
