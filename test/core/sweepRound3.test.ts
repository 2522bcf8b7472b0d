/**
 * Bad-input sweep, round 3 (issue 17): the silent results and raw errors fixed in this round, one
 * assertion each on the exact message (the sweep itself only checks function and argument names).
 * Each of these returned a result or threw a raw TypeError/RangeError/SyntaxError before.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { useTestBackend } from '../_backend';
import { wavesToMask, matchEvents, compareBeats, ec57Summary, beatAnnotationSamples, compareDelineation, createDiceAccumulator } from '../../src/metrics';
import { collectDataset, sampleFraction, ludbLabels, decodeCacheValue } from '../../src/data';
import { modelToFiles, topologyClassNames } from '../../src/models/persist';
import { segmentationSettings } from '../../src/heads';
import { classificationTask, finetuneLoop, readLatestCheckpoint } from '../../src/train';
import { createClassifier } from '../../src/heads';
import { createEncoder, ENCODER_PRESETS } from '../../src/models';
import { formatHeader, parseHeader } from '../../src/io';
import { pairTargets, paddedValidMask, softTargetMatrix, classTargets } from '../../src/losses';
import { sampleTs2VecCrops } from '../../src/augment';
import { beatRoiPlan, encoderGeometry, resolveEncoderConfig, BeatSslModel } from '../../src/models';
import { wavesToNativeRate } from '../../src/heads';
import { precomputeRecords } from '../../src/data';
import { notch, notchSos } from '../../src/signal';

beforeAll(async () => {
  await useTestBackend();
});

describe('sweep round 3: the library error instead of a silent result or a raw error', () => {
  it('metrics', () => {
    expect(() => wavesToMask([null as never], 10)).toThrow("Error in wavesToMask: waves[0] must be a wave { type: 'P' | 'QRS' | 'T', onset, offset }, but got null.");
    expect(() => wavesToMask([], 1e12)).toThrow('Error in wavesToMask: length must be an integer in [0, 2147483647], but got 1000000000000.');
    expect(() => createDiceAccumulator(1e12)).toThrow('Error in createDiceAccumulator: numClasses must be an integer in [2, 65536], but got 1000000000000.');
    expect(() => matchEvents([-1], [1], 5)).toThrow('Error in matchEvents: reference[0] must be an event time in [0, 2147483647] (counted from the record start), but got -1.');
    expect(() => compareBeats([100], [1e12], 360)).toThrow('Error in compareBeats: test[0] must be an event time in [0, 2147483647]');
    expect(() => ec57Summary([NaN as never])).toThrow('Error in ec57Summary: results[0] must be a compareBeats result');
    expect(() => beatAnnotationSamples([null as never])).toThrow('Error in beatAnnotationSamples: annotations[0] must be an annotation { sample, symbol }, but got null.');
    expect(() => compareDelineation([{ type: 'QRS', onset: -1, offset: 4 }], [], 500)).toThrow('Error in compareDelineation: test must be one wave list per reference record (1), but got "0 lists".');
    expect(() => compareDelineation([[{ type: 'QRS', onset: -1, offset: 4 }]], [[]], 500)).toThrow('Error in compareDelineation: reference[0][0].onset must be a sample index in [0, 2147483647], but got -1.');
  });

  it('data', async () => {
    await expect(collectDataset('x' as never)).rejects.toThrow('Error in collectDataset: dataset must be a Dataset (from createDataset, loadLudb, loadPtbxl, ...), but got "x".');
    expect(() => sampleFraction(1e12, 0.5, 1)).toThrow('Error in sampleFraction: n must be an integer in [0, 2147483647], but got 1000000000000.');
    expect(() => sampleFraction(10, 0.5, NaN)).toThrow('Error in sampleFraction: seed must be a seed (a finite number) or an Rng');
    expect(() => ludbLabels([{ sample: NaN, symbol: 'N' } as never], 10)).toThrow('Error in ludbLabels: annotations[0] must be an annotation { sample, symbol } with an integer sample in [0, 2147483647]');
    expect(() => decodeCacheValue('{"v": 1')).toThrow(/^Error in decodeCacheValue: text must be JSON text written by encodeCacheValue \(.*delete the cache entry to rebuild it\)/);
    expect(() => decodeCacheValue(42 as never)).toThrow('Error in decodeCacheValue: text must be JSON text written by encodeCacheValue, but got 42.');
  });

  it('models, heads, train, io', async () => {
    await expect(modelToFiles({} as never)).rejects.toThrow('Error in modelToFiles: model must be a tf.LayersModel, but got {}.');
    expect(() => topologyClassNames(null)).toThrow('Error in topologyClassNames: topology must be a model topology object (modelJson.modelTopology), but got null.');
    expect(() => segmentationSettings({} as never)).toThrow(/^Error in segmentationSettings: preprocess\.json fs must be/);
    expect(() => segmentationSettings({ fs: 100, leads: ['II'], waveSources: 'rules' })).toThrow("Error in segmentationSettings: pre.waveSources must be an object (see SegmentationSettings), but got \"rules\".");
    expect(segmentationSettings(null)).toEqual({});
    expect(() => classificationTask(null as never, 'finetuneClassifier')).toThrow('Error in classificationTask: clf must be an EcgClassifier (createClassifier), but got null.');
    await expect(readLatestCheckpoint('' as never)).rejects.toThrow('Error in readLatestCheckpoint: dir must be a checkpoint folder path, but got "".');
    const h = parseHeader('100 1 360 10\n100.dat 16 200 16 0 0 0 0 MLII\n');
    expect(() => formatHeader({ ...h, signals: undefined } as never)).toThrow('Error in formatHeader: header.signals must be an array of signal specs');
    const clf = createClassifier(createEncoder({ ...ENCODER_PRESETS.tiny, leads: 1, seed: 1 }), { numClasses: 2 });
    try {
      await expect(finetuneLoop(classificationTask(clf, 'finetuneLoop'), { train: [], epochs: 1, classifer: clf } as never)).rejects.toThrow(
        /^Error in finetuneLoop: options must have only the keys .*'classifier', but got unknown key 'classifer'\./,
      );
    } finally {
      clf.dispose();
    }
  });

  it('counts that would allocate gigabytes or overflow (raw RangeError or silently wrong before)', () => {
    expect(() => pairTargets(1e12)).toThrow('Error in pairTargets: n must be an integer in [1, 8192], but got 1000000000000.');
    expect(() => paddedValidMask([1, 2], 1e12)).toThrow('Error in paddedValidMask: maxCount must be an integer ≤ 536870911 (the mask has 2 · 2 · maxCount values), but got 1000000000000.');
    expect(() => softTargetMatrix(Float64Array.of(1, 0.5, 0.5, 1), 2, 1e12)).toThrow('Error in softTargetMatrix: exponent must be a number in [0, 10000], but got 1000000000000.');
    expect(() => classTargets([0, 1e12])).toThrow('Error in classTargets: labels[1] must be an integer class label ≤ 2147483647 (negative: unknown class), but got 1000000000000.');
    expect(() => sampleTs2VecCrops(1e12, 2, { seed: 1 })).toThrow('Error in sampleTs2VecCrops: length must be an integer in [1, 2147483647], but got 1000000000000.');
    expect(() => sampleTs2VecCrops(64, 1e12, { seed: 1 })).toThrow('Error in sampleTs2VecCrops: batch must be an integer in [1, 2147483647], but got 1000000000000.');
    const geometry = encoderGeometry('tiny', 256)[1]!;
    expect(() => beatRoiPlan([Int32Array.of(100)], 1e9, { geometry, fs: 100, maxBeats: 4 })).toThrow(/^Error in beatRoiPlan: frames must be a frame count whose pooling matrix/);
    expect(() => encoderGeometry('tiny', 1e12)).toThrow('Error in encoderGeometry: timeSamples must be an integer in [1, 2147483647], but got 1000000000000.');
  });

  it('config resolvers name themselves, or the public function that called them', () => {
    expect(() => resolveEncoderConfig(42 as never)).toThrow('Error in resolveEncoderConfig: config must be an EncoderConfig object or a preset name, but got 42.');
    expect(() => encoderGeometry('huge' as never, 256)).toThrow("Error in encoderGeometry: config must be one of 'tiny', 'small', 'base', but got \"huge\".");
    expect(() => BeatSslModel.create({ encoder: { widths: [0] } })).toThrow('Error in BeatSslModel.create: config.encoder.widths[0] must be an integer ≥ 1, but got 0.');
    expect(() => BeatSslModel.create([] as never)).toThrow(/^Error in BeatSslModel\.create: config must be an options object/);
  });

  it('heads and data: NaN model output, nothing to precompute', async () => {
    const probs = new Float32Array(40).fill(0.25);
    probs[5] = NaN;
    expect(() => wavesToNativeRate([{ type: 'QRS', onset: 2, offset: 4 }], probs, 4, 10, 5, 50)).toThrow('Error in wavesToNativeRate: probs[5] must be a finite class probability (a NaN comes from a broken model output), but got NaN.');
    // no record to process: the task module is not even loaded
    expect((await precomputeRecords([], { task: { module: '/nonexistent/task.mjs', exportName: 'f' } })).values).toEqual([]);
    await expect(precomputeRecords(['/nonexistent/rec'], { task: { module: '/nonexistent/task.mjs', exportName: 'f' }, workers: 0 })).rejects.toThrow(/^Error in precomputeRecords: opts\.task\.module must be a module that can be imported/);
  });

  it('notch filters: q beyond 1e4 is an error (q = 1e12 designed an identity filter)', () => {
    expect(() => notchSos(50, 1e12, 500)).toThrow('Error in notchSos: q must be a quality factor in (0, 10000] (MAX_NOTCH_Q), but got 1000000000000.');
    expect(() => notch(new Float32Array(100), 500, 50, { q: 1e5 })).toThrow('Error in notch: options.q must be a quality factor in (0, 10000] (MAX_NOTCH_Q), but got 100000.');
    expect(notchSos(50, 1e4, 500)).toHaveLength(1);
  });
});
