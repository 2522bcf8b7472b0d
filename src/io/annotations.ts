/**
 * WFDB annotation files (MIT format): decoding and encoding. Runtime-neutral.
 * @module
 */
import type { Annotation } from '../core/types';
import { BeatSslError, describe } from '../core/errors';

/**
 * WFDB annotation mnemonics indexed by annotation code (WFDB `ecgcodes.h`, as printed by `rdann`).
 * Codes without a standard mnemonic (0, 15, 17, 42–58) are written `[<code>]` (0 is `' '`).
 * Beat codes: N L R a V F J A S E j / Q e n f r B; wave/other codes: ~ | s T * D " = p ^ t + u ? ! [ ] @ x ( ).
 *
 * @example
 * ```ts
 * WFDB_ANNOTATION_SYMBOLS[1]; // 'N'
 * WFDB_ANNOTATION_SYMBOLS[39]; // '('
 * ```
 */
export const WFDB_ANNOTATION_SYMBOLS: readonly string[] = Object.freeze(
  (() => {
    const named: Record<number, string> = {
      0: ' ', 1: 'N', 2: 'L', 3: 'R', 4: 'a', 5: 'V', 6: 'F', 7: 'J', 8: 'A', 9: 'S', 10: 'E', 11: 'j', 12: '/', 13: 'Q', 14: '~',
      16: '|', 18: 's', 19: 'T', 20: '*', 21: 'D', 22: '"', 23: '=', 24: 'p', 25: 'B', 26: '^', 27: 't', 28: '+', 29: 'u',
      30: '?', 31: '!', 32: '[', 33: ']', 34: 'e', 35: 'n', 36: '@', 37: 'x', 38: 'f', 39: '(', 40: ')', 41: 'r',
    };
    const out: string[] = [];
    for (let c = 0; c <= 58; c++) out.push(named[c] ?? `[${c}]`);
    return out;
  })(),
);

const CODE_OF = new Map<string, number>(WFDB_ANNOTATION_SYMBOLS.map((s, c) => [s, c]));

/**
 * The WFDB annotation code of a mnemonic (`'N'` → 1, `'('` → 39, `'[42]'` → 42).
 *
 * @param symbol an annotation mnemonic as in {@link WFDB_ANNOTATION_SYMBOLS}
 * @returns the code (0–58)
 * @throws BeatSslError if the symbol is not a WFDB mnemonic
 * @example
 * ```ts
 * wfdbAnnotationCode('V'); // 5
 * ```
 */
export function wfdbAnnotationCode(symbol: string): number {
  const c = CODE_OF.get(symbol);
  if (c === undefined) {
    throw new BeatSslError('wfdbAnnotationCode', `symbol must be a WFDB annotation mnemonic (e.g. 'N', 'V', '(', 'p'), but got ${describe(symbol)}.`, 'symbol');
  }
  return c;
}

const SKIP = 59;
const NUM = 60;
const SUB = 61;
const CHN = 62;
const AUX = 63;

function latin1(bytes: Uint8Array, start: number, end: number): string {
  let s = '';
  for (let i = start; i < end; i++) {
    if (bytes[i] === 0) break; // C string semantics: the aux text ends at the first NUL
    s += String.fromCharCode(bytes[i]);
  }
  return s;
}

/**
 * Decodes a WFDB annotation file in MIT format (e.g. MIT-BIH `.atr`, LUDB `.i` … `.v6`, QTDB `.q1c`).
 *
 * Handles SKIP (long intervals), NUM, SUB, CHN and AUX fields. As in WFDB, `chan` and `num` carry
 * over from the previous annotation when not given; `subtype` defaults to 0 and `aux` to `''`.
 * The aux text is decoded as Latin-1 and ends at its first NUL byte (MIT-BIH writes `"(N\0"`,
 * returned as `"(N"`). Decoding stops at the end-of-file word (two zero bytes).
 * The definition table WFDB writers put at sample 0 (NOTE annotations with aux `## …`, e.g.
 * `## time resolution: 360`, or `<code> <mnemonic> <description>` for custom mnemonics) is
 * consumed: it is not returned, and custom mnemonics replace the `[<code>]` symbols of their codes.
 * Code-0 entries (not annotations) are skipped, as WFDB does.
 *
 * @param bytes the file's content
 * @param fileName name used in error messages
 * @returns annotations in file order; `sample` is the sample index at the record's rate
 * @throws BeatSslError (naming the file) for an empty, odd-length or truncated file, a modifier
 *   before the first annotation, a negative time, or a missing end-of-file word
 * @example
 * ```ts
 * const anns = parseAnnotations(atrBytes);
 * anns.filter((a) => a.symbol === 'N').length;
 * ```
 */
export function parseAnnotations(bytes: Uint8Array, fileName = 'annotation file'): Annotation[] {
  const fn = 'parseAnnotations';
  // bytes given without a file name: errors about their contents name the argument
  const where = fileName === 'annotation file' ? 'bytes (annotation file)' : `'${fileName}'`;
  if (!(bytes instanceof Uint8Array)) throw new BeatSslError(fn, `bytes must be a Uint8Array, but got ${describe(bytes)}.`, 'bytes');
  if (bytes.length === 0) throw new BeatSslError(fn, `${where} must contain at least the end-of-file word, but it is empty.`, fileName === 'annotation file' ? 'bytes' : fileName);
  if (bytes.length % 2 !== 0) {
    throw new BeatSslError(fn, `${where} must consist of 16-bit words (an even number of bytes), but it has ${bytes.length} bytes (truncated or not an MIT-format annotation file).`, fileName);
  }
  const out: Annotation[] = [];
  const codes: number[] = [];
  const nWords = bytes.length / 2;
  let time = 0;
  let chan = 0;
  let num = 0;
  let w = 0;
  let ended = false;
  while (w < nWords) {
    const lo = bytes[2 * w];
    const hi = bytes[2 * w + 1];
    const word = lo | (hi << 8);
    w++;
    if (word === 0) {
      ended = true;
      break;
    }
    const a = hi >> 2;
    const data = word & 0x3ff;
    if (a === SKIP) {
      if (w + 2 > nWords) throw new BeatSslError(fn, `${where}: a SKIP word at byte ${2 * (w - 1)} must be followed by a 4-byte interval, but the file ends (truncated).`, fileName);
      const p = 2 * w;
      const interval = (bytes[p + 1] << 24) | (bytes[p] << 16) | (bytes[p + 3] << 8) | bytes[p + 2];
      time += interval;
      w += 2;
      continue;
    }
    if (a >= NUM) {
      const last = out[out.length - 1];
      if (!last) throw new BeatSslError(fn, `${where}: a ${a === NUM ? 'NUM' : a === SUB ? 'SUB' : a === CHN ? 'CHN' : 'AUX'} word at byte ${2 * (w - 1)} must follow an annotation, but it comes first (not an MIT-format annotation file?).`, fileName);
      if (a === NUM) {
        num = (data << 24) >> 24;
        last.num = num;
      } else if (a === SUB) {
        last.subtype = (data << 24) >> 24;
      } else if (a === CHN) {
        chan = data & 0xff;
        last.chan = chan;
      } else {
        const len = data & 0xff;
        const p = 2 * w;
        const padded = len + (len & 1);
        if (p + padded > bytes.length) throw new BeatSslError(fn, `${where}: an AUX field at byte ${p - 2} must have ${len} bytes of text, but the file ends (truncated).`, fileName);
        last.aux = latin1(bytes, p, p + len);
        w += padded / 2;
      }
      continue;
    }
    time += data;
    if (time < 0 || !Number.isSafeInteger(time)) throw new BeatSslError(fn, `${where}: annotation times must be non-negative, but annotation ${out.length} is at sample ${time} (corrupt SKIP interval).`, fileName);
    out.push({ sample: time, symbol: WFDB_ANNOTATION_SYMBOLS[a], subtype: 0, chan, num, aux: '' });
    codes.push(a);
  }
  if (!ended) throw new BeatSslError(fn, `${where} must end with the end-of-file word (two zero bytes), but it ends without one (truncated file?).`, fileName);
  return applyDefinitions(out, codes);
}

const NOTE = 22;
const DEF_START = '## annotation type definitions';
const DEF_END = '## end of definitions';
/** Codes free for custom mnemonics (no standard one), in the order encodeAnnotations assigns them. */
const CUSTOM_CODES = [42, 43, 44, 45, 46, 47, 48, 49, 15, 17];

/**
 * Interprets the definition table WFDB writers put at the start of a file: NOTE annotations at
 * sample 0 with subtype 0 whose aux is `## …` (e.g. `## time resolution: 360`, or wfdb-python's
 * `## annotation type definitions` / `## end of definitions` markers) or `<code> <mnemonic>
 * [<description>]` with code 1–49 (WFDB's custom mnemonic table). Those are removed from the
 * output and custom mnemonics replace the `[<code>]` symbols of their codes. Other NOTEs at
 * sample 0 (e.g. `gqrs -r 100`) are kept. Code-0 (not-an-annotation) entries are removed.
 */
function applyDefinitions(anns: Annotation[], codes: number[]): Annotation[] {
  const custom = new Map<number, string>();
  const drop = new Set<number>();
  for (let i = 0; i < anns.length && anns[i].sample === 0; i++) {
    if (codes[i] !== NOTE || anns[i].subtype !== 0) continue;
    const aux = anns[i].aux;
    if (aux.startsWith('## ')) {
      drop.add(i);
      continue;
    }
    // `<code> <mnemonic> [<description>]`; WFDB writers end the note with '\n' (e.g. 1003.atr).
    const m = /^(\d+)[ \t]+(\S+)(?:\s[\s\S]*)?$/.exec(aux);
    if (m) {
      const c = Number(m[1]);
      if (c >= 1 && c <= 49) {
        custom.set(c, m[2]);
        drop.add(i);
      }
    }
  }
  if (drop.size === 0 && custom.size === 0 && !codes.includes(0)) return anns;
  const out: Annotation[] = [];
  anns.forEach((a, i) => {
    if (drop.has(i) || codes[i] === 0) return;
    const sym = custom.get(codes[i]);
    out.push(sym === undefined ? a : { ...a, symbol: sym });
  });
  return out;
}

/**
 * Encodes annotations as a WFDB MIT-format annotation file (the inverse of {@link parseAnnotations}).
 * Writes SKIP for intervals over 1023 samples, SUB when `subtype ≠ 0`, CHN/NUM when they change
 * from the previous annotation (both start at 0), AUX when `aux` is non-empty, and the end word.
 *
 * @param annotations annotations sorted by `sample` (non-decreasing)
 * @returns the file bytes
 * @throws BeatSslError if an annotation is out of order, has an unknown symbol, or a field out of
 *   range (`subtype`/`num` in −128…127, `chan` in 0…255, `aux` ≤ 255 Latin-1 characters)
 * @example
 * ```ts
 * const bytes = encodeAnnotations([{ sample: 100, symbol: 'N', subtype: 0, chan: 0, num: 0, aux: '' }]);
 * parseAnnotations(bytes)[0].sample; // 100
 * ```
 */
export function encodeAnnotations(annotations: readonly Annotation[]): Uint8Array {
  const fn = 'encodeAnnotations';
  if (!Array.isArray(annotations)) throw new BeatSslError(fn, `annotations must be an array of Annotation, but got ${describe(annotations)}.`, 'annotations');
  // Custom mnemonics (not in the WFDB table) get free codes and a definition block at sample 0.
  const customCode = new Map<string, number>();
  annotations.forEach((an, i) => {
    const sym = an?.symbol;
    if (typeof sym !== 'string' || CODE_OF.has(sym) || customCode.has(sym)) return;
    if (!/^\S+$/.test(sym) || sym.length > 200 || /[^\x01-\xff]/.test(sym)) {
      throw new BeatSslError(fn, `annotations[${i}].symbol must be a WFDB mnemonic or a custom mnemonic without white space (Latin-1), but got ${describe(sym)}.`, `annotations[${i}]`);
    }
    if (customCode.size >= CUSTOM_CODES.length) {
      throw new BeatSslError(fn, `annotations must use at most ${CUSTOM_CODES.length} custom mnemonics (free WFDB codes), but got more (e.g. ${describe(sym)}).`, 'annotations');
    }
    customCode.set(sym, CUSTOM_CODES[customCode.size]);
  });
  const defs: Annotation[] = [];
  if (customCode.size > 0) {
    const note = (aux: string): Annotation => ({ sample: 0, symbol: '"', subtype: 0, chan: 0, num: 0, aux });
    defs.push(note(DEF_START));
    for (const [sym, c] of customCode) defs.push(note(`${c} ${sym} ${sym}`));
    defs.push(note(DEF_END));
  }
  const words: number[] = [];
  let prev = 0;
  let chan = 0;
  let num = 0;
  [...defs, ...annotations].forEach((an, k) => {
    const i = k - defs.length;
    const arg = `annotations[${i}]`;
    if (!an || typeof an !== 'object') throw new BeatSslError(fn, `${arg} must be an Annotation, but got ${describe(an)}.`, arg);
    if (!Number.isSafeInteger(an.sample) || an.sample < 0) throw new BeatSslError(fn, `${arg}.sample must be a non-negative integer, but got ${describe(an.sample)}.`, arg);
    if (an.sample < prev) throw new BeatSslError(fn, `${arg}.sample must be ≥ the previous annotation's sample ${prev} (sorted order), but got ${an.sample}.`, arg);
    const code = CODE_OF.get(an.symbol) ?? customCode.get(an.symbol);
    if (code === undefined || code === 0) throw new BeatSslError(fn, `${arg}.symbol must be a WFDB annotation mnemonic, but got ${describe(an.symbol)}.`, arg);
    const subtype = an.subtype ?? 0;
    const c = an.chan ?? 0;
    const n = an.num ?? 0;
    const aux = an.aux ?? '';
    if (!Number.isInteger(subtype) || subtype < -128 || subtype > 127) throw new BeatSslError(fn, `${arg}.subtype must be an integer in [-128, 127], but got ${describe(subtype)}.`, arg);
    if (!Number.isInteger(c) || c < 0 || c > 255) throw new BeatSslError(fn, `${arg}.chan must be an integer in [0, 255], but got ${describe(c)}.`, arg);
    if (!Number.isInteger(n) || n < -128 || n > 127) throw new BeatSslError(fn, `${arg}.num must be an integer in [-128, 127], but got ${describe(n)}.`, arg);
    if (typeof aux !== 'string' || aux.length > 255 || /[^\x01-\xff]/.test(aux) || (an.sample === 0 && an.symbol === '"' && subtype === 0 && i >= 0 && /^(## |\d+[ \t]+\S)/.test(aux))) {
      throw new BeatSslError(fn, `${arg}.aux must be a string of at most 255 Latin-1 characters without NUL (and no definition-table note '## …' or '<code> <mnemonic>' at sample 0), but got ${describe(aux)}.`, arg);
    }
    let delta = an.sample - prev;
    if (delta > 1023) {
      while (delta > 1023) {
        const step = Math.min(delta, 0x7fffffff);
        words.push(SKIP << 10, (step >>> 16) & 0xffff, step & 0xffff);
        delta -= step;
      }
    }
    words.push((code << 10) | delta);
    prev = an.sample;
    if (subtype !== 0) words.push((SUB << 10) | (subtype & 0xff));
    if (c !== chan) {
      words.push((CHN << 10) | c);
      chan = c;
    }
    if (n !== num) {
      words.push((NUM << 10) | (n & 0xff));
      num = n;
    }
    if (aux.length > 0) {
      words.push((AUX << 10) | aux.length);
      for (let k = 0; k < aux.length; k += 2) {
        const b0 = aux.charCodeAt(k);
        const b1 = k + 1 < aux.length ? aux.charCodeAt(k + 1) : 0;
        words.push(b0 | (b1 << 8));
      }
    }
  });
  words.push(0);
  const out = new Uint8Array(words.length * 2);
  words.forEach((v, i) => {
    out[2 * i] = v & 0xff;
    out[2 * i + 1] = (v >> 8) & 0xff;
  });
  return out;
}
