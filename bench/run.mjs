#!/usr/bin/env node
/**
 * beat-ssl benchmark suite: `npm run bench` (full) or `npm run bench -- --quick` (< 5 min).
 *
 * - Model throughput (train step = forward + backward + Adam, and inference; records/s) of the
 *   `createEncoder` presets at 100 Hz (1000 × 12) and 500 Hz (5000 × 12), batch 32, on every tfjs
 *   backend that loads here (tensorflow whenever @tensorflow/tfjs-node loads), and the same
 *   architecture in PyTorch CPU (bench/pytorch_reference.py), in the same run, with ratios.
 *   Headline ratio: PyTorch on all of the machine's threads (what a user runs); PyTorch on 1 thread
 *   is reported beside it. PyTorch comes from $BEAT_SSL_TORCH_PYTHON, else the first
 *   `.venv-torch/bin/python` found in the repository or up to two folders above it (e.g.
 *   /work/.venv-torch: `python3 -m venv .venv-torch && .venv-torch/bin/pip install torch==2.13.0+cpu`),
 *   else $BEAT_SSL_PYTHON / /usr/bin/python3 (Debian's python3-torch).
 * - Signal throughput (src/signal filters and resampling, plus bench/rpeaks.ts and
 *   bench/augment-losses.ts when present) and the SciPy reference of the same operation
 *   (bench/signal_reference.py).
 * - Memory: peak RSS and tensor count over a training run (1,000 steps; 20 in --quick).
 *
 * TypeScript sources are run from src/ through tsx (`node --import tsx`), one child process per
 * measurement (a wasm out-of-memory or a crash is caught and reported, never fatal; each child's
 * RSS is its own). Nothing is installed; a missing PyTorch/SciPy is reported in the JSON.
 * Writes bench/results/latest.json and prints a summary table.
 *
 * Options: --quick, --presets small,base, --backends wasm,cpu,tensorflow, --no-pytorch,
 * --no-signal, --no-memory, --steps N (memory run), --reps N, --warmup N, --out FILE.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync, existsSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '..');
const argv = process.argv.slice(2);
const flag = (n) => argv.includes(`--${n}`);
const opt = (n, d) => {
  const i = argv.indexOf(`--${n}`);
  return i >= 0 && argv[i + 1] !== undefined ? argv[i + 1] : d;
};
const quick = flag('quick');
const PYTHON = process.env.BEAT_SSL_PYTHON ?? '/usr/bin/python3';
/** The Python that runs the PyTorch reference: see the module comment. */
function torchPython() {
  if (process.env.BEAT_SSL_TORCH_PYTHON) return { python: process.env.BEAT_SSL_TORCH_PYTHON, source: 'BEAT_SSL_TORCH_PYTHON' };
  let dir = root;
  for (let i = 0; i < 3; i++) {
    const c = path.join(dir, '.venv-torch', 'bin', 'python');
    if (existsSync(c)) return { python: c, source: 'venv' };
    dir = path.dirname(dir);
  }
  return { python: PYTHON, source: 'system' };
}
const TORCH = torchPython();
const CORES = os.cpus().length;
const started = Date.now();

const log = (s) => process.stderr.write(`[bench ${((Date.now() - started) / 1000).toFixed(0).padStart(4)}s] ${s}\n`);

/** Runs a child process, returns { code, stdout, stderr, timedOut }. */
function run(cmd, args, { input, timeoutMs = 600_000, env } = {}) {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { cwd: root, env: { ...process.env, ...env }, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, timeoutMs);
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', (e) => {
      clearTimeout(timer);
      resolve({ code: -1, stdout, stderr: stderr + String(e), timedOut });
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code: code ?? -1, signal, stdout, stderr, timedOut });
    });
    if (input !== undefined) child.stdin.end(input);
    else child.stdin.end();
  });
}

/** Last JSON line of a child's stdout, or an `{ error }` explaining why there is none. */
function lastJson(r, what) {
  const lines = r.stdout.trim().split('\n').filter((l) => l.startsWith('{'));
  if (lines.length) {
    try {
      return JSON.parse(lines[lines.length - 1]);
    } catch {
      /* fall through */
    }
  }
  const errLine = (r.stderr.match(/(RangeError|Error|RuntimeError|Aborted)[^\n]*/g) ?? []).pop() ?? r.stderr.trim().split('\n').pop();
  return { error: r.timedOut ? `${what}: timed out` : `${what}: exit ${r.code}${r.signal ? ` (${r.signal})` : ''}: ${errLine ?? ''}`.slice(0, 300) };
}

const tsx = (script, args, o) => run(process.execPath, ['--import', 'tsx', script, ...args], o);

// ---------------------------------------------------------------- machine
function machine() {
  const cpus = os.cpus();
  let torch = null;
  let scipy = null;
  const py = spawnSync(TORCH.python, ['-c', 'import torch, json; print(json.dumps({"torch": torch.__version__, "threads": torch.get_num_threads()}))'], { encoding: 'utf8' });
  if (py.status === 0) torch = { ...JSON.parse(py.stdout.trim()), python: TORCH.python, source: TORCH.source };
  const sp = spawnSync(PYTHON, ['-c', 'import scipy, numpy; print(scipy.__version__ + " " + numpy.__version__)'], { encoding: 'utf8' });
  if (sp.status === 0) scipy = sp.stdout.trim();
  const pkg = (name) => {
    try {
      return JSON.parse(readFileSync(path.join(root, 'node_modules', name, 'package.json'), 'utf8')).version;
    } catch {
      return null;
    }
  };
  return {
    cpu: cpus[0]?.model ?? 'unknown',
    cores: cpus.length,
    memGB: +(os.totalmem() / 2 ** 30).toFixed(1),
    platform: `${os.platform()} ${os.arch()}`,
    node: process.version,
    tfjs: pkg('@tensorflow/tfjs-core'),
    tfjsWasm: pkg('@tensorflow/tfjs-backend-wasm'),
    tfjsNode: pkg('@tensorflow/tfjs-node'),
    pytorch: torch,
    scipyNumpy: scipy,
    loadAvgStart: os.loadavg().map((x) => +x.toFixed(2)),
    note: 'CPU shared with other processes: compare ratios measured in the same run (loadAvg shows contention).',
  };
}

// ---------------------------------------------------------------- plan
const presets = opt('presets', 'small,base').split(',');
const reps = Number(opt('reps', quick ? 3 : 5));
/** Untimed warm-up repetitions, the same for every backend and PyTorch (PyTorch's 2-thread inference needs 2-3). */
const WARMUP = Number(opt('warmup', 2));
const BATCH = 32;

async function detectAuto() {
  const r = await tsx('bench/model.ts', ['--backend', 'auto', '--mode', 'probe'], { timeoutMs: 120_000 });
  const j = lastJson(r, 'setBackend(auto)');
  return j.setBackend ?? { name: null, tried: [], error: j.error };
}

/** Which backends to measure: all that load (tensorflow only when tfjs-node is installed). */
async function availableBackends(auto) {
  const wanted = opt('backends', 'tensorflow,wasm,cpu').split(',');
  const out = [];
  for (const b of wanted) {
    if (b === 'tensorflow' && auto?.name !== 'tensorflow') {
      const r = await tsx('bench/model.ts', ['--backend', 'tensorflow', '--mode', 'probe'], { timeoutMs: 120_000 });
      if (lastJson(r, 'tensorflow probe').setBackend?.name !== 'tensorflow') {
        log('tensorflow backend: does not load here (node scripts/setup-tfjs-node.mjs sets it up); no tensorflow rows');
        continue;
      }
    }
    out.push(b);
  }
  if (auto?.name && !out.includes(auto.name)) out.unshift(auto.name);
  return out;
}

/**
 * Model runs per backend. The pure-JS cpu backend is ~100-1000x slower: batch 2, 1 rep, 1000 samples,
 * small preset only in --quick.
 */
function modelRuns(backend) {
  const runs = [];
  for (const preset of presets) {
    for (const time of [1000, 5000]) {
      if (backend === 'cpu') {
        if (time !== 1000 || (quick && preset !== 'small')) continue;
        runs.push({ preset, time, batch: quick ? 1 : 2, reps: 1, warmup: 0 });
        continue;
      }
      if (quick && preset === 'base' && time === 5000) continue;
      // --quick: the headline run (small, 1000) keeps `reps`; the others get one timed repetition.
      const headline = preset === 'small' && time === 1000;
      runs.push({ preset, time, batch: BATCH, reps: quick && !headline ? 1 : time === 5000 ? Math.min(reps, 2) : reps, warmup: time === 5000 ? 1 : WARMUP });
    }
  }
  return runs;
}

async function benchModelChild(backend, r) {
  const args = ['--backend', backend, '--preset', r.preset, '--time', String(r.time), '--batch', String(r.batch), '--reps', String(r.reps), '--warmup', String(r.warmup)];
  const res = await tsx('bench/model.ts', args, { timeoutMs: quick ? 240_000 : 1_800_000, env: { TF_CPP_MIN_LOG_LEVEL: '2' } });
  const j = lastJson(res, `${backend} ${r.preset}@${r.time}`);
  if (j.error && /memory|out of bounds|Aborted|allocat/i.test(j.error)) j.outOfMemory = true;
  return { backend, ...r, ...j };
}

/** PyTorch runs on `threads` threads (the machine's count for the headline, 1 beside it). */
async function pytorchRuns(configs, threads) {
  if (flag('no-pytorch')) return { skipped: 'disabled with --no-pytorch', runs: [] };
  const out = [];
  for (const { preset, config, runs } of configs) {
    if (!config) continue;
    const job = JSON.stringify({ spec: config, runs: runs.map((r) => ({ time: r.time, batch: r.batch, leads: config.leads })), reps, warmup: WARMUP, threads });
    // Passive OpenMP waiting: on a machine shared with other processes, spinning worker threads wreck
    // PyTorch's wall clock (3 rec/s measured at load 16 on 2 cores) and inflate its CPU time.
    const res = await run(TORCH.python, [path.join('bench', 'pytorch_reference.py'), '-'], { input: job, timeoutMs: quick ? 240_000 : 1_800_000, env: { OMP_WAIT_POLICY: process.env.OMP_WAIT_POLICY ?? 'PASSIVE' } });
    if (res.code !== 0 && !res.stdout.trim()) return { skipped: `PyTorch not available (${TORCH.python}: ${res.stderr.trim().split('\n').pop()})`, runs: out };
    for (const line of res.stdout.trim().split('\n')) {
      if (!line.startsWith('{')) continue;
      const j = JSON.parse(line);
      if (j.error && /PyTorch missing/.test(j.error)) return { skipped: j.error, runs: out };
      out.push({ backend: threads === 1 ? 'pytorch-1t' : 'pytorch', preset, ...j });
    }
  }
  return { runs: out };
}

// ---------------------------------------------------------------- signal
async function signalBench() {
  if (flag('no-signal')) return { skipped: 'disabled with --no-signal' };
  const r = await tsx('bench/signal.ts', quick ? ['--quick'] : [], { timeoutMs: quick ? 180_000 : 900_000 });
  const js = lastJson(r, 'bench/signal.ts');
  const p = await run(PYTHON, [path.join('bench', 'signal_reference.py')].concat(quick ? ['--quick'] : []), { timeoutMs: 300_000 });
  const ref = p.code === 0 ? lastJson(p, 'signal_reference.py') : { error: `SciPy reference unavailable: ${p.stderr.trim().split('\n').pop()}` };
  const ops = {};
  for (const [name, v] of Object.entries(js.ops ?? {})) {
    const sp = ref.ops?.[name];
    ops[name] = {
      ...v,
      scipyRecordsPerSec: sp?.recordsPerSec ?? null,
      scipyRecordsPerCpuSec: sp?.recordsPerCpuSec ?? null,
      scipyOp: sp?.op ?? null,
      ratioVsScipy: sp?.recordsPerSec ? v.recordsPerSec / sp.recordsPerSec : null,
      cpuRatioVsScipy: sp?.recordsPerCpuSec && v.recordsPerCpuSec ? v.recordsPerCpuSec / sp.recordsPerCpuSec : null,
    };
  }
  return { ops, ...(js.error ? { error: js.error } : {}), ...(ref.error ? { scipyError: ref.error } : {}), extra: js.extra ?? {} };
}

// ---------------------------------------------------------------- memory
async function memoryBench(backend) {
  if (flag('no-memory')) return { skipped: 'disabled with --no-memory' };
  const steps = Number(opt('steps', quick ? 20 : 1000));
  const r = await tsx('bench/model.ts', ['--backend', backend, '--mode', 'memory', '--preset', 'small', '--time', '1000', '--batch', String(BATCH), '--steps', String(steps)], { timeoutMs: quick ? 200_000 : 3_600_000 });
  const j = lastJson(r, 'memory run');
  delete j.setBackend;
  return { ...j, stepsRequested: steps, quickMode: quick, ...(quick ? { note: `quick mode: ${steps} steps instead of 1000` } : {}) };
}

// ---------------------------------------------------------------- main
const fmt = (x, d = 1) => (x === null || x === undefined || Number.isNaN(x) ? '—' : Number(x).toFixed(Math.abs(x) > 0 && Math.abs(x) < 1 && d === 1 ? 3 : d));

async function main() {
  const results = { machine: machine(), quick, command: `node bench/run.mjs ${argv.join(' ')}`.trim() };
  log(`machine: ${results.machine.cpu}, ${results.machine.cores} cores, load ${results.machine.loadAvgStart.join(' ')}`);
  const auto = await detectAuto();
  results.auto = auto;
  log(`setBackend('auto') → ${auto.name}`);
  const backends = await availableBackends(auto);
  const all = [];
  const configs = new Map();
  for (const backend of backends) {
    for (const r of modelRuns(backend)) {
      log(`model ${backend} ${r.preset} ${r.time}x12 batch ${r.batch} ...`);
      const m = await benchModelChild(backend, r);
      delete m.setBackend;
      all.push(m);
      if (m.config && !configs.has(m.preset)) configs.set(m.preset, m.config);
      log(`  train ${fmt(m.trainRecordsPerSec)} rec/s, infer ${fmt(m.inferRecordsPerSec)} rec/s${m.error ? ` (${m.error})` : ''}`);
    }
  }
  log('pytorch reference ...');
  const ptJobs = [...configs].map(([preset, config]) => ({
    preset,
    config,
    runs: presets.includes(preset) ? [1000, 5000].filter((t) => !(quick && preset === 'base' && t === 5000)).map((time) => ({ time, batch: BATCH })) : [],
  }));
  // Headline anchor: PyTorch on all of the machine's threads; 1 thread beside it. Same run, right after.
  const pt = await pytorchRuns(ptJobs, CORES);
  for (const p of pt.runs) log(`  pytorch (${p.threads} threads) ${p.preset} ${p.time}: train ${fmt(p.trainRecordsPerSec)} infer ${fmt(p.inferRecordsPerSec)}${p.error ? ` (${p.error})` : ''}`);
  const pt1 = CORES > 1 ? await pytorchRuns(ptJobs, 1) : { runs: pt.runs.map((r) => ({ ...r, backend: 'pytorch-1t' })), ...(pt.skipped ? { skipped: pt.skipped } : {}) };
  for (const p of pt1.runs) log(`  pytorch (1 thread) ${p.preset} ${p.time}: train ${fmt(p.trainRecordsPerSec)} infer ${fmt(p.inferRecordsPerSec)}${p.error ? ` (${p.error})` : ''}`);
  const ratio = (a, b) => (a && b ? a / b : null);
  // Ratios against PyTorch for the same preset and length.
  for (const m of all) {
    const p = pt.runs.find((q) => q.preset === m.preset && q.time === m.time);
    const p1 = pt1.runs.find((q) => q.preset === m.preset && q.time === m.time);
    m.pytorchThreads = p?.threads ?? null;
    m.pytorchTrainRecordsPerSec = p?.trainRecordsPerSec ?? null;
    m.pytorchInferRecordsPerSec = p?.inferRecordsPerSec ?? null;
    m.trainRatioVsPytorch = ratio(m.trainRecordsPerSec, p?.trainRecordsPerSec);
    m.inferRatioVsPytorch = ratio(m.inferRecordsPerSec, p?.inferRecordsPerSec);
    m.trainRatioVsPytorch1Thread = ratio(m.trainRecordsPerSec, p1?.trainRecordsPerSec);
    m.inferRatioVsPytorch1Thread = ratio(m.inferRecordsPerSec, p1?.inferRecordsPerSec);
    // Same ratios on CPU time (records per CPU-second, all threads): robust to other processes' load.
    m.trainCpuRatioVsPytorch = ratio(m.trainRecordsPerCpuSec, p?.trainRecordsPerCpuSec);
    m.inferCpuRatioVsPytorch = ratio(m.inferRecordsPerCpuSec, p?.inferRecordsPerCpuSec);
  }
  results.models = all;
  results.pytorch = { ...pt, threads: CORES, python: TORCH.python, oneThread: pt1 };
  /** Goals of issue 14 (small, 1000 × 12, batch 32, against PyTorch on all cores). */
  const GOALS = { tensorflow: { train: 0.6, infer: 1.2 }, wasm: { train: 0.2, infer: 0.5 } };
  const summary = (head) =>
    head && {
      backend: head.backend,
      preset: 'small',
      input: '1000x12',
      batch: head.batch,
      trainRecordsPerSec: head.trainRecordsPerSec,
      inferRecordsPerSec: head.inferRecordsPerSec,
      pytorchThreads: head.pytorchThreads,
      pytorchTrainRecordsPerSec: head.pytorchTrainRecordsPerSec,
      pytorchInferRecordsPerSec: head.pytorchInferRecordsPerSec,
      trainRatioVsPytorch: head.trainRatioVsPytorch,
      inferRatioVsPytorch: head.inferRatioVsPytorch,
      trainRatioVsPytorch1Thread: head.trainRatioVsPytorch1Thread,
      inferRatioVsPytorch1Thread: head.inferRatioVsPytorch1Thread,
      trainCpuRatioVsPytorch: head.trainCpuRatioVsPytorch,
      inferCpuRatioVsPytorch: head.inferCpuRatioVsPytorch,
      ...(GOALS[head.backend]
        ? {
            goal: {
              trainRatio: GOALS[head.backend].train,
              inferRatio: GOALS[head.backend].infer,
              against: `PyTorch ${results.machine.pytorch?.torch ?? '?'} on ${head.pytorchThreads ?? '?'} threads, wall clock, same run`,
              reached: {
                train: (head.trainRatioVsPytorch ?? 0) >= GOALS[head.backend].train,
                infer: (head.inferRatioVsPytorch ?? 0) >= GOALS[head.backend].infer,
              },
            },
          }
        : {}),
      ...(pt.skipped ? { pytorch: pt.skipped } : {}),
    };
  results.modelByBackend = Object.fromEntries(
    all.filter((m) => m.preset === 'small' && m.time === 1000).map((m) => [m.backend, summary(m)]),
  );
  // `model`: the backend setBackend('auto') picks here.
  results.model = results.modelByBackend[auto.name] ?? null;
  log('signal ...');
  results.signal = await signalBench();
  log('memory ...');
  results.memory = await memoryBench(auto.name ?? 'wasm');
  results.machine.loadAvgEnd = os.loadavg().map((x) => +x.toFixed(2));
  results.seconds = (Date.now() - started) / 1000;

  const outFile = path.resolve(root, opt('out', 'bench/results/latest.json'));
  mkdirSync(path.dirname(outFile), { recursive: true });
  writeFileSync(outFile, JSON.stringify(results, null, 2) + '\n');

  // ---------------------------------------------------------------- table
  const p = (s, n) => String(s).padEnd(n);
  const q = (s, n) => String(s).padStart(n);
  const lines = [];
  lines.push(`beat-ssl bench${quick ? ' (quick)' : ''}: ${results.machine.cpu}, ${results.machine.cores} cores, node ${process.version}, load ${results.machine.loadAvgStart.join('/')} → ${results.machine.loadAvgEnd.join('/')}`);
  lines.push(`setBackend('auto') → ${auto.name}   PyTorch: ${pt.skipped ?? `${results.machine.pytorch?.torch} (${TORCH.python}) on ${CORES} threads (×torch) and 1 thread (×1t)`}`);
  lines.push('');
  lines.push(`${p('backend', 12)}${p('preset', 7)}${q('input', 9)}${q('batch', 6)}${q('train/s', 9)}${q('×torch', 8)}${q('×1t', 6)}${q('(cpu)', 7)}${q('infer/s', 9)}${q('×torch', 8)}${q('×1t', 6)}${q('(cpu)', 7)}  note`);
  const ref = (b) => b === 'pytorch' || b === 'pytorch-1t';
  const rows = [...all, ...pt.runs, ...(CORES > 1 ? pt1.runs : [])];
  for (const m of rows) {
    const r = (x) => (ref(m.backend) ? '—' : fmt(x, 2));
    lines.push(
      `${p(m.backend, 12)}${p(m.preset, 7)}${q(`${m.time}x12`, 9)}${q(m.batch, 6)}${q(fmt(m.trainRecordsPerSec), 9)}${q(r(m.trainRatioVsPytorch), 8)}${q(r(m.trainRatioVsPytorch1Thread), 6)}${q(r(m.trainCpuRatioVsPytorch), 7)}${q(fmt(m.inferRecordsPerSec), 9)}${q(r(m.inferRatioVsPytorch), 8)}${q(r(m.inferRatioVsPytorch1Thread), 6)}${q(r(m.inferCpuRatioVsPytorch), 7)}  ${m.error ? (m.outOfMemory ? 'OOM: ' : 'error: ') + m.error.slice(0, 60) : ''}`,
    );
  }
  if (results.signal.ops) {
    lines.push('');
    lines.push(`${p('signal op (12x5000 @500 Hz)', 40)}${q('records/s', 11)}${q('scipy/s', 11)}${q('×scipy', 8)}${q('(cpu)', 7)}`);
    for (const [name, v] of Object.entries(results.signal.ops)) {
      lines.push(`${p(name, 40)}${q(fmt(v.recordsPerSec), 11)}${q(fmt(v.scipyRecordsPerSec), 11)}${q(fmt(v.ratioVsScipy, 2), 8)}${q(fmt(v.cpuRatioVsScipy, 2), 7)}`);
    }
    const ex = results.signal.extra ?? {};
    for (const [k, v] of Object.entries(ex)) lines.push(`${k}: ${JSON.stringify(v).slice(0, 150)}`);
  } else if (results.signal.skipped || results.signal.error) lines.push(`signal: ${results.signal.skipped ?? results.signal.error}`);
  const mem = results.memory;
  lines.push('');
  lines.push(
    mem.skipped
      ? `memory: ${mem.skipped}`
      : `memory (${mem.backend}, small, 1000x12, batch ${mem.batch}, ${mem.steps} steps${quick ? ', quick' : ''}): peak RSS ${fmt(mem.peakRssMB, 0)} MB, tensors ${mem.numTensorsAfterFirstStep} → ${mem.numTensorsAfterLastStep} (${mem.tensorsConstant ? 'constant' : 'NOT constant'})${mem.error ? `, error: ${mem.error}` : ''}`,
  );
  lines.push(`×torch: wall-clock ratio to PyTorch on ${CORES} threads (the headline); ×1t: to PyTorch on 1 thread; (cpu): ratio of records per CPU-second (all threads) to PyTorch on ${CORES} threads, robust to load from other processes.`);
  lines.push(`wrote ${path.relative(root, outFile)} in ${fmt(results.seconds, 0)} s`);
  process.stdout.write(lines.join('\n') + '\n');
}

main().catch((e) => {
  process.stderr.write(`bench failed: ${e?.stack ?? e}\n`);
  process.exit(1);
});
