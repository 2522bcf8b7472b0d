// beat-ssl browser demo: drop WFDB files → parse → detect R-peaks → segment → intervals → plot,
// 10 s at a time (◀ ▶ page through long records). Uses only public entry points (beat-ssl/io,
// /beats, /plot, /heads and the shipped segmentation model). No Node APIs: the files are read
// with the File API. The summary says which waves come from the network and which from rules.
import { parseRecord } from 'beat-ssl/io';
import { detectRPeaks } from 'beat-ssl/beats';
import { plotEcg12 } from 'beat-ssl/plot';
import { missingLeads, type EcgRecord, type Wave } from 'beat-ssl/core';
import { segmentInBrowser, type BrowserSegmentation } from './segment';

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
const status = $<HTMLDivElement>('status');
const summary = $<HTMLTableElement>('summary');
const plot = $<HTMLDivElement>('plot');
const drop = $<HTMLLabelElement>('drop');
const input = $<HTMLInputElement>('file-input');
const layoutSel = $<HTMLSelectElement>('layout');
const showWaves = $<HTMLInputElement>('show-waves');
const showPeaks = $<HTMLInputElement>('show-peaks');
const prev = $<HTMLButtonElement>('prev');
const next = $<HTMLButtonElement>('next');
const windowLabel = $<HTMLSpanElement>('window');

/** Seconds shown at once (one ECG printout). */
const WINDOW_SEC = 10;

interface State {
  record: EcgRecord;
  peaks: Int32Array;
  waves: Wave[] | null;
  seg: BrowserSegmentation | null;
  notes: string[];
  /** Start of the shown window (s). */
  startSec: number;
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

function durationSec(record: EcgRecord): number {
  return (record.signals[0]?.length ?? 0) / record.fs;
}

function render(): void {
  if (!state) return;
  const { record, peaks, waves, startSec } = state;
  const total = durationSec(record);
  const shown = Math.min(WINDOW_SEC, total - startSec);
  windowLabel.textContent = `${startSec.toFixed(0)}–${(startSec + shown).toFixed(0)} s of ${total.toFixed(1)} s`;
  prev.disabled = startSec <= 0;
  next.disabled = startSec + WINDOW_SEC >= total;
  const standard = missingLeads(record.leads).length === 0;
  const wanted = layoutSel.value;
  const layout = wanted === 'auto' ? (standard ? '3x4' : '12x1') : (wanted as '3x4' | '12x1');
  try {
    plot.innerHTML = plotEcg12(record, {
      layout: layout === '3x4' && !standard ? '12x1' : layout,
      rPeaks: showPeaks.checked && peaks ? peaks : undefined,
      waves: showWaves.checked && waves ? waves : undefined,
      startSec,
      durationSec: WINDOW_SEC,
      pxPerMm: 4,
    });
    plot.dataset.layout = layout;
    plot.dataset.startSec = String(startSec);
  } catch (err) {
    setStatus((err as Error).message, true);
  }
}

const fmtMs = (v: number) => (Number.isFinite(v) ? `${v.toFixed(0)} ms` : '–');

function renderSummary(s: State, ms: { peaks: number; segment: number }): void {
  const { record, peaks, waves, seg } = s;
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
  if (waves && seg) {
    const count = (t: string) => waves.filter((w) => w.type === t).length;
    rows.push(['waves', `P ${count('P')}, QRS ${count('QRS')}, T ${count('T')} (${ms.segment.toFixed(0)} ms)`]);
    for (const t of ['P', 'QRS', 'T'] as const) rows.push([`${t} waves from`, seg.sources[t] + (seg.sources[t].startsWith('segmentation network') ? `, ${seg.backend} backend` : '')]);
    if (seg.fallbackReason) rows.push(['network not used', seg.fallbackReason]);
    const iv = seg.intervals;
    rows.push(['PR interval', fmtMs(iv.prMs)], ['QRS duration', fmtMs(iv.qrsMs)], ['QT interval', fmtMs(iv.qtMs)], ['QTc (Bazett)', fmtMs(iv.qtcMs)]);
    rows.push(['intervals', `medians over ${iv.beats.length} beats of the whole record (wavesToIntervals)`]);
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
    state = { record, peaks, waves: null, seg: null, notes, startSec: 0 };
    render();
    setStatus(`Loaded ${record.name}: ${record.leads.length} leads at ${record.fs} Hz, ${peaks.length} R-peaks. Segmenting…`);
    renderSummary(state, { peaks: t1 - t0, segment: 0 });
    const t2 = performance.now();
    const seg = await segmentInBrowser(record, peaks);
    const t3 = performance.now();
    state.waves = seg.waves;
    state.seg = seg;
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
function page(delta: number): void {
  if (!state) return;
  const total = durationSec(state.record);
  const last = Math.max(0, Math.ceil(total / WINDOW_SEC - 1) * WINDOW_SEC);
  state.startSec = Math.min(last, Math.max(0, state.startSec + delta * WINDOW_SEC));
  render();
}
prev.addEventListener('click', () => page(-1));
next.addEventListener('click', () => page(1));
