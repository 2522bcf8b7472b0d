/**
 * Long-run fuzzing of the WFDB readers (issue 17): seeded cases from test/io/fuzzLib.ts — real
 * records of every format (8, 16, 24, 32, 61, 80, 160, 212, 310, 311, 508/516/524 FLAC),
 * records encoded on the fly in every writable format, multi-segment records and annotation
 * files, with mutated headers and bytes and random read options — run in a worker thread under a
 * watchdog, so a hang is detected and reported instead of stalling the run.
 *
 *   nice -n 10 npx tsx bench/fuzz-io.ts --cases 100000 [--seed 1] [--hang-ms 10000]
 *
 * Prints progress lines and a final JSON summary (also written to bench/results/fuzz-io.json):
 * outcomes (ok / library-error / crash / violation), reader calls over 1 s, hangs, the number of
 * cases checked against the independent 16/212 decoder, values checked for ±Infinity/NaN, and
 * the first failures with their case numbers (re-run one with `--cases 1 --seed <n>`).
 */
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadSeeds, runCase, type CaseResult } from '../test/io/fuzzLib';
import { readRecord } from '../src/io/readRecord';

async function warmUp(): Promise<void> {
  await readRecord(join(root, 'test/fixtures/io/wfdb-python/sample-data/flacformats'));
}

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');

interface Msg {
  i: number;
  r: Pick<CaseResult, 'outcome' | 'ms' | 'totalMs' | 'seed' | 'refChecked' | 'values'> & { detail?: string };
}

if (!isMainThread) {
  const { from, to } = workerData as { from: number; to: number };
  const seeds = loadSeeds(root);
  // One-time set-up outside the timed cases: the FLAC decoder's WebAssembly compile (~0.1–0.7 s).
  await warmUp();
  for (let i = from; i < to; i++) {
    const r = await runCase(seeds, i);
    const keep = r.outcome === 'crash' || r.outcome === 'violation' || r.ms > 1000;
    parentPort?.postMessage({ i, r: { outcome: r.outcome, ms: r.ms, totalMs: r.totalMs, seed: r.seed, refChecked: r.refChecked, values: r.values, detail: keep ? r.detail : undefined } } satisfies Msg);
  }
  parentPort?.postMessage({ done: true });
} else {
  const arg = (name: string, def: number) => {
    const k = process.argv.indexOf(`--${name}`);
    return k >= 0 ? Number(process.argv[k + 1]) : def;
  };
  const cases = arg('cases', 100_000);
  const first = arg('seed', 1);
  const hangMs = arg('hang-ms', 10_000);
  const end = first + cases;
  const t0 = Date.now();
  const counts = { ok: 0, 'library-error': 0, crash: 0, violation: 0 };
  let refChecked = 0;
  let values = 0;
  let over1s = 0;
  let maxMs = 0;
  let maxMsCase = '';
  let maxTotalMs = 0;
  const hangs: number[] = [];
  const failures: { case: string; outcome: string; ms: number; detail?: string }[] = [];
  let rssPeak = 0;
  let next = first;
  let lastReport = Date.now();

  const runFrom = (from: number) =>
    new Promise<void>((done) => {
      if (from >= end) return done();
      const w = new Worker(join(root, 'bench/fuzz-io-worker.mjs'), { workerData: { from, to: end } });
      let last = Date.now();
      let current = from;
      const dog = setInterval(() => {
        rssPeak = Math.max(rssPeak, process.memoryUsage().rss);
        if (Date.now() - last > hangMs) {
          clearInterval(dog);
          hangs.push(current);
          failures.push({ case: String(current), outcome: 'hang', ms: Date.now() - last });
          void w.terminate().then(() => {
            next = current + 1;
            void runFrom(next).then(done);
          });
        }
      }, 250);
      w.on('message', (m: Msg | { done: true }) => {
        last = Date.now();
        if ('done' in m) {
          clearInterval(dog);
          void w.terminate().then(() => done());
          return;
        }
        const { i, r } = m;
        current = i + 1;
        counts[r.outcome]++;
        if (r.refChecked) refChecked++;
        values += r.values;
        if (r.ms > 1000) over1s++;
        if (r.ms > maxMs) {
          maxMs = r.ms;
          maxMsCase = r.seed;
        }
        maxTotalMs = Math.max(maxTotalMs, r.totalMs);
        if ((r.outcome === 'crash' || r.outcome === 'violation' || r.ms > 1000) && failures.length < 20) failures.push({ case: r.seed, outcome: r.outcome, ms: r.ms, detail: r.detail });
        if (Date.now() - lastReport > 15_000) {
          lastReport = Date.now();
          const n = i + 1 - first;
          console.log(`fuzz-io: ${n}/${cases} cases, ${((Date.now() - t0) / 1000).toFixed(0)} s, ${JSON.stringify(counts)}, max reader call ${maxMs.toFixed(0)} ms`);
        }
      });
      w.on('error', (e) => {
        clearInterval(dog);
        if (failures.length < 20) failures.push({ case: String(current), outcome: 'worker-error', ms: 0, detail: String(e) });
        counts.crash++;
        next = current + 1;
        void runFrom(next).then(done);
      });
    });

  await runFrom(next);
  const summary = {
    name: 'fuzz-io',
    command: `nice -n 10 npx tsx bench/fuzz-io.ts --cases ${cases} --seed ${first}`,
    cases,
    seconds: Math.round((Date.now() - t0) / 1000),
    outcomes: counts,
    uncaughtNonLibraryExceptions: counts.crash,
    violations: counts.violation,
    readerCallsOver1s: over1s,
    hangs: hangs.length,
    maxReaderCallMs: Math.round(maxMs),
    maxReaderCallCase: maxMsCase,
    maxCaseMs: Math.round(maxTotalMs),
    casesCheckedAgainstReferenceDecoder: refChecked,
    valuesCheckedForInfinityAndNaN: values,
    rssPeakMB: Math.round(rssPeak / 2 ** 20),
    node: process.version,
    failures,
  };
  console.log(JSON.stringify(summary, null, 2));
  if (cases >= 1000) {
    mkdirSync(join(root, 'bench/results'), { recursive: true });
    writeFileSync(join(root, 'bench/results/fuzz-io.json'), JSON.stringify(summary, null, 2) + '\n');
  }
  process.exitCode = counts.crash + counts.violation + hangs.length + over1s > 0 ? 1 : 0;
}
