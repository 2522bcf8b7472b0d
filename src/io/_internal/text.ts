/** Header text decoding. Private; runtime-neutral. */

/** Decodes header bytes as UTF-8 when valid, else as Latin-1 (old headers may write `µV` as byte 0xB5). */
export function decodeHeaderText(bytes: Uint8Array): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    let s = '';
    for (let i = 0; i < bytes.length; i++) s += String.fromCharCode(bytes[i]);
    return s;
  }
}
