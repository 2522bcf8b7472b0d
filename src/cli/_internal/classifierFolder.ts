/**
 * A classifier model folder as `beat-ssl finetune --task classify` writes it: the one model-folder
 * format of `beat-ssl/heads` (`saveModelFolder` / `loadModelFolder`: the classifier plus
 * `preprocess.json`, the preprocessing it was trained with), so that `classify` and `eval --task
 * classify` prepare records exactly as training did. Private to the CLI.
 */
import type { EcgRecord } from '../../core/types';
import type { EcgClassifier } from '../../heads/classification';
import type { PreprocessOptions, PreprocessSpec } from '../../signal/preprocess';

/** A loaded classifier folder. */
export interface ClassifierFolder {
  classifier: EcgClassifier;
  preprocessing: PreprocessSpec;
  /** Class probabilities of one record (any length, native rate), preprocessed as in training. */
  probabilities(record: EcgRecord): Float32Array;
  dispose(): void;
}

/** Saves a classifier and its preprocessing as one model folder. */
export async function saveClassifierFolder(dir: string, classifier: EcgClassifier, preprocessing: PreprocessOptions): Promise<void> {
  const { saveModelFolder } = await import('../../heads/modelFolder');
  await saveModelFolder(dir, classifier, { preprocessing });
}

/** Loads a classifier folder; a folder without `preprocess.json` or of another kind is an error naming the fix. */
export async function loadClassifierFolder(dir: string): Promise<ClassifierFolder> {
  const { BeatSslError } = await import('../../core/errors');
  const { missingLeads } = await import('../../core/leads');
  const { loadModelFolder } = await import('../../heads/modelFolder');
  const { recordToTensor } = await import('../../signal/preprocess');
  const tf = await import('@tensorflow/tfjs-core');
  const loaded = await loadModelFolder(dir);
  if (loaded.kind !== 'classifier') {
    loaded.dispose();
    throw new BeatSslError('beat-ssl classify', `--model must be a classifier folder, but ${JSON.stringify(dir)} holds a ${loaded.kind === 'segmenter' ? 'segmentation model (use \'beat-ssl segment --model\')' : 'pretrained encoder (fine-tune it first with \'beat-ssl finetune --task classify\')'}.`, 'model');
  }
  if (loaded.preprocessing === null) {
    loaded.dispose();
    throw new BeatSslError('beat-ssl classify', `--model must be a classifier folder with preprocess.json (from 'beat-ssl finetune --task classify'), but ${JSON.stringify(dir)} has none.`, 'model');
  }
  const classifier = loaded.model;
  const preprocessing = loaded.preprocessing;
  return {
    classifier,
    preprocessing,
    probabilities(record) {
      const leads = preprocessing.leads === 'all' ? [] : preprocessing.leads;
      const missing = missingLeads(record.leads, leads);
      if (missing.length > 0) {
        throw new BeatSslError(
          'beat-ssl classify',
          `the record must have the ${leads.length} leads the classifier was trained on (${leads.join(', ')}), but it has ${record.leads.join(', ')} (missing ${missing.join(', ')}). Use a ${leads.length}-lead record, or fine-tune a classifier on the leads you have.`,
          'record',
        );
      }
      const probs = tf.tidy(() => {
        const x = recordToTensor(record, preprocessing);
        return classifier.predict(x).probabilities;
      });
      const out = Float32Array.from(probs.dataSync());
      probs.dispose();
      return out;
    },
    dispose: () => classifier.dispose(),
  };
}
