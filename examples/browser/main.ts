// beat-ssl browser demo: drop WFDB files → parse → detect R-peaks → segment → plot.
// Uses only public entry points (beat-ssl/io, /beats, /plot, and the segmentation model when the
// package ships weights). No Node APIs: the files are read with the File API.
import { parseRecord } from 'beat-ssl/io';
import { detectRPeaks } from 'beat-ssl/beats';
import { plotEcg12 } from 'beat-ssl/plot';
import type { EcgRecord, Wave } from 'beat-ssl/core';
import { segmentInBrowser } from './segment';

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
const status = $<HTMLDivElement>('status');
const summary = $<HTMLTableElement>('summary');
const plot = $<HTMLDivElement>('plot');
const drop = $<HTMLLabelElement>('drop');
const input = $<HTMLInputElement>('file-input');
const layoutSel = $<HTMLSelectElement>('layout');
const showWaves = $<HTMLInputElement>('show-waves');
const showPeaks = $<HTMLInputElement>('show-peaks');

interface State {
  record: EcgRecord;
  peaks: Int32Array;
  waves: Wave[] | null;
  notes: string[];
}
let state: State | null = null;

function setStatus(text: string, error = false): void {
  status.textContent = text;
  status.classList.toggle('error', error);
}

/** Groups dropped files into a header and its data files, by WFDB record name. */
async function readDropped(files: File[]): Promise<{ header: string; files: Record<string, Uint8Array>; name: string }> {
  const hea = files.find((f) => f.name.toLowerCase().endsWith('.hea'));
  if (!hea) throw new Error(`no .hea header among the dropped files (${files.map((f) => f.name).join(', ') || 'none'})`);
  const data: Record<string, Uint8Array> = {};
  for (const f of files) if (f !== hea) data[f.name] = new Uint8Array(await f.arrayBuffer());
  return { header: await hea.text(), files: data, name: hea.name.replace(/\.hea$/i, '') };
}

function render(): void {
  if (!state) return;
  const { record, peaks, waves } = state;
  const standard = ['I', 'II', 'III', 'AVR', 'AVL', 'AVF', 'V1', 'V2', 'V3', 'V4', 'V5', 'V6'].every((l) => record.leads.some((x) => x.toUpperCase() === l));
  const wanted = layoutSel.value;
  const layout = wanted === 'auto' ? (standard ? '3x4' : '12x1') : (wanted as '3x4' | '12x1');
  try {
    plot.innerHTML = plotEcg12(record, {
      layout: layout === '3x4' && !standard ? '12x1' : layout,
      rPeaks: showPeaks.checked && peaks ? peaks : undefined,
      waves: showWaves.checked && waves ? waves : undefined,
      pxPerMm: 4,
    });
    plot.dataset.layout = layout;
  } catch (err) {
    setStatus((err as Error).message, true);
  }
}

function renderSummary(s: State, ms: { peaks: number; segment: number }): void {
  const { record, peaks, waves } = s;
  const n = record.signals[0]?.length ?? 0;
  const rows: [string, string][] = [
    ['record', record.name],
    ['leads', `${record.leads.length}: ${record.leads.join(', ')}`],
    ['sampling rate', `${record.fs} Hz`],
    ['duration', `${(n / record.fs).toFixed(1)} s`],
  ];
  {
    const rr = Array.from(peaks.subarray(1), (p, i) => (p - peaks[i]) / record.fs);
    const mean = rr.reduce((a, b) => a + b, 0) / Math.max(1, rr.length);
    rows.push(['R-peaks', `${peaks.length} (${ms.peaks.toFixed(0)} ms)`], ['heart rate', rr.length ? `${(60 / mean).toFixed(0)} bpm` : '–']);
  }
  if (waves) {
    const count = (t: string) => waves.filter((w) => w.type === t).length;
    rows.push(['waves', `P ${count('P')}, QRS ${count('QRS')}, T ${count('T')} (${ms.segment.toFixed(0)} ms)`]);
  }
  for (const note of s.notes) rows.push(['note', note]);
  summary.innerHTML = rows.map(([k, v]) => `<tr><th>${k}</th><td>${v.replace(/</g, '&lt;')}</td></tr>`).join('');
  summary.hidden = false;
}

async function handleFiles(list: FileList | File[]): Promise<void> {
  const files = Array.from(list);
  try {
    setStatus('Reading…');
    const dropped = await readDropped(files);
    const record = parseRecord({ header: dropped.header, files: dropped.files });
    const notes: string[] = [];
    const t0 = performance.now();
    const peaks = detectRPeaks(record.signals, record.fs); // all leads combined, samples at record.fs
    const t1 = performance.now();
    state = { record, peaks, waves: null, notes };
    render();
    setStatus(`Loaded ${record.name}: ${record.leads.length} leads at ${record.fs} Hz, ${peaks.length} R-peaks. Segmenting…`);
    renderSummary(state, { peaks: t1 - t0, segment: 0 });
    const t2 = performance.now();
    const seg = await segmentInBrowser(record, peaks);
    const t3 = performance.now();
    state.waves = seg.waves;
    notes.push(`waves from the ${seg.source}${seg.backend !== 'none' ? ` (${seg.backend} backend)` : ''}`);
    render();
    renderSummary(state, { peaks: t1 - t0, segment: t3 - t2 });
    setStatus(`Done: ${record.name}, ${peaks.length} R-peaks, ${seg.waves.length} waves.`);
    document.body.dataset.ready = 'true';
  } catch (err) {
    setStatus(`Could not read the record: ${(err as Error).message}`, true);
    document.body.dataset.ready = 'error';
  }
}

input.addEventListener('change', () => {
  if (input.files?.length) void handleFiles(input.files);
});
drop.addEventListener('dragover', (e) => {
  e.preventDefault();
  drop.classList.add('over');
});
drop.addEventListener('dragleave', () => drop.classList.remove('over'));
drop.addEventListener('drop', (e) => {
  e.preventDefault();
  drop.classList.remove('over');
  if (e.dataTransfer?.files.length) void handleFiles(e.dataTransfer.files);
});
for (const el of [layoutSel, showWaves, showPeaks]) el.addEventListener('change', render);
