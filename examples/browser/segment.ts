// P/QRS/T waves for the page. With the package's segmentation weights (copied to
// ./weights/segmentation-v1/ by vite.config.ts, fetched and loaded with segmentationModelFromFiles), it runs on the tfjs wasm backend;
// otherwise the rule-based delineator of beat-ssl/beats gives the waves, and the page says which.
import type { EcgRecord, Wave } from 'beat-ssl/core';
import { delineateBeats } from 'beat-ssl/beats';

export interface BrowserSegmentation {
  waves: Wave[];
  /** What produced the waves. */
  source: string;
  /** tfjs backend used ('none' for the rule-based delineator). */
  backend: string;
}

/** Files of a saved segmentation model folder, as the package writes it. */
const MODEL_FILES = ['model.json', 'weights.bin', 'segmenter.json', 'preprocess.json'];

async function fetchModelFiles(): Promise<Record<string, Uint8Array> | null> {
  const base = new URL('./weights/segmentation-v1/', document.baseURI);
  const out: Record<string, Uint8Array> = {};
  for (const f of MODEL_FILES) {
    const res = await fetch(new URL(f, base)).catch(() => null);
    // A dev server may answer a missing file with its index.html (SPA fallback): not a model.
    if (!res || !res.ok || (res.headers.get('content-type') ?? '').includes('text/html')) return null;
    out[f] = new Uint8Array(await res.arrayBuffer());
  }
  return out;
}

export async function segmentInBrowser(record: EcgRecord, rPeaks: Int32Array): Promise<BrowserSegmentation> {
  const files = await fetchModelFiles();
  if (files) {
    // Loaded lazily: the plot and the peaks show before tfjs and the model are fetched.
    const { segmentationModelFromFiles, segmentRecord } = await import('beat-ssl/heads');
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
    const model = await segmentationModelFromFiles(files);
    try {
      const { waves } = await segmentRecord(record, model);
      return { waves, source: 'shipped segmentation model', backend };
    } finally {
      model.dispose();
    }
  }
  const waves = delineateBeats(record.signals, record.fs, rPeaks);
  return { waves, source: 'rule-based delineator (no segmentation weights in this build)', backend: 'none' };
}
