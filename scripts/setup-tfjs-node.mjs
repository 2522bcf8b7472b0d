#!/usr/bin/env node
// Sets up the optional native TensorFlow backend (@tensorflow/tfjs-node) for this checkout, on a
// machine that cannot download tfjs-node's prebuilt libtensorflow: the TensorFlow C library is taken
// from the `tensorflow-cpu` wheel of the machine's Python package index instead.
//
//   node scripts/setup-tfjs-node.mjs              set up, exit 1 when it cannot be done
//   node scripts/setup-tfjs-node.mjs --optional   set up when possible, say why not, exit 0 (CI)
//   node scripts/setup-tfjs-node.mjs --check      only report whether the tensorflow backend loads
//
// Steps (each skipped when already done):
//  1. `pip download --no-deps tensorflow-cpu==<TF_VERSION>` into $BEAT_SSL_CACHE/wheels
//     (default ~/.cache/beat-ssl; BEAT_SSL_TF_WHEEL names a wheel file directly).
//  2. extract libtensorflow_cc.so.2, libtensorflow_framework.so.2 and the C API headers from it
//     into $BEAT_SSL_CACHE/libtensorflow-<TF_VERSION> (shared by every checkout).
//  3. `npm install --ignore-scripts @tensorflow/tfjs-node@<version of tfjs-core>` into a private tree
//     .cache/tfjs-node/ of this checkout (its own dependencies never mix with ours); its copies of
//     tfjs-core, tfjs-layers and tfjs-backend-cpu are replaced by links to this checkout's, so the
//     app has exactly one tfjs instance.
//  4. link the library into the package's deps/ and compile its N-API binding with node-gyp against
//     the local Node headers (tfjs-node's own install script with build-from-source).
//  5. link node_modules/@tensorflow/tfjs-node to it and check that `tf.getBackend()` is `tensorflow`.
// `npm ci` removes the link of step 5 (it is not in package-lock.json): run this script again after it.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, symlinkSync, lstatSync, writeFileSync, renameSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const TF_VERSION = process.env.BEAT_SSL_TF_VERSION ?? '2.21.0';
const args = new Set(process.argv.slice(2));
const optional = args.has('--optional');
const checkOnly = args.has('--check');
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const cache = path.resolve(process.env.BEAT_SSL_CACHE ?? path.join(os.homedir(), '.cache', 'beat-ssl'));
const scratch = path.join(root, '.cache', 'tfjs-node');
const linkPath = path.join(root, 'node_modules', '@tensorflow', 'tfjs-node');
const SHARED = ['tfjs-core', 'tfjs-layers', 'tfjs-backend-cpu'];

function say(msg) {
  process.stderr.write(`setup-tfjs-node: ${msg}\n`);
}

function stop(msg) {
  say(`${msg}\nsetup-tfjs-node: the tensorflow backend is NOT set up; beat-ssl will use wasm (tests of the tensorflow lane skip).`);
  process.exit(optional || checkOnly ? 0 : 1);
}

function run(cmd, argv, opts = {}) {
  const r = spawnSync(cmd, argv, { encoding: 'utf8', ...opts });
  return { ok: r.status === 0, out: `${r.stdout ?? ''}${r.stderr ?? ''}`, error: r.error };
}

/** Runs a probe in a child process: does the tensorflow backend load from this checkout? */
function probe() {
  const code = [
    "const tf = await import('@tensorflow/tfjs-core');",
    "await import('@tensorflow/tfjs-node');",
    "const y = tf.conv1d(tf.ones([1, 8, 2]), tf.ones([3, 2, 4]), 1, 'same');",
    "const s = (await y.sum().data())[0];",
    "console.log(JSON.stringify({ backend: tf.getBackend(), sum: s, version: tf.version_core }));",
  ].join('\n');
  const r = run(process.execPath, ['--input-type=module', '-e', code], {
    cwd: root,
    env: { ...process.env, TF_CPP_MIN_LOG_LEVEL: '2' },
  });
  if (!r.ok) return { ok: false, why: r.out.split('\n').filter(Boolean).slice(-3).join(' | ') };
  try {
    const j = JSON.parse(r.out.trim().split('\n').filter((l) => l.startsWith('{')).pop());
    // 8 samples, kernel 3, 'same': 6 inner outputs see 3·2 ones, 2 edges see 2·2; times 4 filters.
    const ok = j.backend === 'tensorflow' && j.sum === (6 * 6 + 2 * 4) * 4;
    return { ok, why: ok ? '' : `unexpected probe result ${JSON.stringify(j)}`, ...j };
  } catch {
    return { ok: false, why: `unreadable probe output: ${r.out.slice(0, 300)}` };
  }
}

const first = probe();
if (first.ok) {
  say(`ok: @tensorflow/tfjs-node loads (backend tensorflow, tfjs ${first.version}).`);
  process.exit(0);
}
if (checkOnly) stop(`not available (${first.why}).`);

const corePkg = path.join(root, 'node_modules', '@tensorflow', 'tfjs-core', 'package.json');
if (!existsSync(corePkg)) stop('node_modules/@tensorflow/tfjs-core is missing: run `npm ci` first.');
const tfjsVersion = JSON.parse(readFileSync(corePkg, 'utf8')).version;
if (os.platform() !== 'linux' || os.arch() !== 'x64') {
  stop(`this recipe is for linux-x64 (the tensorflow-cpu wheel's C library); here ${os.platform()}-${os.arch()}: install @tensorflow/tfjs-node normally (npm install @tensorflow/tfjs-node).`);
}

// 1. The wheel.
let wheel = process.env.BEAT_SSL_TF_WHEEL ?? null;
const wheelDir = path.join(cache, 'wheels');
const findWheel = () =>
  existsSync(wheelDir) ? readdirSync(wheelDir).find((f) => f.startsWith(`tensorflow_cpu-${TF_VERSION}-`) && f.endsWith('.whl')) : undefined;
if (!wheel) {
  let found = findWheel();
  if (!found) {
    mkdirSync(wheelDir, { recursive: true });
    say(`downloading tensorflow-cpu==${TF_VERSION} from the configured Python package index ...`);
    const py = ['python3', 'python'].find((p) => run(p, ['--version']).ok);
    if (!py) stop('python3 not found (needed for `pip download`).');
    const r = run(py, ['-m', 'pip', 'download', '--no-deps', `tensorflow-cpu==${TF_VERSION}`, '-d', wheelDir]);
    found = findWheel();
    if (!r.ok || !found) stop(`pip could not fetch tensorflow-cpu==${TF_VERSION}: ${r.out.trim().split('\n').slice(-2).join(' | ')}`);
  }
  wheel = path.join(wheelDir, found);
}
if (!existsSync(wheel)) stop(`BEAT_SSL_TF_WHEEL=${wheel} does not exist.`);

// 2. The C library and headers, extracted once per TensorFlow version.
const libDir = path.join(cache, `libtensorflow-${TF_VERSION}`);
if (!existsSync(path.join(libDir, '.complete'))) {
  say(`extracting the TensorFlow C library from ${path.basename(wheel)} ...`);
  const tmp = `${libDir}.tmp-${process.pid}`;
  rmSync(tmp, { recursive: true, force: true });
  const py = `
import sys, zipfile, os, shutil
whl, out = sys.argv[1], sys.argv[2]
z = zipfile.ZipFile(whl)
want_lib = {'tensorflow/libtensorflow_cc.so.2', 'tensorflow/libtensorflow_framework.so.2'}
prefixes = ('tensorflow/include/tensorflow/c/', 'tensorflow/include/xla/tsl/c/')
ctstring = ('tensorflow/include/tensorflow/core/platform/ctstring', 'tensorflow/include/tsl/platform/ctstring')
n = 0
for info in z.infolist():
    name = info.filename
    if name.endswith('/'):
        continue
    if name in want_lib:
        dest = os.path.join(out, 'lib', os.path.basename(name))
    elif name.startswith(prefixes) or name.startswith(ctstring):
        dest = os.path.join(out, 'include', name[len('tensorflow/include/'):])
    else:
        continue
    os.makedirs(os.path.dirname(dest), exist_ok=True)
    with z.open(info) as src, open(dest, 'wb') as dst:
        shutil.copyfileobj(src, dst, 1 << 20)
    n += 1
print(n)
`;
  const r = run('python3', ['-c', py, wheel, tmp]);
  if (!r.ok) stop(`could not extract the wheel: ${r.out.slice(-400)}`);
  for (const f of ['libtensorflow_cc.so.2', 'libtensorflow_framework.so.2']) {
    if (!existsSync(path.join(tmp, 'lib', f))) stop(`the wheel has no tensorflow/${f}`);
  }
  const lib = path.join(tmp, 'lib');
  symlinkSync('libtensorflow_cc.so.2', path.join(lib, 'libtensorflow.so'));
  // tfjs-node 4.x looks for libtensorflow.so.2.9.1 (the version it was written for); TF 2.21's C API
  // is a superset, so the same library answers under that name.
  symlinkSync('libtensorflow_cc.so.2', path.join(lib, 'libtensorflow.so.2.9.1'));
  symlinkSync('libtensorflow_cc.so.2', path.join(lib, 'libtensorflow.so.2'));
  symlinkSync('libtensorflow_framework.so.2', path.join(lib, 'libtensorflow_framework.so'));
  writeFileSync(path.join(tmp, '.complete'), `${path.basename(wheel)}\n`);
  rmSync(libDir, { recursive: true, force: true });
  renameSync(tmp, libDir);
}

// 3. tfjs-node in a private tree of this checkout.
const pkgDir = path.join(scratch, 'node_modules', '@tensorflow', 'tfjs-node');
const pkgJson = path.join(pkgDir, 'package.json');
const installed = existsSync(pkgJson) && JSON.parse(readFileSync(pkgJson, 'utf8')).version === tfjsVersion;
if (!installed) {
  say(`installing @tensorflow/tfjs-node@${tfjsVersion} (without its install script) into .cache/tfjs-node ...`);
  rmSync(scratch, { recursive: true, force: true });
  mkdirSync(scratch, { recursive: true });
  writeFileSync(path.join(scratch, 'package.json'), JSON.stringify({ name: 'beat-ssl-tfjs-node', private: true }) + '\n');
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const r = run(npm, ['install', '--ignore-scripts', '--no-audit', '--no-fund', '--no-save', '--package-lock=false', `@tensorflow/tfjs-node@${tfjsVersion}`], { cwd: scratch });
  if (!r.ok) stop(`npm install @tensorflow/tfjs-node@${tfjsVersion} failed: ${r.out.trim().split('\n').slice(-3).join(' | ')}`);
}

// 4. Library into deps/, then compile the binding.
const deps = path.join(pkgDir, 'deps');
rmSync(deps, { recursive: true, force: true });
mkdirSync(deps, { recursive: true });
symlinkSync(path.join(libDir, 'lib'), path.join(deps, 'lib'));
symlinkSync(path.join(libDir, 'include'), path.join(deps, 'include'));
const binding = path.join(pkgDir, 'lib', 'napi-v8', 'tfjs_binding.node');
if (!existsSync(binding)) {
  say('compiling the tfjs-node binding with node-gyp (~15 s) ...');
  const env = {
    ...process.env,
    npm_config_build_from_source: 'true',
    PATH: `${path.join(scratch, 'node_modules', '.bin')}${path.delimiter}${process.env.PATH}`,
  };
  const prefix = path.resolve(path.dirname(process.execPath), '..');
  if (!env.npm_config_nodedir && existsSync(path.join(prefix, 'include', 'node', 'node_api.h'))) env.npm_config_nodedir = prefix;
  const r = run(process.execPath, ['scripts/install.js'], { cwd: pkgDir, env });
  if (!r.ok || !existsSync(binding)) stop(`building the binding failed: ${r.out.trim().split('\n').slice(-6).join(' | ')}`);
}

// 5. One tfjs instance: tfjs-node's tree uses this checkout's core, layers and cpu backend.
for (const name of SHARED) {
  const mine = path.join(root, 'node_modules', '@tensorflow', name);
  const theirs = path.join(scratch, 'node_modules', '@tensorflow', name);
  if (!existsSync(mine)) continue;
  rmSync(theirs, { recursive: true, force: true });
  symlinkSync(mine, theirs);
}
try {
  if (lstatSync(linkPath, { throwIfNoEntry: false })) rmSync(linkPath, { recursive: true, force: true });
} catch {
  /* absent */
}
symlinkSync(pkgDir, linkPath);

const last = probe();
if (!last.ok) stop(`set up, but the probe failed: ${last.why}`);
say(`ok: @tensorflow/tfjs-node ${tfjsVersion} on TensorFlow ${TF_VERSION} (C library from ${path.basename(wheel)}); tf.getBackend() = tensorflow.`);
