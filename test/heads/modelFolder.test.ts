/**
 * One model-folder format and one loader for every model kind (issue 15): weights + config + the
 * preprocessing spec, written atomically, read by `loadModelFolder` (and so by every CLI command).
 */
import { describe, expect, it, beforeAll, afterAll } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { BeatSslModel, createEncoder, ENCODER_PRESETS } from '../../src/models/index';
import { createClassifier, createSegmenter } from '../../src/heads/index';
import { loadModelFolder, modelFolderKind, saveModelFolder } from '../../src/heads/modelFolder';
import { loadSegmentationModel } from '../../src/heads/segmentationModel';
import { preprocessSpec } from '../../src/signal/preprocess';
import { useTestBackend } from '../_backend';

const SHIPPED = resolve(__dirname, '../../weights/segmentation-v1');
let tmp = '';
beforeAll(async () => {
  await useTestBackend();
  tmp = mkdtempSync(join(tmpdir(), 'beat-ssl-folder-'));
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const tiny = () => createEncoder({ ...ENCODER_PRESETS.tiny, seed: 2 });
const x = () => tf.randomNormal([1, 64, 12], 0, 1, 'float32', 5) as tf.Tensor3D;

describe('saveModelFolder / loadModelFolder', () => {
  it('round-trips every kind with its preprocessing spec and identical outputs', async () => {
    const spec = { fs: 100, lengthSamples: 1000 };
    const models = {
      pretrained: BeatSslModel.create({ encoder: { ...ENCODER_PRESETS.tiny, leads: 12 }, projectionDim: 8, seed: 1 }),
      classifier: createClassifier(tiny(), { numClasses: 3, seed: 1 }),
      segmenter: createSegmenter(tiny(), { seed: 1 }),
    };
    for (const [kind, model] of Object.entries(models)) {
      const dir = join(tmp, kind);
      await saveModelFolder(dir, model, { preprocessing: spec, files: { 'README.md': `# ${kind}\n` } });
      expect(await modelFolderKind(dir)).toBe(kind);
      expect(readFileSync(join(dir, 'README.md'), 'utf8')).toBe(`# ${kind}\n`);
      const before = tf.memory().numTensors;
      const loaded = await loadModelFolder(dir);
      expect(loaded.kind).toBe(kind);
      expect(loaded.preprocessing).toEqual(preprocessSpec(spec));
      const input = x();
      const out = (m: unknown) =>
        tf.tidy(() => {
          if (m instanceof BeatSslModel) return m.apply(input).rhythm;
          return (m as { logits(t: tf.Tensor3D): tf.Tensor }).logits(input);
        });
      const a = out(model);
      const b = out(loaded.model);
      expect(Array.from(b.dataSync())).toEqual(Array.from(a.dataSync()));
      tf.dispose([a, b, input]);
      loaded.dispose();
      expect(tf.memory().numTensors).toBe(before);
      model.dispose();
    }
    expect(readdirSync(tmp).filter((n) => n.includes('.tmp') || n.endsWith('.old'))).toEqual([]);
  });

  it('a segmenter folder carries its segmentation settings; loadSegmentationModel reads the same folder', async () => {
    const dir = join(tmp, 'seg-settings');
    const seg = createSegmenter(tiny(), { seed: 1 });
    await saveModelFolder(dir, seg, { preprocessing: { fs: 100 }, postprocessing: { mergeGapSec: 0.04 }, calibrationMs: { QRS: [1, -1] }, waveSources: { P: 'rules' } });
    seg.dispose();
    const loaded = await loadModelFolder(dir);
    expect(loaded.kind === 'segmenter' && [loaded.postprocessing, loaded.calibrationMs, loaded.waveSources]).toEqual([{ mergeGapSec: 0.04 }, { QRS: [1, -1] }, { P: 'rules' }]);
    loaded.dispose();
    const m = await loadSegmentationModel(dir);
    expect(m.preprocessing).toEqual(preprocessSpec({ fs: 100 }));
    expect(m.waveSources).toEqual({ P: 'rules' });
    m.dispose();
  });

  it('folders saved by a model\'s own save() load with preprocessing null; other folders are named errors', async () => {
    const clf = createClassifier(tiny(), { numClasses: 2 });
    await clf.save(join(tmp, 'bare'));
    clf.dispose();
    const bare = await loadModelFolder(join(tmp, 'bare'));
    expect(bare.kind).toBe('classifier');
    expect(bare.preprocessing).toBeNull();
    bare.dispose();
    await expect(loadSegmentationModel(join(tmp, 'bare'))).rejects.toThrow(/Error in loadSegmentationModel: dir must be a segmentation model folder with preprocess.json, but ".*bare" is a classifier folder without preprocess.json\./);
    await expect(loadModelFolder(tmp)).rejects.toThrow(/^Error in loadModelFolder: dir must be a beat-ssl model folder \(with beat-ssl.json, classifier.json, segmenter.json or its weights\)/);
    writeFileSync(join(tmp, 'bare', 'preprocess.json'), '{"fs": 100, "leads": ["II"], "format": "x@9"}');
    await expect(loadModelFolder(join(tmp, 'bare'))).rejects.toThrow("Error in loadModelFolder: preprocess.json format must be 'beat-ssl-preprocess@1', but got \"x@9\".");
    const seg = createSegmenter(tiny());
    await expect(saveModelFolder(join(tmp, 'x'), seg, {} as never)).rejects.toThrow(/^Error in saveModelFolder: opts.preprocessing must be the preprocessing spec the model was trained with/);
    await expect(saveModelFolder(join(tmp, 'x'), createClassifier(tiny(), { numClasses: 1 }), { preprocessing: { fs: 100 }, waveSources: { P: 'rules' } })).rejects.toThrow(/segmentation settings only for an EcgSegmenter/);
    seg.dispose();
  });

  it.skipIf(!existsSync(join(SHIPPED, 'model.json')))('reads the shipped weights (a folder written before the format tag) as a segmenter with its spec', async () => {
    const loaded = await loadModelFolder(SHIPPED);
    expect(loaded.kind).toBe('segmenter');
    expect(loaded.preprocessing).toEqual(preprocessSpec({ fs: 100 }));
    expect(loaded.kind === 'segmenter' && loaded.waveSources).toEqual({ P: 'rules', QRS: 'rules' });
    loaded.dispose();
  });
});
