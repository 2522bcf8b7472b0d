// P/QRS/T waves for the page. With a segmentation model that the package can load from fetched
// files (shipped weights copied to ./weights/ by vite.config.ts), it runs on the tfjs wasm backend;
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

type FromFiles = (files: Record<string, Uint8Array>) => Promise<unknown>;
type Segment = (r: EcgRecord, model: unknown) => Promise<{ waves: Wave[] }>;

async function fetchModelFiles(): Promise<Record<string, Uint8Array> | null> {
  const base = new URL('./weights/segmentation-v1/', document.baseURI);
  const out: Record<string, Uint8Array> = {};
  for (const f of MODEL_FILES) {
    const res = await fetch(new URL(f, base)).catch(() => null);
    if (!res || !res.ok) return null;
    out[f] = new Uint8Array(await res.arrayBuffer());
  }
  return out;
}

export async function segmentInBrowser(record: EcgRecord, rPeaks: Int32Array): Promise<BrowserSegmentation> {
  const heads = (await import('beat-ssl/heads')) as unknown as Record<string, unknown>;
  const fromFiles = heads.segmentationModelFromFiles as FromFiles | undefined;
  const segment = heads.segmentRecord as Segment | undefined;
  const files = fromFiles && segment ? await fetchModelFiles() : null;
  if (fromFiles && segment && files) {
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
    const model = await fromFiles(files);
    try {
      const { waves } = await segment(record, model);
      return { waves, source: 'shipped segmentation model', backend };
    } finally {
      (model as { dispose?: () => void }).dispose?.();
    }
  }
  const waves = delineateBeats(record.signals, record.fs, rPeaks);
  return { waves, source: 'rule-based delineator (no segmentation weights loadable in this build)', backend: 'none' };
}
