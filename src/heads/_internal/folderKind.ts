/**
 * The kind check shared by the loaders of one model kind (`loadPretrainedEncoder`,
 * `loadSegmentationModel`): the loaded folder must hold that kind and a `preprocess.json`.
 * @internal
 */
import { BeatSslError } from '../../core/errors';
import type { PreprocessSpec } from '../../signal/preprocess';
import type { LoadedModelFolder } from '../modelFolder';

/**
 * Returns `loaded` narrowed to `kind` with its preprocessing; otherwise frees it and throws
 * `Error in <fn>: dir must be <expected>, but "<folder>" is a <kind> folder[ without preprocess.json].`
 */
export function requireFolderKind<K extends LoadedModelFolder['kind']>(
  loaded: LoadedModelFolder,
  kind: K,
  fn: string,
  expected: string,
  folder: string,
): Extract<LoadedModelFolder, { kind: K }> & { preprocessing: PreprocessSpec } {
  if (loaded.kind !== kind || loaded.preprocessing === null) {
    loaded.dispose();
    throw new BeatSslError(fn, `dir must be ${expected}, but ${JSON.stringify(folder)} is a ${loaded.kind} folder${loaded.preprocessing ? '' : ' without preprocess.json'}.`, 'dir');
  }
  return loaded as Extract<LoadedModelFolder, { kind: K }> & { preprocessing: PreprocessSpec };
}
