/**
 * Moved: the preprocessing now lives in `beat-ssl/signal` (`preprocess`), with the saved
 * preprocessing spec, so that `heads` no longer depends on `data`. This module re-exports it for
 * code written against `beat-ssl/data`.
 * @deprecated import `preprocessRecord`, `interleaveLeads`, `PreprocessOptions` from `beat-ssl/signal`.
 * @module
 */
export { preprocessRecord, interleaveLeads, type PreprocessOptions } from '../signal/preprocess';
