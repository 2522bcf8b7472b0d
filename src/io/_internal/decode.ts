/** WFDB checksums. Private; runtime-neutral. */

/** 16-bit two's-complement sum of the first `n` samples (WFDB checksum). */
export function checksum16(samples: Int32Array, n = samples.length): number {
  let sum = 0;
  for (let k = 0; k < n; k++) sum = (sum + samples[k]) & 0xffff;
  return (sum << 16) >> 16;
}
