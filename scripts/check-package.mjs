#!/usr/bin/env node
// Packaging checks for beat-ssl (`npm run check:package`), run against the real tarball:
//   1. `npm pack` → the tarball holds dist/ (ESM + CJS + .d.ts + .d.cts for every `exports` entry),
//      LICENSE, README.md, CHANGELOG.md, and nothing from src/, test/, examples/ or eval/.
//   2. package.json metadata: license, engines, files whitelist, sideEffects, bin, semver version,
//      peer dependencies.
//   3. Install the tarball into a fresh temp folder with only the peer dependencies
//      (@tensorflow/tfjs-core, -layers, the optional -backend-wasm, plus -backend-cpu; `--prefer-offline`).
//   4. Every `exports` subpath imports in ESM (`import()`) and CJS (`require()`) and exposes names.
//   5. Types: a consumer TypeScript project (module/moduleResolution `nodenext`, strict) imports
//      every subpath from an .mts and a .cts file and type-checks.
//   6. The bin runs: `beat-ssl --help`.
//   7. The examples run against the installed package (copied with examples/data beside them,
//      `BEAT_SSL_EXAMPLE_QUICK=1` for small sizes).
//   8. Tree-shaking: esbuild bundles `import { softInfoNCE } from 'beat-ssl/losses'` for the browser
//      with @tensorflow/tfjs-core external (it is a peer dependency the app already has); the bundle
//      must contain no @tensorflow/tfjs-layers code and no beat-ssl module other than losses/core,
//      and stay under SIZE_BUDGET_BYTES minified.
//   9. Browser builds: every `exports` subpath, bundled by esbuild for `platform: 'browser'` from the
//      installed package (so through the "exports" conditions: no `node` → dist/browser/), references
//      no Node built-in (scripts/browser.mjs has the probe).
//
//  10. Documentation snippets (scripts/doc-snippets.mjs): every TypeScript block of README.md and
//      docs/*.md type-checks in the consumer project with the tsconfig the docs recommend (strict +
//      skipLibCheck, module nodenext), and every ```ts block (not `ts no-run`) runs against the
//      installed package (skipped with --no-examples).
//
// Also asserted: package.json has repository/homepage/bugs, and the tarball has no source maps
// (dist/ is unminified and readable; maps would double the unpacked size): no *.map file and no
// sourceMappingURL comment.
//
// Options: --skip-build (use the existing dist/), --keep (keep the temp folder), --no-examples.
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Budget for `import { softInfoNCE } from 'beat-ssl/losses'`, minified, tfjs-core external. */
export const SIZE_BUDGET_BYTES = 8 * 1024;
/** Budget for the packed tarball (code + shipped weights; the weights alone are meant to stay ≤ 10 MB). */
export const PACK_BUDGET_BYTES = 12 * 1024 * 1024;
/** Examples run against the installed package (each must finish within EXAMPLE_TIMEOUT_MS in quick mode). */
const EXAMPLES = ['detect-beats.ts', 'losses-in-your-pipeline.ts', 'segment-ludb.ts', 'classify-ptbxl.ts', 'pretrain.ts', 'quickstart.ts'];
const EXAMPLE_TIMEOUT_MS = 10 * 60_000;

const ROOT = resolve(fileURLToPath(new URL('..', import.meta.url)));
const args = new Set(process.argv.slice(2));
const results = [];
let failed = 0;
let work = null;
let exportNames = {};

function log(msg) {
  process.stdout.write(msg + '\n');
}
function record(name, ok, detail = '') {
  results.push({ name, ok, detail });
  if (!ok) failed++;
  log(`${ok ? 'ok  ' : 'FAIL'} ${name}${detail ? ` — ${detail}` : ''}`);
}
function run(cmd, argv, opts = {}) {
  const res = spawnSync(cmd, argv, { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, ...opts });
  return { code: res.status ?? (res.error ? -1 : 1), stdout: res.stdout ?? '', stderr: (res.stderr ?? '') + (res.error ? String(res.error) : '') };
}
function tail(text, n = 1500) {
  return text.length > n ? '…' + text.slice(-n) : text;
}

const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
const subpaths = Object.keys(pkg.exports).filter((k) => k !== './package.json');
const specifiers = subpaths.map((s) => (s === '.' ? pkg.name : `${pkg.name}/${s.slice(2)}`));

// ---- 0. build -------------------------------------------------------------------------------
if (!args.has('--skip-build') || !existsSync(join(ROOT, 'dist/index.js'))) {
  log('== build');
  const b = run('npm', ['run', 'build', '--silent'], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  record('npm run build', b.code === 0, b.code === 0 ? '' : tail(b.stdout + b.stderr));
  if (b.code !== 0) finish();
}

// ---- 1. npm pack --------------------------------------------------------------------------------
log('== npm pack');
work = mkdtempSync(join(tmpdir(), 'beat-ssl-pack-'));
const pack = run('npm', ['pack', '--json', '--pack-destination', work], { cwd: ROOT });
let packInfo;
try {
  packInfo = JSON.parse(pack.stdout.slice(pack.stdout.indexOf('[')))[0];
} catch {
  record('npm pack', false, tail(pack.stdout + pack.stderr));
  finish();
}
const tarball = join(work, packInfo.filename);
const files = new Set(packInfo.files.map((f) => f.path));
record('npm pack', existsSync(tarball), `${packInfo.filename}: ${packInfo.entryCount} files, ${(packInfo.size / 1024).toFixed(0)} kB packed, ${(packInfo.unpackedSize / 1024).toFixed(0)} kB unpacked`);

record(`tarball ≤ ${PACK_BUDGET_BYTES / 1024 / 1024} MiB packed`, packInfo.size <= PACK_BUDGET_BYTES, `${(packInfo.size / 1024 / 1024).toFixed(2)} MiB`);
const missing = [];
for (const sub of subpaths) {
  const e = pkg.exports[sub];
  for (const target of [e.import.types, e.import.default, e.require.types, e.require.default]) {
    if (!files.has(target.replace(/^\.\//, ''))) missing.push(`${sub} → ${target}`);
  }
}
record('tarball has ESM, CJS and types for every exports entry', missing.length === 0, missing.length ? missing.slice(0, 10).join('; ') : `${subpaths.length} subpaths × 4 files`);
for (const f of ['package.json', 'LICENSE', 'README.md', 'CHANGELOG.md']) record(`tarball has ${f}`, files.has(f));
const stray = [...files].filter((f) => /^(src|test|eval|bench|scripts|examples|docs|\.ci)\//.test(f) || f.includes('node_modules/'));
record('tarball has no sources, tests, examples or data', stray.length === 0, stray.slice(0, 5).join(', '));
const binTarget = typeof pkg.bin === 'string' ? pkg.bin : pkg.bin?.['beat-ssl'];
const maps = [...files].filter((f) => f.endsWith('.map'));
record('tarball has no source maps (*.map)', maps.length === 0, maps.length ? `${maps.length} files, e.g. ${maps[0]}` : '');
record('tarball has a browser build (dist/browser/) for every exports entry', subpaths.every((sub) => !pkg.exports[sub].import.default.startsWith('./dist/browser/') || files.has(pkg.exports[sub].import.default.slice(2))), '');
record('tarball has the bin', Boolean(binTarget) && files.has(binTarget.replace(/^\.\//, '')), binTarget);

// ---- 2. metadata ------------------------------------------------------------------------------
log('== package.json metadata');
record('semver version', /^\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?$/.test(pkg.version), pkg.version);
for (const key of ['repository', 'homepage', 'bugs']) {
  const v = pkg[key];
  const url = typeof v === 'string' ? v : v?.url;
  record(`package.json ${key}`, typeof url === 'string' && /^(git\+)?https:\/\//.test(url), url ?? 'missing');
}
record('license', typeof pkg.license === 'string' && pkg.license.length > 0, pkg.license);
record('engines.node', typeof pkg.engines?.node === 'string', pkg.engines?.node);
record('files whitelist', Array.isArray(pkg.files) && pkg.files.includes('dist'), JSON.stringify(pkg.files));
record('type: module with CJS via exports.require', pkg.type === 'module' && subpaths.every((s) => pkg.exports[s].require));
record('sideEffects declared', pkg.sideEffects === false || Array.isArray(pkg.sideEffects), JSON.stringify(pkg.sideEffects));
const peers = pkg.peerDependencies ?? {};
record('tfjs-core and tfjs-layers are peer dependencies', Boolean(peers['@tensorflow/tfjs-core'] && peers['@tensorflow/tfjs-layers']));
record('no runtime dependency on a tfjs backend', !Object.keys(pkg.dependencies ?? {}).some((d) => d.startsWith('@tensorflow/')), JSON.stringify(pkg.dependencies ?? {}));
const changelog = readFileSync(join(ROOT, 'CHANGELOG.md'), 'utf8');
record('CHANGELOG follows Keep a Changelog', /keepachangelog\.com/i.test(changelog) && /## \[?Unreleased\]?/i.test(changelog));

// ---- 3. install into a fresh folder -------------------------------------------------------------
log('== install the tarball with only the peer dependencies');
const app = join(work, 'app');
mkdirSync(app);
writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'beat-ssl-consumer', version: '0.0.0', private: true, type: 'module' }, null, 2));
const peerVersion = (name) => {
  const p = join(ROOT, 'node_modules', name, 'package.json');
  return existsSync(p) ? JSON.parse(readFileSync(p, 'utf8')).version : (peers[name] ?? 'latest');
};
// tfjs-core and -layers are the required peers; -backend-wasm is the optional peer that setBackend('auto')
// picks without tfjs-node, and -backend-cpu the fallback some examples import directly.
const peerSpecs = ['@tensorflow/tfjs-core', '@tensorflow/tfjs-layers', '@tensorflow/tfjs-backend-wasm', '@tensorflow/tfjs-backend-cpu'].map((n) => `${n}@${peerVersion(n)}`);
// @types/node: a TypeScript user on Node has it (the docs' snippets import node:fs/promises).
const inst = run('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', '--loglevel=error', tarball, ...peerSpecs, `@types/node@${peerVersion('@types/node')}`], { cwd: app });
record('npm install <tarball> + peers', inst.code === 0, inst.code === 0 ? peerSpecs.join(' ') : tail(inst.stdout + inst.stderr));
if (inst.code !== 0) finish();
const installed = readdirSync(join(app, 'node_modules')).flatMap((d) => (d.startsWith('@') ? readdirSync(join(app, 'node_modules', d)).map((x) => `${d}/${x}`) : [d]));
record('installed nothing but beat-ssl, tfjs and their own dependencies', !installed.some((d) => /^(vitest|tsup|typescript|esbuild|vite|playwright)/.test(d)), `${installed.length} packages`);

// ---- 4. ESM import and CJS require of every subpath ---------------------------------------------
log('== import() and require() of every subpath');
writeFileSync(
  join(app, 'esm-check.mjs'),
  `const specs = ${JSON.stringify(specifiers)};\nconst bad = [];\nconst names = {};\nfor (const s of specs) { try { const m = await import(s); names[s] = Object.keys(m); if (names[s].length === 0) bad.push(s + ': no exports'); } catch (e) { bad.push(s + ': ' + e.message.split('\\n')[0]); } }\nconsole.error(JSON.stringify(names));\nconsole.log(JSON.stringify(bad));\n`,
);
writeFileSync(
  join(app, 'cjs-check.cjs'),
  `const specs = ${JSON.stringify(specifiers)};\nconst bad = [];\nfor (const s of specs) { try { const m = require(s); if (Object.keys(m).length === 0) bad.push(s + ': no exports'); } catch (e) { bad.push(s + ': ' + e.message.split('\\n')[0]); } }\nconsole.log(JSON.stringify(bad));\n`,
);
for (const [label, file] of [['ESM import()', 'esm-check.mjs'], ['CJS require()', 'cjs-check.cjs']]) {
  const r = run(process.execPath, [file], { cwd: app });
  let bad;
  try {
    bad = JSON.parse(r.stdout.trim().split('\n').pop());
    if (file === 'esm-check.mjs') exportNames = JSON.parse(r.stderr.trim().split('\n').pop());
  } catch {
    bad = [tail(r.stdout + r.stderr)];
  }
  record(`${label} of ${specifiers.length} subpaths`, r.code === 0 && bad.length === 0, bad.slice(0, 6).join('; '));
}

// ---- 5. types ---------------------------------------------------------------------------------
log('== types for every entry (consumer project, moduleResolution nodenext)');
const ident = (i) => `m${i}`;
writeFileSync(join(app, 'types-esm.mts'), specifiers.map((s, i) => `import * as ${ident(i)} from '${s}';\nvoid ${ident(i)};`).join('\n') + '\nexport {};\n');
writeFileSync(join(app, 'types-cjs.cts'), specifiers.map((s, i) => `import ${ident(i)} = require('${s}');\nvoid ${ident(i)};`).join('\n') + '\nexport {};\n');
writeFileSync(
  join(app, 'types-usage.mts'),
  [
    "import type { EcgRecord, Wave } from 'beat-ssl/core';",
    "import { plotEcg12 } from 'beat-ssl/plot';",
    "const rec: EcgRecord = { name: 'x', fs: 500, leads: ['I'], signals: [new Float32Array(10)], units: ['mV'], comments: [] };",
    "const waves: Wave[] = [{ type: 'QRS', onset: 1, offset: 3 }];",
    "const svg: string = plotEcg12(rec, { layout: '12x1', waves });",
    'void svg;',
    'export {};',
  ].join('\n') + '\n',
);
writeFileSync(
  join(app, 'tsconfig.json'),
  JSON.stringify({ compilerOptions: { module: 'nodenext', moduleResolution: 'nodenext', target: 'es2022', strict: true, noEmit: true, skipLibCheck: false, types: [], lib: ['es2022', 'dom'] }, files: ['types-esm.mts', 'types-cjs.cts', 'types-usage.mts'] }, null, 2),
);
const tsc = run(process.execPath, [join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.json'], { cwd: app });
const tscErrors = (tsc.stdout + tsc.stderr).split('\n').filter((l) => l.includes('error TS'));
// Errors inside tfjs's own declarations are not ours: report them, fail only on our files.
const ourErrors = tscErrors.filter((l) => !l.includes('node_modules/@tensorflow/'));
record('TypeScript resolves and checks every subpath (ESM + CJS)', tsc.code === 0 || (ourErrors.length === 0 && tscErrors.length > 0), ourErrors.slice(0, 5).join(' | ') || (tscErrors.length ? `${tscErrors.length} errors inside @tensorflow declarations only` : ''));

// ---- 6. bin -----------------------------------------------------------------------------------
log('== bin');
const bin = run(join(app, 'node_modules/.bin/beat-ssl'), ['--help'], { cwd: app });
record('beat-ssl --help', bin.code === 0 && bin.stdout.includes('Usage: beat-ssl'), bin.code === 0 ? bin.stdout.split('\n').filter((l) => /^ {2}\w/.test(l)).map((l) => l.trim().split(/\s+/)[0]).join(', ') : tail(bin.stdout + bin.stderr));
const version = run(join(app, 'node_modules/.bin/beat-ssl'), ['-v'], { cwd: app });
const pkgVersion = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).version;
record('beat-ssl -v prints the package version', version.code === 0 && version.stdout.trim() === `beat-ssl ${pkgVersion}`, tail(version.stdout + version.stderr));
const infoHelp = run(join(app, 'node_modules/.bin/beat-ssl'), ['info', '-h'], { cwd: app });
record('beat-ssl info -h prints help (exit 0), opens no file', infoHelp.code === 0 && infoHelp.stdout.includes('Usage: beat-ssl info') && infoHelp.stderr === '', tail(infoHelp.stdout + infoHelp.stderr));

// ---- 7. examples --------------------------------------------------------------------------------
if (!args.has('--no-examples')) {
  log('== examples against the installed package');
  cpSync(join(ROOT, 'examples'), join(app, 'examples'), { recursive: true, filter: (src) => !/[\\/](browser|output|node_modules)([\\/]|$)/.test(src.slice(ROOT.length)) });
  const tsxCli = join(ROOT, 'node_modules/tsx/dist/cli.mjs');
  for (const ex of EXAMPLES) {
    if (!existsSync(join(app, 'examples', ex))) {
      record(`example ${ex}`, false, 'missing');
      continue;
    }
    const t0 = Date.now();
    const r = run(process.execPath, [tsxCli, join('examples', ex)], { cwd: app, timeout: EXAMPLE_TIMEOUT_MS, env: { ...process.env, BEAT_SSL_EXAMPLE_QUICK: '1' } });
    const sec = ((Date.now() - t0) / 1000).toFixed(1);
    record(`example ${ex}`, r.code === 0, r.code === 0 ? `${sec} s` : tail(r.stdout + r.stderr, 800));
  }
}

// ---- 8. tree-shaking ----------------------------------------------------------------------------
log('== tree-shaking: bundle `import { softInfoNCE } from "beat-ssl/losses"`');
writeFileSync(join(app, 'shake.mjs'), "import { softInfoNCE } from 'beat-ssl/losses';\nglobalThis.loss = softInfoNCE;\n");
const esbuild = await import(join(ROOT, 'node_modules/esbuild/lib/main.js')).then((m) => m.default ?? m);
for (const [label, external] of [['tfjs-core external', ['@tensorflow/tfjs-core']], ['tfjs-core bundled', []]]) {
  const res = await esbuild.build({
    entryPoints: [join(app, 'shake.mjs')],
    bundle: true,
    minify: true,
    format: 'esm',
    platform: 'browser',
    write: false,
    metafile: true,
    external,
    absWorkingDir: app,
    logLevel: 'silent',
  });
  const bytes = res.outputFiles[0].contents.length;
  const inputs = Object.keys(res.metafile.inputs);
  const layers = inputs.filter((p) => p.includes('@tensorflow/tfjs-layers'));
  const ours = [...new Set(inputs.filter((p) => p.includes('node_modules/beat-ssl/')).map((p) => p.replace(/.*node_modules\/beat-ssl\/dist\/(browser\/)?/, '')))];
  // Other modules' code, by file (non-chunk) or by their exported names appearing as strings
  // (every beat-ssl function names itself in its error messages).
  const text = new TextDecoder().decode(res.outputFiles[0].contents);
  const foreign = ours.filter((p) => !/^(losses|core)\//.test(p) && !/^chunk-/.test(p));
  for (const [spec, names] of Object.entries(exportNames)) {
    if (!/^beat-ssl\/(io|signal|beats|augment|models|heads|data|metrics|train|backend|plot)$/.test(spec)) continue;
    const hits = names.filter((n) => n.length > 5 && /^[a-z]/.test(n) && (text.includes(`'${n}`) || text.includes(`"${n}`) || text.includes(`Error in ${n}`)));
    if (hits.length) foreign.push(`${spec}: ${hits.slice(0, 3).join(', ')}`);
  }
  if (external.length) {
    record(`bundle (${label}) pulls in no @tensorflow/tfjs-layers`, layers.length === 0, layers.slice(0, 3).join(', '));
    record(`bundle (${label}) ≤ ${SIZE_BUDGET_BYTES} B`, bytes <= SIZE_BUDGET_BYTES, `${bytes} B minified from ${ours.length} beat-ssl files`);
    record(`bundle (${label}) holds no other beat-ssl module`, foreign.length === 0, foreign.join(', '));
  } else {
    record(`bundle (${label}) pulls in no @tensorflow/tfjs-layers`, layers.length === 0, `${(bytes / 1024).toFixed(0)} kB minified incl. tfjs-core (informational)`);
  }
}

// ---- 9. browser bundles of every subpath --------------------------------------------------------
log('== browser: esbuild --bundle --platform=browser of every subpath (through the exports conditions)');
{
  const { esbuildNodeBuiltinProbe } = await import(join(ROOT, 'scripts/browser.mjs'));
  const smap = [...files].filter((f) => /\.(c?js)$/.test(f)).filter((f) => readFileSync(join(app, 'node_modules/beat-ssl', f), 'utf8').includes('sourceMappingURL='));
  record('no sourceMappingURL comments in dist', smap.length === 0, smap.slice(0, 3).join(', '));
  const bad = [];
  let biggest = 0;
  for (const spec of specifiers) {
    const found = [];
    try {
      const res = await esbuild.build({
        stdin: { contents: `export * from '${spec}';`, resolveDir: app, loader: 'js' },
        bundle: true,
        format: 'esm',
        platform: 'browser',
        write: false,
        external: ['@tensorflow/*'],
        logLevel: 'silent',
        plugins: [esbuildNodeBuiltinProbe(found)],
      });
      biggest = Math.max(biggest, res.outputFiles[0].contents.length);
    } catch (e) {
      bad.push(`${spec}: ${e.errors?.[0]?.text ?? e.message}`);
      continue;
    }
    if (found.length) bad.push(`${spec}: ${[...new Set(found.map((f) => f.spec))].join(', ')} (from ${found[0].importer.replace(/.*node_modules\//, '')})`);
  }
  record(`every subpath bundles for the browser with no Node built-in (${specifiers.length})`, bad.length === 0, bad.length ? bad.slice(0, 5).join('; ') : `largest ${(biggest / 1024).toFixed(0)} kB unminified, tfjs external`);
}

// ---- 10. documentation snippets ------------------------------------------------------------------
log('== README and docs snippets against the installed package');
{
  const { extractSnippets, badInfoStrings, writeSnippets } = await import(join(ROOT, 'scripts/doc-snippets.mjs'));
  const snippets = extractSnippets(ROOT);
  const badInfo = badInfoStrings(snippets);
  record('every TypeScript block is ```ts or ```ts no-run', badInfo.length === 0, badInfo.join(', '));
  const { tsconfig, files: snippetFiles } = writeSnippets(join(app, 'snippets'), snippets);
  const t = run(process.execPath, [join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', tsconfig], { cwd: app });
  const errs = (t.stdout + t.stderr).split('\n').filter((l) => l.includes('error TS'));
  record(`${snippets.length} snippets type-check (strict, skipLibCheck, nodenext)`, t.code === 0 && errs.length === 0, errs.slice(0, 4).join(' | '));
  if (!args.has('--no-examples')) {
    if (!existsSync(join(app, 'examples'))) cpSync(join(ROOT, 'examples'), join(app, 'examples'), { recursive: true, filter: (src) => !/[\\/](browser|output|node_modules)([\\/]|$)/.test(src.slice(ROOT.length)) });
    const tsxCli = join(ROOT, 'node_modules/tsx/dist/cli.mjs');
    const failedRuns = [];
    const t0 = Date.now();
    for (const { path, snippet } of snippetFiles.filter((f) => f.snippet.run)) {
      const r = run(process.execPath, [tsxCli, path], { cwd: app, timeout: EXAMPLE_TIMEOUT_MS });
      if (r.code !== 0) failedRuns.push(`${snippet.file}:${snippet.line}: ${tail(r.stderr, 300)}`);
    }
    const n = snippetFiles.filter((f) => f.snippet.run).length;
    record(`${n} runnable snippets run against the installed package`, failedRuns.length === 0, failedRuns.length ? failedRuns.slice(0, 3).join(' | ') : `${((Date.now() - t0) / 1000).toFixed(0)} s`);
  }
}

finish();

function finish() {
  const ok = results.filter((r) => r.ok).length;
  log(`\ncheck:package: ${ok} passed, ${failed} failed`);
  if (args.has('--keep')) log(`kept ${work}`);
  else if (typeof work === 'string') rmSync(work, { recursive: true, force: true });
  process.exit(failed ? 1 : 0);
}
