// TypeScript snippets of README.md and docs/*.md, extracted so that they are type-checked (strict)
// and run: by test/docs/snippets.test.ts against src/, and by scripts/check-package.mjs against the
// packed tarball, as a user would import `beat-ssl/...`.
//
// Markdown convention: a fence ```ts is a complete program, type-checked and run (from the package
// root, so `examples/data/...` paths work). ```ts no-run is type-checked only (say why in the text:
// it needs a browser, the full datasets, or a long training). Every TypeScript fence must be one of
// the two; ```typescript and other info strings are rejected, so nothing escapes the check.
import { readFileSync, readdirSync, writeFileSync, mkdirSync } from 'node:fs';
import { join, basename } from 'node:path';

export const SNIPPET_SOURCES = ['README.md', 'docs'];

/** The tsconfig the docs tell TypeScript users to use (docs/getting-started.md), minus file lists. */
export const USER_COMPILER_OPTIONS = { module: 'nodenext', target: 'es2022', strict: true, skipLibCheck: true, noEmit: true };

/**
 * @param {string} root repository root
 * @returns {{ file: string, line: number, info: string, run: boolean, code: string, name: string }[]}
 */
export function extractSnippets(root) {
  const files = [];
  for (const s of SNIPPET_SOURCES) {
    if (s.endsWith('.md')) files.push(s);
    else for (const f of readdirSync(join(root, s)).sort()) if (f.endsWith('.md')) files.push(`${s}/${f}`);
  }
  const out = [];
  for (const file of files) {
    const lines = readFileSync(join(root, file), 'utf8').split('\n');
    for (let i = 0; i < lines.length; i++) {
      const m = /^```(\S*)\s*(.*)$/.exec(lines[i]);
      if (!m) continue;
      const lang = m[1];
      const end = lines.findIndex((l, j) => j > i && /^```\s*$/.test(l));
      if (end < 0) throw new Error(`${file}:${i + 1}: unclosed code fence`);
      if (/^(ts|typescript|tsx|mts|cts|js|javascript)$/i.test(lang)) {
        const info = `${lang} ${m[2]}`.trim();
        out.push({
          file,
          line: i + 1,
          info,
          run: info === 'ts',
          code: lines.slice(i + 1, end).join('\n') + '\n',
          name: `${basename(file, '.md').toLowerCase()}-L${i + 1}`,
        });
      }
      i = end;
    }
  }
  return out;
}

/** Fences whose info string is not one of the two allowed ones. */
export function badInfoStrings(snippets) {
  return snippets.filter((s) => s.info !== 'ts' && s.info !== 'ts no-run').map((s) => `${s.file}:${s.line}: \`\`\`${s.info}`);
}

/**
 * Writes each snippet to `<dir>/<name>.mts` (an ES module: top-level await works) and a tsconfig.json
 * with {@link USER_COMPILER_OPTIONS} (plus `extraOptions`).
 * @returns {{ tsconfig: string, files: { path: string, snippet: object }[] }}
 */
export function writeSnippets(dir, snippets, extraOptions = {}) {
  mkdirSync(dir, { recursive: true });
  const files = snippets.map((snippet) => {
    const path = join(dir, `${snippet.name}.mts`);
    writeFileSync(path, `// ${snippet.file}:${snippet.line}\n${snippet.code}export {};\n`);
    return { path, snippet };
  });
  const tsconfig = join(dir, 'tsconfig.json');
  writeFileSync(tsconfig, JSON.stringify({ compilerOptions: { ...USER_COMPILER_OPTIONS, ...extraOptions }, files: files.map((f) => basename(f.path)) }, null, 2));
  return { tsconfig, files };
}
