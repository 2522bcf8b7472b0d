/** Read budgets and fixed size limits of beat-ssl/io. Private; runtime-neutral. */

/** Default `maxSamples` budget of the record readers: 2²⁷ samples (512 MiB as Float32). */
export const DEFAULT_MAX_SAMPLES = 2 ** 27;
/** Default `maxBytes` budget of the record readers: 1 GiB read per record. */
export const DEFAULT_MAX_BYTES = 2 ** 30;
/** Largest header file read (a WFDB header is text; a master header with 100,000 segments is about 2.5 MB). */
export const MAX_HEADER_BYTES = 16 * 2 ** 20;
/** Default `maxBytes` of the annotation readers: 64 MiB (32 M annotation words). */
export const DEFAULT_MAX_ANNOTATION_BYTES = 64 * 2 ** 20;
