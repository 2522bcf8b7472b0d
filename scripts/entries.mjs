// Single source of truth for the package's entry points: every module folder under src/
// (its index.ts) and every public file in it (not index, not _internal, not tests).
// Used by tsup.config.ts, scripts/sync-exports.mjs and typedoc.json generation.
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
      if (!f.endsWith('.ts') || f.endsWith('.test.ts') || f.endsWith('.d.ts') || f === 'index.ts') continue;
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
