/**
 * P/QRS/T segmentation of LUDB records, scored against the cardiologists' lead II annotations
 * (per fiducial Se, +P, F1 at 150 ms and timing error), with clinical intervals per record.
 *
 *   npx tsx examples/segment-ludb.ts [ludb-folder] [--model DIR] [--ids 1,2,3]
 *
 * Model: `--model DIR` (a folder saved with `saveSegmentationModel`), else the weights shipped with
 * the package; without either, the rule-based delineator of `beat-ssl/beats` is used and the
 * output says so. Default folder: the 8 LUDB records embedded in examples/data.
 * Writes an SVG of the first record with its waves to examples/output/.
 */
import { parseArgs } from 'node:util';
import { mkdir, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { loadLudb, type LudbSample } from 'beat-ssl/data';
import { processEcg } from 'beat-ssl/beats';
import { loadSegmentationModel, type SegmentationModel } from 'beat-ssl/heads';
import { segmentRecord } from 'beat-ssl/analysis';
import { compareDelineation, DELINEATION_FIDUCIALS } from 'beat-ssl/metrics';
import { setBackend } from 'beat-ssl/backend';
import { plotEcg12 } from 'beat-ssl/plot';
import type { Wave } from 'beat-ssl/core';

const QUICK = process.env.BEAT_SSL_EXAMPLE_QUICK === '1';
const { values, positionals } = parseArgs({ allowPositionals: true, options: { model: { type: 'string' }, ids: { type: 'string' } } });
const dir = positionals[0] ?? fileURLToPath(new URL('./data/ludb', import.meta.url));
const ids = values.ids ? values.ids.split(',').map(Number) : QUICK ? [1, 2] : undefined;
const outDir = fileURLToPath(new URL('./output/', import.meta.url));

const backend = await setBackend('auto');
let model: SegmentationModel | null = null;
let source: string;
try {
  model = await loadSegmentationModel(values.model); // undefined → the shipped weights
  source = values.model ? `model ${values.model}` : `shipped weights (${model.dir})`;
} catch (err) {
  if (values.model) throw err;
  source = 'rule-based delineator (no shipped segmentation weights in this build)';
}
console.log(`LUDB from ${dir}\nsegmentation: ${source}; backend ${backend.name}\n`);

const ludb = await loadLudb(dir, { lead: 'ii', ids });
const samples: LudbSample[] = [];
const predicted: Wave[][] = [];
console.log(`${'record'.padEnd(8)}${'beats'.padStart(6)}${'HR bpm'.padStart(8)}${'PR ms'.padStart(7)}${'QRS ms'.padStart(8)}${'QT ms'.padStart(7)}${'QTc ms'.padStart(8)}`);
for (let i = 0; i < ludb.size; i++) {
  const s = await ludb.get(i);
  const { record } = s;
  // the analysis chain: with a model segmentRecord (processEcg + the model), else processEcg alone (rule-based)
  const { waves, intervals: iv } = model ? await segmentRecord(record, model) : processEcg(record);
  const n = (v: number, w: number) => (Number.isFinite(v) ? v.toFixed(0) : '–').padStart(w);
  console.log(`${String(s.id).padEnd(8)}${String(waves.filter((w) => w.type === 'QRS').length).padStart(6)}${n(iv.heartRateBpm, 8)}${n(iv.prMs, 7)}${n(iv.qrsMs, 8)}${n(iv.qtMs, 7)}${n(iv.qtcMs, 8)}`);
  samples.push(s);
  predicted.push(waves);
}

const score = compareDelineation(
  samples.map((s) => s.waves),
  predicted,
  500,
  { spans: samples.map((s) => s.span), toleranceSec: 0.15 },
);
console.log(`\nagainst lead II annotations of ${score.records} records (150 ms tolerance, annotated span only):`);
console.log(`${'fiducial'.padEnd(11)}${'Se'.padStart(7)}${'+P'.padStart(7)}${'F1'.padStart(7)}${'error ms'.padStart(16)}`);
for (const name of DELINEATION_FIDUCIALS) {
  const f = score.fiducials[name];
  const p = (v: number) => (Number.isFinite(v) ? v.toFixed(3) : '–').padStart(7);
  console.log(`${name.padEnd(11)}${p(f.se)}${p(f.ppv)}${p(f.f1)}${`${f.meanErrorMs.toFixed(1)} ± ${f.sdErrorMs.toFixed(1)}`.padStart(16)}`);
}
console.log(`mean F1 ${score.meanF1.toFixed(3)}`);

await mkdir(outDir, { recursive: true });
const svgPath = `${outDir}ludb${samples[0].id}-segmentation.svg`;
await writeFile(svgPath, plotEcg12(samples[0].record, { waves: predicted[0], title: `LUDB ${samples[0].id} · ${model ? 'segmentation model' : 'rule-based delineation'}` }));
console.log(`\nwrote ${svgPath}`);
model?.dispose();
