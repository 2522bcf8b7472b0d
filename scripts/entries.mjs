// Single source of truth for the package's entry points: every module folder under src/
// (its index.ts) and every public file in it (not index, not _internal, not tests).
// Used by tsup.config.ts, scripts/sync-exports.mjs and typedoc.json generation.
// Files named `*.browser.ts` are not entries: they replace their sibling in the browser build.
import { readdirSync, statSync, existsSync } from 'node:fs';
import { join } from 'node:path';

const SRC = new URL('../src/', import.meta.url).pathname;

/** @returns {Record<string,string>} entry name (e.g. "signal/vcg") → source path */
export function listEntries() {
  const entries = { index: 'src/index.ts' };
  for (const dir of readdirSync(SRC).sort()) {
    const full = join(SRC, dir);
    if (!statSync(full).isDirectory() || dir.startsWith('_')) continue;
    if (existsSync(join(full, 'index.ts'))) entries[`${dir}/index`] = `src/${dir}/index.ts`;
    for (const f of readdirSync(full).sort()) {
      if (!f.endsWith('.ts') || f.endsWith('.test.ts') || f.endsWith('.d.ts') || f.endsWith('.browser.ts') || f === 'index.ts') continue;
      if (f.startsWith('_')) continue;
      const name = f.slice(0, -3);
      entries[`${dir}/${name}`] = `src/${dir}/${name}.ts`;
    }
  }
  // The CLI's entry is a bin, not an export, but it must be built.
  return entries;
}

/** Entry names that are exported as package subpaths (everything but the CLI). */
export function exportedEntries() {
  return Object.keys(listEntries()).filter((k) => !k.startsWith('cli/'));
}

/** Entries of the browser build (dist/browser/): every exported entry; the CLI is Node-only. */
export function browserEntries() {
  const all = listEntries();
  return Object.fromEntries(exportedEntries().map((k) => [k, all[k]]));
}

/**
 * The package.json "exports" value of one entry: the Node build under the `node` condition, the
 * browser build (no Node built-ins, see scripts/browser.mjs) for every other runtime. Types are shared.
 */
export function exportTarget(name) {
  return {
    node: {
      import: { types: `./dist/${name}.d.ts`, default: `./dist/${name}.js` },
      require: { types: `./dist/${name}.d.cts`, default: `./dist/${name}.cjs` },
    },
    import: { types: `./dist/${name}.d.ts`, default: `./dist/browser/${name}.js` },
    require: { types: `./dist/${name}.d.cts`, default: `./dist/browser/${name}.cjs` },
  };
}
