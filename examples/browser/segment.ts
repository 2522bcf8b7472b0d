// Segmentation in the browser with the model shipped in the package's weights/ folder, on the
// wasm backend (webgl as a fallback). Loaded lazily so the page shows the plot and peaks first.
import type { EcgRecord, Wave } from 'beat-ssl/core';

export interface BrowserSegmentation {
  waves: Wave[] | null;
  backend: string;
  note?: string;
}

export async function segmentInBrowser(record: EcgRecord): Promise<BrowserSegmentation> {
  const heads = (await import('beat-ssl/heads')) as Record<string, unknown>;
  const segmentRecord = heads.segmentRecord as ((r: EcgRecord, model?: unknown) => Promise<{ waves: Wave[] } | Wave[]>) | undefined;
  if (typeof segmentRecord !== 'function') return { waves: null, backend: 'none', note: 'segmentation model not available in this build' };
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
  const res = await segmentRecord(record);
  return { waves: Array.isArray(res) ? res : res.waves, backend };
}
