/**
 * Real SIGKILLs of a pretraining process (issue 17.1): a child runs a tiny pretraining with a
 * checkpoint after every step and saves the final model, resuming from its folder each time it
 * starts. It is killed (SIGKILL) at every step of the durable-write protocol — checkpoint written
 * but not renamed, renamed but `latest.json` not updated, `latest.json` half-written, pruning
 * half-done, the final model folder moved aside but the new one not yet in place — and at random
 * instants, during training and while *resuming a finished run*. (Resuming a finished run writes
 * no checkpoint at all; `writeCheckpoint` itself also writes nothing for an identical checkpoint.) Every kill must leave a run that
 * resumes, and the weights at the end must be bit-identical to an uninterrupted run.
 */
import { describe, expect, it, beforeAll, afterAll } from 'vitest';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createRng } from '../../src/core/rng';
import { readLatestCheckpoint } from '../../src/train/checkpoint';

const REPO = resolve(__dirname, '../..');
const CHILD = join(REPO, 'test/train/_killChild.ts');
/** Steps of the tiny run (a checkpoint after each, two kept). */
const KILL_RUN_STEPS = 12;

interface ChildResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  out: string;
  err: string;
  /** Milliseconds from the child's `start` line to its exit. */
  ms: number;
}

/** Runs the child once; `killAt` = fault point to die at, `killAfterMs` = SIGKILL that long after it printed `start`. */
let spawns = 0;
function runChild(dir: string, opts: { killAt?: string; killAfterMs?: number } = {}): Promise<ChildResult> {
  spawns++;
  return new Promise((done, reject) => {
    const args = ['--import', 'tsx', CHILD, dir, String(KILL_RUN_STEPS)];
    if (opts.killAt) args.push(opts.killAt);
    const child = spawn(process.execPath, args, { cwd: REPO, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, FORCE_COLOR: '0' } });
    let out = '';
    let err = '';
    let started = 0;
    const guard = setTimeout(() => child.kill('SIGKILL'), 120_000);
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      if (!started && out.startsWith('start\n')) started = Date.now();
      if (opts.killAfterMs !== undefined && out.startsWith('start\n') && !child.killed) {
        const ms = opts.killAfterMs;
        opts.killAfterMs = undefined;
        setTimeout(() => child.kill('SIGKILL'), ms);
      }
    });
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    const banner = /=+\nHi, looks like you are running TensorFlow\.js in Node\.js[^\n]*\n=+\n/g;
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(guard);
      done({ code, signal, out, err: err.replace(banner, '').trim(), ms: started ? Date.now() - started : 0 });
    });
  });
}

const WEIGHT_FILES = ['encoder/weights.bin', 'projectorRhythm/weights.bin', 'projectorBeat/weights.bin'];
const weightsOf = (dir: string) => WEIGHT_FILES.map((f) => readFileSync(join(dir, 'model', f)));
const leftovers = (dir: string) => readdirSync(dir).filter((n) => n.startsWith('.tmp') || n.startsWith('.trash') || n.startsWith('model.'));

describe('SIGKILL at every step of checkpointing and saving, then resume', () => {
  let root = '';
  beforeAll(() => {
    root = mkdtempSync(join(tmpdir(), 'beat-ssl-kill-'));
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('always resumes to the bit-identical weights of an uninterrupted run (≥ 20 kills)', async () => {
    const ref = join(root, 'reference');
    const r0 = await runChild(ref);
    expect(r0.err).not.toMatch(/Error/);
    expect(r0.code).toBe(0);
    expect(r0.out).toContain(`done 0 ${KILL_RUN_STEPS}`);
    const want = weightsOf(ref);

    const dir = join(root, 'killed');
    let kills = 0;
    const mustKill = async (killAt: string) => {
      const r = await runChild(dir, { killAt });
      expect({ killAt, signal: r.signal, err: r.err.slice(0, 300) }).toEqual({ killAt, signal: 'SIGKILL', err: '' });
      kills++;
    };

    // 1. During training: at each step of the checkpoint protocol.
    const duringTraining = ['checkpoint:written:2', 'checkpoint:renamed:1', 'checkpoint:latest:1', 'checkpoint:pruning:1', 'file:before-rename:1', 'checkpoint:pruning:2', 'checkpoint:written:1', 'checkpoint:latest:2', 'checkpoint:renamed:2'];
    for (const point of duringTraining) await mustKill(point);
    // ... and at 8 random instants (seeded) spread over the time a run takes here (measured, so the
    // kills land inside the run whatever the machine's load), then let it finish.
    const rng = createRng(17);
    let maxDelay = 0.6 * r0.ms;
    for (let hit = 0, attempt = 0; hit < 8 && attempt < 30; attempt++) {
      const r = await runChild(dir, { killAfterMs: Math.round(rng.uniform(0, maxDelay)) });
      if (r.signal === 'SIGKILL') {
        kills++;
        hit++;
      } else {
        expect(r.code).toBe(0);
        maxDelay = 0.8 * r.ms; // the run is done: aim inside the (shorter) resume of a finished run
      }
    }
    expect((await runChild(dir)).code).toBe(0);
    expect(weightsOf(dir)).toEqual(want);

    // 2. Resuming the finished run (the window that used to lose the final checkpoint): it writes no
    //    checkpoint, and the final model folder is replaced without a delete-then-rename window.
    for (const point of ['dir:before-swap:1', 'dir:moved-aside:1', 'dir:swapped:1']) {
      await mustKill(point);
      expect((await readLatestCheckpoint(dir))?.step).toBe(KILL_RUN_STEPS);
    }
    const resumeMs = (await runChild(dir)).ms;
    for (let hit = 0, attempt = 0; hit < 4 && attempt < 20; attempt++) {
      const r = await runChild(dir, { killAfterMs: Math.round(rng.uniform(0, 0.8 * resumeMs)) });
      if (r.signal === 'SIGKILL') {
        kills++;
        hit++;
      } else expect(r.code).toBe(0);
      expect((await readLatestCheckpoint(dir))?.step).toBe(KILL_RUN_STEPS);
    }
    const last = await runChild(dir);
    expect(last.code).toBe(0);
    expect(last.out).toContain(`done ${KILL_RUN_STEPS} ${KILL_RUN_STEPS}`);
    expect(weightsOf(dir)).toEqual(want);
    expect(leftovers(dir)).toEqual([]);
    expect(readdirSync(dir).filter((n) => n.startsWith('ckpt-')).length).toBeLessThanOrEqual(2);
    console.log(`SIGKILL test: ${kills} kills in ${spawns} runs`);
    expect(kills).toBeGreaterThanOrEqual(20);
  }, 600_000);
});
