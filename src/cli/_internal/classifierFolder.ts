/**
 * A classifier model folder as `beat-ssl finetune --task classify` writes it: the classifier
 * (`EcgClassifier.save`) plus `preprocess.json`, the preprocessing it was trained with, so that
 * `classify` and `eval --task classify` prepare records exactly as training did. Private to the CLI.
 */
import type { EcgRecord } from '../../core/types';
import type { EcgClassifier } from '../../heads/classification';

/** Preprocessing of a classifier folder (the fields of `preprocessRecord`'s options). */
export interface ClassifierPreprocessing {
  fs: number;
  leads: string[];
  bandpassHz: [number, number] | null;
  standardize: 'lead' | 'none';
}

/** A loaded classifier folder. */
export interface ClassifierFolder {
  classifier: EcgClassifier;
  preprocessing: ClassifierPreprocessing;
  /** Class probabilities of one record (any length, native rate), preprocessed as in training. */
  probabilities(record: EcgRecord): Float32Array;
  dispose(): void;
}

/** Saves a classifier and its preprocessing as one folder, atomically (`writeDirAtomic`). */
export async function saveClassifierFolder(dir: string, classifier: EcgClassifier, preprocessing: ClassifierPreprocessing): Promise<void> {
  const fs = await import('node:fs/promises');
  const path = await import('node:path');
  const { writeDirAtomic } = await import('../../core/atomicWrite');
  await writeDirAtomic(
    dir,
    async (tmp) => {
      await classifier.saveInto(tmp);
      await fs.writeFile(path.join(tmp, 'preprocess.json'), JSON.stringify({ task: 'classify', ...preprocessing }, null, 2) + '\n');
    },
    { fn: 'beat-ssl finetune' },
  );
}

/** Loads a classifier folder; a folder without `preprocess.json` is an error naming the fix. */
export async function loadClassifierFolder(dir: string): Promise<ClassifierFolder> {
  const fs = await import('node:fs/promises');
  const path = await import('node:path');
  const { BeatSslError } = await import('../../core/errors');
  const text = await fs.readFile(path.join(dir, 'preprocess.json'), 'utf8').catch(() => null);
  if (text === null) throw new BeatSslError('beat-ssl classify', `--model must be a classifier folder with preprocess.json (from 'beat-ssl finetune --task classify'), but ${JSON.stringify(dir)} has none.`, 'model');
  const pre = JSON.parse(text) as ClassifierPreprocessing & { task?: string };
  if (pre.task !== 'classify') throw new BeatSslError('beat-ssl classify', `--model must be a classifier folder, but ${JSON.stringify(dir)} holds a ${pre.task ?? 'segmentation'} model (use 'beat-ssl segment --model').`, 'model');
  const tf = await import('@tensorflow/tfjs-core');
  const { EcgClassifier } = await import('../../heads/classification');
  const { preprocessRecord, interleaveLeads } = await import('../../data/preprocess');
  const { missingLeads } = await import('../../core/leads');
  const classifier = await EcgClassifier.load(dir);
  const preprocessing: ClassifierPreprocessing = { fs: pre.fs, leads: pre.leads, bandpassHz: pre.bandpassHz, standardize: pre.standardize };
  return {
    classifier,
    preprocessing,
    probabilities(record) {
      const missing = missingLeads(record.leads, preprocessing.leads);
      if (missing.length > 0) {
        throw new BeatSslError(
          'beat-ssl classify',
          `the record must have the ${preprocessing.leads.length} leads the classifier was trained on (${preprocessing.leads.join(', ')}), but it has ${record.leads.join(', ')} (missing ${missing.join(', ')}). Use a ${preprocessing.leads.length}-lead record, or fine-tune a classifier on the leads you have.`,
          'record',
        );
      }
      const p = preprocessRecord(record, preprocessing);
      const T = p.signals[0].length;
      const x = interleaveLeads(p.signals);
      for (let i = 0; i < x.length; i++) if (!Number.isFinite(x[i])) x[i] = 0;
      const probs = tf.tidy(() => classifier.predict(tf.tensor3d(x, [1, T, p.signals.length])).probabilities);
      const out = probs.dataSync() as Float32Array;
      probs.dispose();
      return Float32Array.from(out);
    },
    dispose: () => classifier.dispose(),
  };
}
