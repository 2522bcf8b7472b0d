// P/QRS/T waves and clinical intervals for the page.
//
// With the package's segmentation weights (served under ./weights/segmentation-v1/ by
// vite.config.ts in dev and copied there in a build; fetched and loaded with
// segmentationModelFromFiles), `segmentRecord` runs on the tfjs wasm backend. What it computes is
// what the model folder says (preprocess.json `waveSources`): for segmentation-v1, P and QRS come
// from the rule-based delineator of beat-ssl/beats (delineateBeats at the record's rate) and T from
// the network (at its 100 Hz working rate, mapped back to the record's rate). The page reports the
// source of each wave type. Without weights, or for a record without the model's 12 leads, every
// wave is rule-based and the page says why.
import { missingLeads, type EcgRecord, type Wave } from 'beat-ssl/core';
import { delineateBeats, wavesToIntervals, type ClinicalIntervals } from 'beat-ssl/beats';

export type WaveKind = 'P' | 'QRS' | 'T';

export interface BrowserSegmentation {
  waves: Wave[];
  /** PR, QRS, QT, QTc (ms) and heart rate: medians over beats (wavesToIntervals of beat-ssl/beats). */
  intervals: ClinicalIntervals;
  /** Where each wave type came from, in words. */
  sources: Record<WaveKind, string>;
  /** tfjs backend that ran the network ('none' when no network ran). */
  backend: string;
  /** Why the network did not run, when it did not. */
  fallbackReason?: string;
}

/** Files of a saved segmentation model folder, as the package writes it. */
const MODEL_FILES = ['model.json', 'weights.bin', 'segmenter.json', 'preprocess.json'];
const RULES = 'rule-based delineator (delineateBeats, at the record rate)';

type Fetched = { files: Record<string, Uint8Array> } | { reason: string };

async function fetchModelFiles(): Promise<Fetched> {
  const base = new URL('./weights/segmentation-v1/', document.baseURI);
  const out: Record<string, Uint8Array> = {};
  for (const f of MODEL_FILES) {
    const url = new URL(f, base);
    const res = await fetch(url).catch((e: unknown) => e as Error);
    if (res instanceof Error) return { reason: `fetching ${url.pathname} failed (${res.message})` };
    if (!res.ok) return { reason: `${url.pathname} answered HTTP ${res.status}` };
    // A dev server answers an unknown path with its index.html (SPA fallback): that is not a model file.
    const type = res.headers.get('content-type') ?? '';
    if (type.includes('text/html')) return { reason: `${url.pathname} answered an HTML page, not the model file (is the weights folder served?)` };
    out[f] = new Uint8Array(await res.arrayBuffer());
  }
  return { files: out };
}

function ruleBased(record: EcgRecord, rPeaks: Int32Array, reason: string): BrowserSegmentation {
  const waves = delineateBeats(record.signals, record.fs, rPeaks);
  return { waves, intervals: wavesToIntervals(waves, record.fs), sources: { P: RULES, QRS: RULES, T: RULES }, backend: 'none', fallbackReason: reason };
}

/** Waves, intervals and their sources for `record` (R-peaks from detectRPeaks at record.fs). */
export async function segmentInBrowser(record: EcgRecord, rPeaks: Int32Array): Promise<BrowserSegmentation> {
  const fetched = await fetchModelFiles();
  if ('reason' in fetched) return ruleBased(record, rPeaks, `no segmentation model: ${fetched.reason}`);
  // Loaded lazily: the plot and the peaks show before tfjs and the model are fetched.
  const { segmentationModelFromFiles } = await import('beat-ssl/heads');
  const { segmentRecord } = await import('beat-ssl/analysis');
  const tf = await import('@tensorflow/tfjs-core');
  let backend = 'cpu';
  try {
    const wasm = await import('@tensorflow/tfjs-backend-wasm');
    wasm.setWasmPaths(new URL('./wasm/', document.baseURI).href);
    if (await tf.setBackend('wasm')) backend = 'wasm';
  } catch {
    await import('@tensorflow/tfjs-backend-cpu');
    await tf.setBackend('cpu');
  }
  await tf.ready();
  const model = await segmentationModelFromFiles(fetched.files);
  try {
    const needed = model.preprocessing.leads === 'all' || model.preprocessing.leads === undefined ? [] : model.preprocessing.leads;
    const missing = missingLeads(record.leads, needed);
    if (missing.length > 0) {
      return ruleBased(record, rPeaks, `the model needs the leads ${needed.join(', ')}; this record lacks ${missing.join(', ')}`);
    }
    const { waves, intervals, sources } = await segmentRecord(record, model);
    const net = `segmentation network segmentation-v1 (at ${model.preprocessing.fs} Hz, mapped to ${record.fs} Hz)`;
    const source = (t: WaveKind) => (sources[t] === 'rules' ? RULES : net);
    return { waves, intervals, sources: { P: source('P'), QRS: source('QRS'), T: source('T') }, backend };
  } finally {
    model.dispose();
  }
}
