#!/usr/bin/env node
// Builds beat-ssl's optional native conv1d addon (native/src/conv1d.cc) with node-gyp.
//   node native/build.mjs            build, exit 1 on failure
//   node native/build.mjs --optional build, never fail (for an npm "install" hook: clean fallback to wasm)
// Uses the node-gyp bundled with npm; uses the local Node headers (<prefix>/include/node) when present
// so that no download is needed. The result is native/build/Release/beat_ssl_native.node, which
// setBackend('wasm' | 'auto') loads when present (BEAT_SSL_NATIVE=0 disables it).
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const optional = process.argv.includes('--optional');
const here = path.dirname(fileURLToPath(import.meta.url));
const prefix = path.resolve(path.dirname(process.execPath), '..');

function findNodeGyp() {
  const c = [
    process.env.npm_config_node_gyp,
    path.join(prefix, 'lib', 'node_modules', 'npm', 'node_modules', 'node-gyp', 'bin', 'node-gyp.js'),
    path.join(path.dirname(process.execPath), 'node_modules', 'npm', 'node_modules', 'node-gyp', 'bin', 'node-gyp.js'),
  ].filter(Boolean);
  for (const p of c) if (existsSync(p)) return p;
  try {
    return createRequire(import.meta.url).resolve('node-gyp/bin/node-gyp.js');
  } catch {
    return null;
  }
}

function done(ok, msg) {
  process.stderr.write(`beat-ssl native: ${msg}\n`);
  process.exit(ok || optional ? 0 : 1);
}

if (process.env.BEAT_SSL_NATIVE === '0') done(true, 'skipped (BEAT_SSL_NATIVE=0)');
const gyp = findNodeGyp();
if (!gyp) done(false, 'node-gyp not found; the wasm kernels will be used');
const args = [gyp, 'rebuild'];
const localHeaders = path.join(prefix, 'include', 'node', 'node_api.h');
if (!process.env.npm_config_nodedir && existsSync(localHeaders)) args.push(`--nodedir=${prefix}`);
const r = spawnSync(process.execPath, args, { cwd: here, stdio: 'inherit' });
if (r.status !== 0) done(false, 'build failed; the wasm kernels will be used');
done(true, `built ${path.join(here, 'build', 'Release', 'beat_ssl_native.node')}`);
