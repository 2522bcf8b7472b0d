/**
 * Long run of the streaming R-peak detector (issue 17): MIT-BIH records played back to back,
 * several passes, as one continuous stream of ≥ 24 h of ECG, pushed in random chunk sizes into one
 * `createRPeakStream`. Checks that the stream's peaks equal, peak for peak, those of the offline
 * `detectRPeaks` run over the same concatenated signal, and that memory stays flat (V8 heap after a
 * forced GC, and RSS, sampled after every record).
 *
 *   nice -n 10 node --expose-gc --import tsx bench/stream-soak.ts [--data ../shared/data/mitdb] [--hours 24] [--seed 1]
 *
 * Playlist: pass 1 plays the records in name order, pass 2 in reverse order, pass 3 in name order
 * starting from the middle record, pass 4 that reversed, and so on, until the total reaches
 * `--hours` (whole passes; the MIT-BIH folder's 23 records of 30 min 5 s give 11.54 h per pass, so
 * `--hours 24` plays 3 passes = 34.6 h). Each record is pushed in chunks of 1 sample to 2 s
 * (uniform, seeded). Prints one progress line per pass and a final JSON summary (also written to
 * bench/results/stream-soak.json).
 */
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRng } from '../src/core/rng';
import { detectRPeaks } from '../src/beats/detect';
import { createRPeakStream } from '../src/beats/rpeakStream';
import { readRecord } from '../src/io/readRecord';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 && i + 1 < process.argv.length ? process.argv[i + 1]! : fallback;
}

const dataDir = resolve(arg('data', join(root, '../shared/data/mitdb')));
const hours = Number(arg('hours', '24'));
const seed = Number(arg('seed', '1'));
const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error('run with node --expose-gc (see the header of bench/stream-soak.ts)');

const names = readdirSync(dataDir)
  .filter((f) => f.endsWith('.hea'))
  .map((f) => f.slice(0, -4))
  .sort();
if (names.length === 0) throw new Error(`no .hea records in ${dataDir}`);

interface Memory {
  hours: number;
  heapMB: number;
  rssMB: number;
}
const mb = (b: number) => Math.round((b / 2 ** 20) * 10) / 10;
function memory(h: number): Memory {
  gc!();
  const m = process.memoryUsage();
  return { hours: Math.round(h * 1000) / 1000, heapMB: mb(m.heapUsed), rssMB: mb(m.rss) };
}

async function main(): Promise<void> {
  // One pass: the durations tell how many passes reach `hours`.
  const lengths: number[] = [];
  let fs = 0;
  let nLeads = 0;
  for (const n of names) {
    const r = await readRecord(join(dataDir, n));
    if (fs === 0) [fs, nLeads] = [r.fs, r.signals.length];
    if (r.fs !== fs || r.signals.length !== nLeads) throw new Error(`record ${n}: ${r.fs} Hz × ${r.signals.length} leads, expected ${fs} Hz × ${nLeads}`);
    lengths.push(r.signals[0]!.length);
  }
  const passSamples = lengths.reduce((a, b) => a + b, 0);
  const passes = Math.max(1, Math.ceil((hours * 3600 * fs) / passSamples));
  const playlist: string[] = [];
  for (let p = 0; p < passes; p++) {
    const rot = ((p >> 1) * Math.floor(names.length / 2)) % names.length;
    const order = [...names.slice(rot), ...names.slice(0, rot)];
    if (p % 2 === 1) order.reverse();
    playlist.push(...order);
  }
  const totalSamples = passes * passSamples;
  console.log(`stream-soak: ${playlist.length} records (${passes} passes of ${names.length}) = ${(totalSamples / fs / 3600).toFixed(2)} h at ${fs} Hz × ${nLeads} leads from ${dataDir}`);

  // Stream phase. Peaks go to a buffer allocated up front (room for 5 beats/s), so a growing
  // result array does not show up as heap growth: what could grow is the detector's own state.
  const rng = createRng(seed);
  let streamPeaks = new Int32Array(Math.ceil((totalSamples / fs) * 5));
  let nPeaks = 0;
  const stream = createRPeakStream(fs);
  const mem: Memory[] = [memory(0)];
  let pushes = 0;
  let pushed = 0;
  let streamMs = 0;
  let maxChunk = 0;
  for (let k = 0; k < playlist.length; k++) {
    const rec = await readRecord(join(dataDir, playlist[k]!));
    const n = rec.signals[0]!.length;
    let i = 0;
    const t0 = performance.now();
    while (i < n) {
      const len = Math.min(n - i, 1 + rng.int(2 * fs));
      maxChunk = Math.max(maxChunk, len);
      const out = stream.push(rec.signals.map((s) => s.subarray(i, i + len)));
      streamPeaks.set(out, nPeaks);
      nPeaks += out.length;
      i += len;
      pushes++;
    }
    streamMs += performance.now() - t0;
    pushed += n;
    mem.push(memory(pushed / fs / 3600));
    if ((k + 1) % names.length === 0) {
      const m = mem[mem.length - 1]!;
      console.log(`  pass ${(k + 1) / names.length}/${passes}: ${(pushed / fs / 3600).toFixed(2)} h, ${nPeaks} peaks, heap ${m.heapMB} MB, rss ${m.rssMB} MB`);
    }
  }
  const tail = stream.flush();
  streamPeaks.set(tail, nPeaks);
  streamPeaks = streamPeaks.subarray(0, nPeaks + tail.length);
  const afterStream = memory(pushed / fs / 3600);

  // Offline phase: the same concatenated signal through detectRPeaks.
  const leads = Array.from({ length: nLeads }, () => new Float32Array(totalSamples));
  let o = 0;
  for (const name of playlist) {
    const rec = await readRecord(join(dataDir, name));
    rec.signals.forEach((s, j) => leads[j]!.set(s, o));
    o += rec.signals[0]!.length;
  }
  const t1 = performance.now();
  const offline = detectRPeaks(leads, fs);
  const offlineMs = performance.now() - t1;

  let firstDiff = -1;
  const common = Math.min(offline.length, streamPeaks.length);
  for (let i = 0; i < common; i++) {
    if (offline[i] !== streamPeaks[i]) {
      firstDiff = i;
      break;
    }
  }
  if (firstDiff < 0 && offline.length !== streamPeaks.length) firstDiff = common;
  let increasing = true;
  for (let i = 1; i < streamPeaks.length; i++) if (streamPeaks[i]! <= streamPeaks[i - 1]!) increasing = false;

  // Memory: the first pass warms up (V8 code, reader buffers); the rest of the run is compared with it.
  const afterPass1 = mem[names.length]!;
  const later = mem.slice(names.length);
  const range = (k: 'heapMB' | 'rssMB') => [Math.min(...later.map((m) => m[k])), Math.max(...later.map((m) => m[k]))];
  const summary = {
    name: 'stream-soak',
    command: `nice -n 10 node --expose-gc --import tsx bench/stream-soak.ts --data ${dataDir} --hours ${hours} --seed ${seed}`,
    node: process.version,
    data: dataDir,
    records: names.length,
    passes,
    hoursOfSignal: Math.round((totalSamples / fs / 3600) * 1000) / 1000,
    fs,
    leads: nLeads,
    pushes,
    chunkSamples: { min: 1, max: maxChunk },
    peaks: { stream: streamPeaks.length, offline: offline.length, identical: firstDiff < 0, firstDifferenceAt: firstDiff, strictlyIncreasing: increasing },
    timesRealTime: { stream: Math.round(totalSamples / fs / (streamMs / 1000)), offline: Math.round(totalSamples / fs / (offlineMs / 1000)) },
    memory: { start: mem[0], afterPass1, end: afterStream, heapMBAfterPass1: range('heapMB'), rssMBAfterPass1: range('rssMB'), perRecord: mem },
  };
  const { perRecord, ...memShort } = summary.memory;
  console.log(JSON.stringify({ ...summary, memory: { ...memShort, samples: perRecord.length } }, null, 2));
  mkdirSync(join(root, 'bench/results'), { recursive: true });
  writeFileSync(join(root, 'bench/results/stream-soak.json'), JSON.stringify(summary, null, 2) + '\n');
  if (firstDiff >= 0 || !increasing) process.exitCode = 1;
}

main().catch((e) => {
  console.error(e);
  process.exitCode = 1;
});
