// The browser build of beat-ssl (one source of truth for tsup.config.ts, the demo's Vite config,
// test/core/browserBundle.test.ts and scripts/check-package.mjs).
//
// Rule: a source file `X.ts` that has a sibling `X.browser.ts` is replaced by that sibling in the
// browser build (dist/browser/, selected by package.json "exports" for every runtime without the
// `node` condition). All Node built-ins are reached through src/core/_internal/node.ts, whose
// browser sibling throws a clear BeatSslError instead, so browser bundles reference no Node built-in.
import { existsSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { dirname, resolve } from 'node:path';

/** Every Node built-in module name, with and without the `node:` prefix (subpaths like fs/promises included). */
export const NODE_BUILTINS = new Set([...builtinModules, ...builtinModules.map((m) => `node:${m}`)]);

/** True when `spec` names a Node built-in (`fs`, `node:fs/promises`, `path`, ...). */
export function isNodeBuiltin(spec) {
  if (NODE_BUILTINS.has(spec)) return true;
  const bare = spec.startsWith('node:') ? spec.slice(5) : spec;
  return spec.startsWith('node:') || NODE_BUILTINS.has(bare.split('/')[0]);
}

/**
 * The `.browser.ts` sibling of the module that the relative import `spec` (from a file in
 * `fromDir`) resolves to, or null when there is none.
 */
export function browserSibling(fromDir, spec) {
  if (!spec.startsWith('./') && !spec.startsWith('../')) return null;
  const base = resolve(fromDir, spec).replace(/\.(ts|js)$/, '');
  const candidate = `${base}.browser.ts`;
  return existsSync(candidate) ? candidate : null;
}

/** esbuild plugin (tsup `esbuildPlugins`): swaps modules for their `.browser.ts` siblings. */
export function esbuildBrowserSwap() {
  return {
    name: 'beat-ssl-browser-swap',
    setup(build) {
      build.onResolve({ filter: /^\.\.?\// }, (args) => {
        const path = browserSibling(args.resolveDir, args.path);
        return path ? { path } : undefined;
      });
    },
  };
}

/** Vite plugin (the demo builds from src/): the same swap as {@link esbuildBrowserSwap}. */
export function viteBrowserSwap() {
  return {
    name: 'beat-ssl-browser-swap',
    enforce: 'pre',
    resolveId(source, importer) {
      if (!importer) return null;
      return browserSibling(dirname(importer.split('?')[0]), source);
    },
  };
}

/**
 * esbuild plugin that records every import of a Node built-in (and keeps it external so that the
 * bundle still completes and every offender is listed, with the file that imports it).
 * @param {{ spec: string, importer: string }[]} found collects the offenders
 */
export function esbuildNodeBuiltinProbe(found) {
  return {
    name: 'beat-ssl-node-builtin-probe',
    setup(build) {
      build.onResolve({ filter: /.*/ }, (args) => {
        if (!isNodeBuiltin(args.path)) return undefined;
        found.push({ spec: args.path, importer: args.importer });
        return { path: args.path, external: true };
      });
    },
  };
}
