// segmentationModelFromFiles (beat-ssl/heads): the browser path of loading a saved segmentation
// model from in-memory files gives the same segmentation as loading the folder from disk.
import { describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createEncoder } from 'beat-ssl/models';
import { createSegmenter, loadSegmentationModel, saveSegmentationModel, segmentationModelFromFiles } from 'beat-ssl/heads';
import { segmentRecord } from 'beat-ssl/analysis';
import { readLudbSample } from '../plot/_helpers';

describe('segmentationModelFromFiles', () => {
  it('loads a saved model from memory and segments like the folder version', async () => {
    await tf.setBackend('cpu');
    const dir = join(mkdtempSync(join(tmpdir(), 'beat-ssl-segfiles-')), 'model');
    const seg = createSegmenter(createEncoder('tiny'), { seed: 3 });
    await saveSegmentationModel(dir, seg, { fs: 100, leads: ['I', 'II', 'III', 'aVR', 'aVL', 'aVF', 'V1', 'V2', 'V3', 'V4', 'V5', 'V6'], bandpassHz: [0.5, 40], standardize: 'lead' });
    seg.dispose();
    const files = Object.fromEntries(readdirSync(dir).map((f) => [f, new Uint8Array(readFileSync(join(dir, f)))]));
    const record = readLudbSample(1);
    const before = tf.memory().numTensors;
    const fromMemory = await segmentationModelFromFiles(files);
    const fromDisk = await loadSegmentationModel(dir);
    const a = await segmentRecord(record, fromMemory);
    const b = await segmentRecord(record, fromDisk);
    expect(a.waves).toEqual(b.waves);
    expect(fromMemory.preprocessing.fs).toBe(100);
    fromMemory.dispose();
    fromDisk.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('names the missing file', async () => {
    await expect(segmentationModelFromFiles({ 'model.json': '{}' })).rejects.toThrow("Error in segmentationModelFromFiles: files['weights.bin'] must be a Uint8Array");
    await expect(segmentationModelFromFiles({ 'model.json': '{}', 'weights.bin': new Uint8Array(4) })).rejects.toThrow("files['segmenter.json'] must be present");
  });
});
