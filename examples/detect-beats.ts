/**
 * WFDB record → R-peaks → heart rate, scored against the reference beat annotations.
 *
 *   npx tsx examples/detect-beats.ts [record]        # default: the embedded MIT-BIH record 100
 *
 * Prints the detected beat count, heart rate and RR statistics, the EC57-style comparison with the
 * record's `.atr` beat annotations (when present), and writes an SVG of the first 10 s with the
 * peaks marked to examples/output/. Set BEAT_SSL_EXAMPLE_QUICK=1 to read only the first 2 minutes.
 */
import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { readAnnotations, readRecord } from 'beat-ssl/io';
import { detectRPeaks } from 'beat-ssl/beats';
import { beatAnnotationSamples, compareBeats } from 'beat-ssl/metrics';
import { plotEcg12 } from 'beat-ssl/plot';

const QUICK = process.env.BEAT_SSL_EXAMPLE_QUICK === '1';
const base = process.argv[2] ?? fileURLToPath(new URL('./data/mitdb/100', import.meta.url));
const outDir = fileURLToPath(new URL('./output/', import.meta.url));

const full = await readRecord(base);
// In quick mode keep the first 2 minutes (the record itself is 30 min at 360 Hz).
const n = QUICK ? Math.min(full.signals[0].length, Math.round(120 * full.fs)) : full.signals[0].length;
const record = { ...full, signals: full.signals.map((s) => s.subarray(0, n)) };
const durationSec = n / record.fs;
console.log(`${record.name}: ${record.leads.length} leads (${record.leads.join(', ')}), ${record.fs} Hz, ${durationSec.toFixed(1)} s`);

const t0 = performance.now();
const peaks = detectRPeaks(record.signals, record.fs); // all leads combined; sample indices at record.fs
const ms = performance.now() - t0;

const rrSec = Array.from(peaks.subarray(1), (p, i) => (p - peaks[i]) / record.fs);
const meanRr = rrSec.reduce((a, b) => a + b, 0) / Math.max(1, rrSec.length);
const sdRr = Math.sqrt(rrSec.reduce((a, b) => a + (b - meanRr) ** 2, 0) / Math.max(1, rrSec.length - 1));
console.log(`detected ${peaks.length} R-peaks in ${ms.toFixed(0)} ms (${(durationSec / (ms / 1000)).toFixed(0)}× real time)`);
console.log(`heart rate ${(60 / meanRr).toFixed(1)} bpm, RR ${(meanRr * 1000).toFixed(0)} ± ${(sdRr * 1000).toFixed(0)} ms`);

const atr = `${base.replace(/\.hea$/, '')}.atr`;
if (existsSync(atr)) {
  const reference = beatAnnotationSamples(await readAnnotations(atr)).filter((s) => s < n);
  const r = compareBeats(reference, peaks, record.fs, { windowSec: 0.15 });
  console.log('\nagainst the reference beat annotations (150 ms window, whole span):');
  const row = { reference: reference.length, detected: peaks.length, TP: r.tp, FP: r.fp, FN: r.fn, 'Se %': (100 * r.se).toFixed(2), '+P %': (100 * r.ppv).toFixed(2), 'timing error ms': `${r.meanErrorMs.toFixed(1)} ± ${r.sdErrorMs.toFixed(1)}` };
  const cols = Object.entries(row).map(([k, v]) => [k, String(v)] as const);
  console.log('  ' + cols.map(([k, v]) => k.padStart(Math.max(k.length, v.length))).join('  '));
  console.log('  ' + cols.map(([k, v]) => v.padStart(Math.max(k.length, v.length))).join('  '));
}

await mkdir(outDir, { recursive: true });
const svgPath = `${outDir}${record.name}-peaks.svg`;
await writeFile(svgPath, plotEcg12(record, { layout: '12x1', rPeaks: peaks, durationSec: 10 }));
console.log(`\nwrote ${svgPath}`);
