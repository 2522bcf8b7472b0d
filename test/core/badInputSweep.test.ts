/**
 * The bad-input sweep of issue 17 as tests: every public function of the package (every export of
 * every entry point: `src/index.ts` and the subpath-only files) and the public statics of the
 * exported classes have an entry below. For each, every parameter in turn gets bad values chosen by
 * the type of its valid value (wrong type, null, NaN, ±Infinity, −1, 1e12, empty, NaN inside, an
 * unknown option key, ...; see test/core/_sweep.ts). Each call must throw a `BeatSslError` whose
 * message starts with `Error in <publicName>` and names the parameter, within 1 s, leaving no tensor
 * behind — or be listed in `accepts` with the documented reason (or a check of the documented
 * result). A new export without an entry fails the first test, so the sweep keeps up with the API.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
// @ts-expect-error plain ESM helper without types
import { listEntries } from '../../scripts/entries.mjs';
import { useTestBackend } from '../_backend';
import { synthEcg, regularBeats } from '../beats/synth';
import { syntheticRecords } from '../train/_synthetic';
import { sweep, type Accept, type SweepEntry } from './_sweep';
import * as B from '../../src/index';
import * as persist from '../../src/models/persist';
import type { EcgRecord, Wave } from '../../src/core/types';

const ROOT = resolve(__dirname, '../..');
const EX = join(ROOT, 'examples/data');
let TMP = '';
let CWD = '';

// ---------------------------------------------------------------- fixtures (fresh per call)
const FS = 250;
const ecg = synthEcg({ fs: FS, durationSec: 8, beats: regularBeats(75, 8), noiseSd: 0.01, seed: 3 });
const sig = (): Float32Array => ecg.signal.slice();
const peaks = (): Int32Array => Int32Array.from(ecg.rPeaks);
const leads12 = (n = 1000): Float32Array[] => Array.from({ length: 12 }, (_, l) => Float32Array.from(ecg.signal.subarray(0, n), (v) => v * (1 + l / 12)));
const record = (): EcgRecord => ({ name: 'r', fs: FS, leads: [...B.CANONICAL_LEADS], signals: leads12(2000), units: B.CANONICAL_LEADS.map(() => 'mV'), comments: [] });
const record2 = (): EcgRecord => ({ name: 'r2', fs: FS, leads: ['I', 'II'], signals: [sig(), sig()], units: ['mV', 'mV'], comments: [] });
const waves = (): Wave[] => [
  { type: 'P', onset: 80, offset: 100, peak: 90 },
  { type: 'QRS', onset: 120, offset: 140, peak: 130 },
  { type: 'T', onset: 180, offset: 230, peak: 200 },
  { type: 'P', onset: 280, offset: 300, peak: 290 },
  { type: 'QRS', onset: 320, offset: 340, peak: 330 },
  { type: 'T', onset: 380, offset: 430, peak: 400 },
];
const batch = (b = 2, t = 64, l = 12): tf.Tensor3D => tf.randomNormal([b, t, l], 0, 1, 'float32', 1);
const z2 = (n = 8, d = 4): tf.Tensor2D => tf.randomNormal([n, d], 0, 1, 'float32', 2);
const tinyEncoder = (leads = 12) => B.createEncoder({ ...B.ENCODER_PRESETS.tiny, leads, seed: 1 });
const ts2vec = () => B.createTs2VecEncoder({ inputChannels: 2, hiddenChannels: 4, outputChannels: 4, depth: 1, seed: 1 });
const roiOpts = () => ({ geometry: B.encoderGeometry('tiny', 256)[1]!, fs: 100, maxBeats: 4 });
const pairPlanArgs = () => [[{ samples: [150, 200], ids: [1, 2] }], [{ samples: [50, 100], ids: [1, 2] }], 64, { ...roiOpts(), inputLength: 256 }] as const;
const ckptState = () => ({ step: 1, rngState: B.createRng(1).getState(), config: { a: 1 } });
const any = (why: string): Record<string, Accept> => ({ '*': why });

/** The table: one entry per public function. */
const TABLE: Record<string, SweepEntry> = {};
const add = (name: string, e: SweepEntry) => {
  if (TABLE[name]) throw new Error(`duplicate sweep entry ${name}`);
  TABLE[name] = e;
};

// ---------------------------------------------------------------- core
{
  const helper = any('error helpers take any value and report it; they return it or throw a BeatSslError');
  const helpers = (n: number) => Object.fromEntries(Array.from({ length: n }, (_, i) => [i, helper]));
  add('describe', { valid: () => [1], accepts: helpers(1), errorName: null });
  add('fail', { valid: () => ['f', 'a', 'b', 1], accepts: helpers(4), errorName: null, noBaseline: 'always throws' });
  add('check', { valid: () => [true, 'f', 'a', 'b', 1], accepts: helpers(5), errorName: null });
  add('checkPositive', { valid: () => [1, 'f', 'a'], accepts: helpers(4), errorName: null });
  add('checkFs', { valid: () => [250, 'f'], accepts: helpers(3), errorName: null });
  add('checkInt', { valid: () => [3, 'f', 'k', 0, 10], accepts: helpers(5), errorName: null });
  add('checkRange', { valid: () => [0.5, 'f', 'k', 0, 1], accepts: helpers(5), errorName: null });
  add('checkOneOf', { valid: () => ['a', ['a', 'b'], 'f', 'k'], accepts: { 0: helper, 2: helper, 3: helper }, errorName: null });
  add('checkKnownKeys', { valid: () => [{ a: 1 }, ['a'], 'f', 'opts'], accepts: { 0: any('not an object: left to the caller (documented)'), 2: helper, 3: helper }, errorName: null });
  add('checkSamples', { valid: () => [new Float32Array(4), 'f', 'x'], accepts: helpers(4), errorName: null });
  add('createRng', { valid: () => [1] });
  add('toRng', { valid: () => [1, 'f'], accepts: { 0: { undefined: 'no seed: a fresh random seed (documented)' }, 1: helper, 2: helper }, errorName: null });
  // lead-name normalisation reads any header text and never throws (documented): a non-string is no lead
  add('normalizeLeadName', { valid: () => ['II'], accepts: { 0: { '*': (o) => expect(o).toBeNull() } } });
  add('canonicalLeadName', { valid: () => ['avl'], accepts: { 0: { '*': (o) => expect(o).toBe('') } } });
  add('findLead', { valid: () => [['I', 'II'], 'II'], accepts: { 0: { empty: (o) => expect(o).toBe(-1) }, 1: { 'empty string': (o) => expect(o).toBe(-1) } } });
  add('missingLeads', { valid: () => [['I', 'II'], ['II']], accepts: { 0: { empty: (o) => expect(o).toEqual(['II']) }, 1: { empty: (o) => expect(o).toEqual([]) } } });
  add('syncToDisk', { valid: () => [TMP] });
  add('writeFileAtomic', { valid: () => [join(TMP, 'wfa.txt'), 'x'], accepts: { 1: { 'empty string': 'an empty file' } } });
  add('writeFilesAtomic', { valid: () => [[{ path: join(TMP, 'wfsa.txt'), data: 'x' }]], accepts: { 0: { empty: 'nothing to write (documented)' } } });
  add('writeDirAtomic', { valid: () => [join(TMP, 'wda'), async () => undefined] });
  add('committedDir', { valid: () => [TMP] });
}

// ---------------------------------------------------------------- signal
{
  add('butterSos', { valid: () => [4, 40, 'lowpass', FS] });
  add('notchSos', { valid: () => [50, 30, FS] });
  add('sosfilt', { valid: () => [B.butterSos(2, 40, 'lowpass', FS), sig()] });
  add('sosfiltZi', { valid: () => [B.butterSos(2, 40, 'lowpass', FS)] });
  add('sosfiltfilt', { valid: () => [B.butterSos(2, 40, 'lowpass', FS), sig()] });
  add('bandpass', { valid: () => [sig(), FS, 0.5, 40] });
  add('lowpass', { valid: () => [sig(), FS, 40] });
  add('highpass', { valid: () => [sig(), FS, 0.5] });
  add('notch', { valid: () => [sig(), FS, 50] });
  add('removeBaselineWander', { valid: () => [sig(), FS] });
  add('interpolateNaN', { valid: () => [sig()], accepts: { 0: { 'NaN inside': (o) => expect(Array.from(o as Float32Array).every(Number.isFinite)).toBe(true), empty: (o) => expect((o as Float32Array).length).toBe(0) } } });
  add('resamplePoly', { valid: () => [sig(), 2, 5] });
  add('resampleFactors', { valid: () => [360, 250] });
  add('resample', { valid: () => [sig(), FS, 100] });
  add('resampleRecord', { valid: () => [record(), 100] });
  add('signalStats', { valid: () => [sig()], accepts: { 0: { 'NaN inside': 'non-finite samples are left out (documented: count of finite samples)', empty: (o) => expect((o as { count: number }).count).toBe(0) } } });
  add('standardizeSignal', { valid: () => [sig()], accepts: { 0: { 'NaN inside': 'non-finite inputs stay NaN (documented)', empty: (o) => expect((o as Float32Array).length).toBe(0) } } });
  add('standardizeRecord', { valid: () => [record()] });
  add('selectLeads', { valid: () => [record(), ['II', 'V1']] });
  add('deriveLimbLeads', { valid: () => [sig(), sig()], accepts: { 0: { 'NaN inside': 'missing samples stay missing (NaN, documented)' }, 1: { 'NaN inside': 'missing samples stay missing (NaN, documented)' } } });
  add('toTwelveLead', { valid: () => [record()] });
  add('mapLeads', { valid: () => [record(), (x: Float32Array) => x] });
  add('ecgToVcgMatrix', { valid: () => ['kors', 12] });
  add('vcgToEcgMatrix', { valid: () => [] });
  add('ecgToVcg', { valid: () => [record()] });
  add('vcgToEcg', { valid: () => [[sig(), sig(), sig()]] });
  add('preprocessSpec', { valid: () => [{ fs: 100 }], skip: { 1: 'the caller name used in messages' } });
  add('parsePreprocessSpec', { valid: () => [B.preprocessSpecJson({ fs: 100 })], skip: { 1: 'the caller name used in messages' } });
  add('preprocessSpecJson', { valid: () => [{ fs: 100 }] });
  add('preprocessRecord', { valid: () => [record(), { fs: 100 }] });
  add('interleaveLeads', { valid: () => [[sig(), sig()]] });
  add('recordToTensor', { valid: () => [record(), { fs: 100 }] });
}

// ---------------------------------------------------------------- beats
{
  add('detectRPeaks', { valid: () => [sig(), FS], accepts: { 0: { 'NaN inside': 'missing samples are skipped by the detector (documented)', empty: (o) => expect((o as Int32Array).length).toBe(0) } } });
  add('createRPeakStream', { valid: () => [FS] });
  // NaN samples are missing data, held at the last finite sample (TSDoc): the result is that of the held signal
  add('delineateBeats', { valid: () => [sig(), FS, peaks()], accepts: { 0: { 'NaN inside': (o) => {
    // the sweep's 'NaN inside' value: the middle sample NaN; held = the sample before it
    const x = sig();
    const mid = Math.floor(x.length / 2);
    x[mid] = x[mid - 1];
    expect(o).toEqual(B.delineateBeats(x, FS, peaks()));
  } }, 2: { empty: (o) => expect(o).toEqual([]) } } });
  // NaN samples are missing data by design (TSDoc): windows keep them NaN, features are never NaN, a beat
  // whose window holds missing samples is classified 'Q'
  add('beatWindows', { valid: () => [sig(), FS, peaks()], accepts: { 0: { 'NaN inside': (o) => expect((o as { shape: number[] }).shape[0]).toBe(peaks().length) }, 2: { empty: (o) => expect((o as { shape: number[] }).shape[0]).toBe(0) } } });
  add('beatFeatures', { valid: () => [sig(), FS, peaks()], accepts: { 0: { 'NaN inside': (o) => expect(Array.from((o as { values: Float32Array }).values).every(Number.isFinite)).toBe(true) }, 2: { empty: (o) => expect((o as { shape: number[] }).shape[0]).toBe(0) } } });
  add('classifyBeats', { valid: () => [sig(), FS, peaks()], accepts: { 0: { 'NaN inside': (o) => expect((o as string[]).length).toBe(peaks().length) }, 2: { empty: (o) => expect(o).toEqual([]) } } });
  add('ecgFeatures', { valid: () => [record2(), peaks(), waves()], accepts: { 1: { empty: 'no beats: ECG_FEATURE_DEFAULTS with valid = 0 (documented)' }, 2: { empty: 'no waves: ECG_FEATURE_DEFAULTS with valid = 0 (documented)' } } });
  add('hrvTime', { valid: () => [peaks(), FS] });
  add('hrvFrequency', { valid: () => [peaks(), FS, { minDurationSec: 1 }] });
  add('pairBeatWaves', { valid: () => [waves(), FS], accepts: { 0: { empty: (o) => expect(o).toEqual([]) } } });
  add('wavesToIntervals', { valid: () => [waves(), FS], accepts: { 0: { empty: 'no beats: NaN intervals (documented: NaN where not measurable)' } } });
  add('processEcg', { valid: () => [record2()] });
}

// ---------------------------------------------------------------- augment
{
  const factory = (name: string, opts: Record<string, unknown>) => add(name, { valid: () => [{ ...opts }] });
  factory('gaussianNoise', { stdMv: 0.02 });
  factory('emgNoise', { fs: 500 });
  factory('powerlineNoise', { fs: 500 });
  factory('baselineWander', { fs: 500 });
  factory('baselineShift', { maxShiftMv: 0.5 });
  factory('amplitudeScale', { range: [0.5, 2] });
  factory('timeShift', { fs: 500 });
  factory('randomCrop', { fs: 500, lengthSec: 0.1 });
  factory('leadDropout', { leadProb: 0.5 });
  factory('timeMask', { fs: 500 });
  factory('threeKGAugment', { angleDeg: 30 });
  add('compose', { valid: () => [[B.gaussianNoise()]], accepts: { 0: { empty: 'composing nothing is the identity (documented)' } } });
  add('threeKGMatrix', { valid: () => [{ anglesDeg: [0, 0, 0], scales: [1, 1, 1] }], options: [0] });
  add('threeKG', { valid: () => [batch(), { seed: 1 }] });
  add('threeKGRecord', { valid: () => [leads12(200), { seed: 1 }] });
  add('twoViews', { valid: () => [batch(), { seed: 1 }] });
  add('sampleTs2VecCrops', { valid: () => [64, 2, { seed: 1 }] });
  add('cropTs2VecViews', { valid: () => [batch(), B.sampleTs2VecCrops(64, 2, { seed: 1 })] });
  add('standardizeBatch', { valid: () => [batch()] });
}

// ---------------------------------------------------------------- backend
{
  add('setBackend', { valid: () => ['cpu'], skip: { 0: 'undefined selects auto (would switch the backend of this test run); bad names are the extra cases' }, extra: { 'unknown backend name': () => ['gpu'], 'a number': () => [3], null: () => [null], 'an object': () => [{}] } });
  add('ensureGradients', { valid: () => [] });
  add('backendInfo', { valid: () => [] });
  add('registerWasmTrainingKernels', { valid: () => [], noBaseline: 'registers kernels for a backend not loaded here' });
  add('registerTensorflowTrainingKernels', { valid: () => [], noBaseline: 'registers kernels for a backend not loaded here' });
  add('tensorflowFusedBatchNormActive', { valid: () => [] });
}

// ---------------------------------------------------------------- metrics
{
  add('auroc', { valid: () => [[0.1, 0.4, 0.35, 0.8], [0, 0, 1, 1]] });
  add('macroAuroc', { valid: () => [[[0.9, 0.1], [0.2, 0.7]], [[1, 0], [0, 1]]] });
  add('f1Score', { valid: () => [[0.9, 0.2], [1, 0]] });
  add('bestF1Threshold', { valid: () => [[0.1, 0.8], [0, 1]] });
  add('chooseF1Thresholds', { valid: () => [[[0.9, 0.1], [0.2, 0.7]], [[1, 0], [0, 1]]] });
  add('macroF1', { valid: () => [[[0.9, 0.1], [0.2, 0.7]], [[1, 0], [0, 1]]] });
  add('createDiceAccumulator', { valid: () => [4] });
  add('diceScores', { valid: () => [[0, 2, 2, 0], [0, 2, 2, 2]] });
  add('wavesToMask', { valid: () => [waves(), 500], accepts: { 0: { empty: (o) => expect((o as Uint8Array).every((v) => v === 0)).toBe(true) } } });
  add('maskToWaves', { valid: () => [[0, 1, 1, 0, 2, 2]], accepts: { 0: { empty: (o) => expect(o).toEqual([]) } } });
  add('scoreSegmentation', { valid: () => [[{ reference: waves(), predicted: waves(), length: 500 }], 500] });
  add('matchEvents', { valid: () => [[100, 200], [103, 260], 10], accepts: { 0: { empty: (o) => expect(o).toEqual([]) }, 1: { empty: (o) => expect(o).toEqual([]) } } });
  add('compareBeats', { valid: () => [[360, 720], [362, 725], 360], accepts: { 0: { empty: (o) => expect((o as { se: number }).se).toBeNaN() }, 1: { empty: (o) => expect((o as { ppv: number }).ppv).toBeNaN() } } });
  add('ec57Summary', { valid: () => [[B.compareBeats([360], [362], 360)]], accepts: { 0: { empty: (o) => expect((o as { records: number }).records).toBe(0) } } });
  add('beatAnnotationSamples', { valid: () => [[{ sample: 10, symbol: 'N' }]], accepts: { 0: { empty: (o) => expect((o as Int32Array).length).toBe(0) } } });
  add('compareDelineation', { valid: () => [[waves()], [waves()], 500] });
  add('regularizedIncompleteBeta', { valid: () => [0.5, 2, 3] });
  add('tCritical', { valid: () => [0.95, 7], accepts: { 1: { '0.5': 'any positive degrees of freedom' } } });
  add('pairedTTest', { valid: () => [[0.91, 0.93, 0.92], [0.88, 0.9, 0.9]] });
}

// ---------------------------------------------------------------- losses
{
  add('ntXent', { valid: () => [z2()] });
  add('softInfoNCE', { valid: () => [z2(), B.pairTargets(4)] });
  add('multiPositiveInfoNCE', { valid: () => [z2(), B.classTargets([0, 0, 1, 2])] });
  add('pairTargets', { valid: () => [4] });
  // `o` is an options object: {} means every default (documented)
  add('resolveSoftTargets', { valid: () => [{ exponent: 2 }, 'f', 'opts.'], skip: { 1: 'the caller name used in messages', 2: 'the prefix used in messages' }, errorName: 'f', accepts: { 0: { 'empty object': (o) => expect(o).toEqual({ similarity: 'cosine', exponent: 1, positiveShare: 0.5, sigma: undefined }) } } });
  add('similarityMatrix', { valid: () => [[1, 0, 0, 1], 2, 2, 'cosine'] });
  add('calibrateFromSimilarity', { valid: () => [Float64Array.from({ length: 16 }, (_, i) => (i % 5 === 0 ? 1 : 0.5)), 4, 0.5] });
  add('calibrateExponent', { valid: () => [[[1, 0], [0, 1], [1, 1], [-1, 0]]] });
  add('softTargetMatrix', { valid: () => [Float64Array.of(1, 0.5, 0.5, 1), 2, 2] });
  add('softTargets', { valid: () => [[[1, 0], [0, 1], [1, 1]], { exponent: 2 }] });
  add('classTargets', {
    valid: () => [[0, 0, 2, -1]],
    // negative labels mean "unknown class" by design: such a row's only positive is its other view
    accepts: { 0: { '[-1]': (o) => expect((o as tf.Tensor).arraySync()).toEqual([[1, 1], [1, 1]]) } },
  });
  add('paddedValidMask', { valid: () => [[3, 1], 4] });
  add('instanceContrastiveLoss', { valid: () => [batch(2, 8, 4), batch(2, 8, 4)] });
  add('temporalContrastiveLoss', { valid: () => [batch(2, 8, 4), batch(2, 8, 4)] });
  add('maxPoolTime2', { valid: () => [batch(2, 8, 4)] });
  add('hierarchicalContrastiveLoss', { valid: () => [batch(2, 8, 4), batch(2, 8, 4)] });
  // {} is every default (documented: options = {}, the 'default' preset)
  add('resolveBeatSslObjective', { valid: () => ['default'], skip: { 1: 'the caller name used in messages' }, accepts: { 0: { object: (o) => expect(o).toEqual(B.resolveBeatSslObjective('default')) } } });
  add('createBeatSslObjective', { valid: () => ['default'], accepts: { 0: { object: (o) => expect((o as { options: unknown }).options).toEqual(B.resolveBeatSslObjective('default')) } } });
  add('segmentationLoss', { valid: () => [tf.zeros([1, 8, 4]), tf.zeros([1, 8]), tf.ones([1, 8])] });
}

// ---------------------------------------------------------------- models
{
  // {} is the default EncoderConfig (every field optional, documented)
  const defaultEncoder = (o: unknown) => expect(o).toEqual(B.resolveEncoderConfig({}));
  add('encoderGeometry', { valid: () => ['tiny', 256], accepts: { 0: { object: (o) => expect(o).toEqual(B.encoderGeometry(B.resolveEncoderConfig({}), 256)) } } });
  add('resolveEncoderConfig', { valid: () => ['tiny'], accepts: { 0: { object: defaultEncoder } } });
  add('createEncoder', { valid: () => [{ ...B.ENCODER_PRESETS.tiny, leads: 2, seed: 1 }] });
  add('wrapEncoder', { valid: () => [tinyEncoder().model, B.resolveEncoderConfig({ ...B.ENCODER_PRESETS.tiny, leads: 12, seed: 1 })] });
  add('l2NormalizeRows', { valid: () => [z2()], accepts: { 0: { 'empty tensor': (o) => expect((o as tf.Tensor).shape).toEqual([0, 4]) } } });
  add('createProjector', { valid: () => [{ inputDim: 8, outputDim: 4, seed: 1 }] });
  add('wrapProjector', {
    valid: () => {
      const p = B.createProjector({ inputDim: 8, outputDim: 4, seed: 1 });
      return [p.model, { inputDim: 8, hiddenDim: 8, outputDim: 4, seed: 1, name: 'p' }];
    },
  });
  add('beatRoiPlan', { valid: () => [[Int32Array.of(100, 180)], 64, roiOpts()] });
  add('beatPairPlan', { valid: () => [...pairPlanArgs()] });
  add('pooledBeatPairs', { valid: () => [tf.zeros([2, 64, 4]), B.beatPairPlan(...(pairPlanArgs() as unknown as Parameters<typeof B.beatPairPlan>))] });
  add('beatRoiPool', { valid: () => [tf.zeros([1, 64, 4]), [Int32Array.of(100, 180)], roiOpts()] });
  add('resolveBeatSslModelConfig', { valid: () => [{ encoder: 'tiny' }] });
  add('createTs2VecEncoder', { valid: () => [{ inputChannels: 2, hiddenChannels: 4, outputChannels: 4, depth: 1, seed: 1 }] });
  add('getTs2VecWeights', { valid: () => [ts2vec()] });
  add('setTs2VecWeights', {
    valid: () => {
      const enc = ts2vec();
      return [enc, B.getTs2VecWeights(enc)];
    },
  });
  add('modelToFiles', { valid: () => [tinyEncoder().model] });
  add('modelFromFiles', {
    valid: async () => {
      const enc = tinyEncoder();
      const files = await persist.modelToFiles(enc.model);
      enc.dispose();
      return [files];
    },
  });
  add('topologyClassNames', { valid: () => [{ class_name: 'Sequential', config: {} }], accepts: { 0: { 'empty object': (o) => expect(o).toEqual([]) } } });
  add('writeModelDir', { valid: () => [join(TMP, 'wmd'), tinyEncoder().model] });
  add('readModelDir', { valid: () => [join(TMP, 'wmd'), 'f'], skip: { 1: 'the caller name used in messages' }, errorName: 'f' });
  add('encodeNamedTensors', { valid: () => [[{ name: 'a', tensor: tf.zeros([2]) }]], accepts: { 0: { empty: 'no tensors: empty bytes and specs' } } });
  add('decodeNamedTensors', { valid: () => [new Uint8Array(8), [{ name: 'a', shape: [2], dtype: 'float32' }]], accepts: { 1: { empty: (o) => expect(o).toEqual([]) } } });
}

// ---------------------------------------------------------------- heads and analysis
{
  add('createClassifier', { valid: () => [tinyEncoder(), { numClasses: 3 }] });
  add('createSegmenter', { valid: () => [tinyEncoder()] });
  add('labelsToWaves', { valid: () => [[0, 1, 1, 0, 2, 2, 0], 100], accepts: { 0: { empty: (o) => expect(o).toEqual([]) } } });
  add('wavesToNativeRate', { valid: () => [[{ type: 'QRS', onset: 2, offset: 4 }], new Float32Array(4 * 10).fill(0.25), 4, 10, 5, 50], accepts: { 0: { empty: (o) => expect(o).toEqual([]) } } });
  add('loadSegmentationModel', { valid: () => [join(TMP, 'nope')], noBaseline: 'loads the shipped model (test/heads covers it)', accepts: { 0: { undefined: 'omitted: the shipped segmentation model (documented)' } } });
  add('saveSegmentationModel', { valid: () => [join(TMP, 'ssm'), B.createSegmenter(tinyEncoder()), { fs: 100, leads: [...B.CANONICAL_LEADS], bandpassHz: [0.5, 40], standardize: 'lead' }] });
  add('segmentRecord', { valid: () => [record(), join(TMP, 'nope')], noBaseline: 'loads the shipped model (test/heads covers it)', accepts: { 1: { undefined: 'omitted: the shipped segmentation model (documented)' } } });
  add('segmentationModelFromFiles', { valid: () => [{}], noBaseline: 'needs model files (test/browser covers it)' });
  add('segmentationModelOf', { valid: () => [B.createSegmenter(tinyEncoder()), { fs: 100, leads: [...B.CANONICAL_LEADS], bandpassHz: [0.5, 40], standardize: 'lead' }] });
  add('checkSegmentationLeads', { valid: () => [record(), null, 'f'], noBaseline: 'needs a segmentation model', skip: { 2: 'the caller name used in messages' }, errorName: 'f' });
  add('segmentWaves', { valid: () => [record(), null], noBaseline: 'needs a segmentation model (test/heads covers it)' });
  add('modelFolderKind', { valid: () => [TMP], accepts: {} });
  add('saveModelFolder', { valid: () => [join(TMP, 'smf'), B.createSegmenter(tinyEncoder()), { preprocessing: { fs: 100 } }] });
  add('loadModelFolder', { valid: () => [join(TMP, 'nope')], noBaseline: 'needs a model folder (test/heads covers it)' });
  // null is documented: a folder without preprocess.json has no settings
  add('segmentationSettings', { valid: () => [{ ...B.preprocessSpecJson({ fs: 100 }), waveSources: { P: 'rules' } }], accepts: { 0: { null: (o) => expect(o).toEqual({}) } } });
  add('shippedModelDir', { valid: () => ['segmentation-v1'], skip: { 1: 'the caller name used in messages' } });
  add('loadPretrainedEncoder', { valid: () => [join(TMP, 'nope')], noBaseline: 'needs a pretrained model folder (test/heads covers it)', accepts: { 0: { undefined: 'omitted: the shipped encoder (documented)' } } });
}

// ---------------------------------------------------------------- io
{
  const hea = '100 2 360 10\n100.dat 16 200 16 0 0 0 0 MLII\n100.dat 16 200 16 0 0 0 0 V5\n';
  add('parseHeader', { valid: () => [hea] });
  add('formatHeader', { valid: () => [B.parseHeader(hea)] });
  add('parseRecord', { valid: () => [B.encodeRecord(record2())] });
  add('parseRecordAsync', { valid: () => [B.encodeRecord(record2())] });
  add('readHeader', { valid: () => [join(EX, 'mitdb/100')] });
  add('readRecord', { valid: () => [join(EX, 'mitdb/100'), { toSec: 1 }] });
  add('readRecordsFile', { valid: () => [join(EX, 'mitdb')], noBaseline: 'examples/data has no RECORDS file' });
  add('wfdbAnnotationCode', { valid: () => ['V'] });
  add('parseAnnotations', { valid: () => [B.encodeAnnotations([{ sample: 100, symbol: 'N', subtype: 0, chan: 0, num: 0, aux: '' }])], accepts: { 0: { empty: (o) => expect(o).toEqual([]) } } });
  add('encodeAnnotations', { valid: () => [[{ sample: 100, symbol: 'N', subtype: 0, chan: 0, num: 0, aux: '' }]], accepts: { 0: { empty: 'no annotation: an empty annotation file (documented)' } } });
  add('readAnnotations', { valid: () => [join(EX, 'mitdb/100.atr')] });
  add('writeAnnotations', { valid: () => [join(TMP, 'w.atr'), [{ sample: 100, symbol: 'N', subtype: 0, chan: 0, num: 0, aux: '' }]], accepts: { 1: { empty: 'no annotation: an empty annotation file (documented)' } } });
  add('encodeRecord', { valid: () => [record2()] });
  add('writeRecord', { valid: () => [join(TMP, 'wr'), record2()] });
  add('parseEdf', { valid: () => [new Uint8Array(0)], noBaseline: 'needs EDF bytes (test/io/edf covers it)' });
  add('readEdf', { valid: () => [join(TMP, 'nope.edf')], noBaseline: 'needs an EDF file (test/io/edf covers it)' });
}

// ---------------------------------------------------------------- data
{
  add('createDataset', { valid: () => [['a', 'b'], (k: string) => k], accepts: { 0: { empty: 'an empty dataset (documented)' } } });
  add('collectDataset', { valid: () => [B.createDataset(['a'], (k: string) => k)] });
  add('batches', { valid: () => [B.createDataset(['a', 'b'], (k: string) => k), { batchSize: 2, seed: 1 }], params: ['dataset', 'opts'], call: (ds, o) => (B.batches as (...a: unknown[]) => AsyncGenerator<unknown>)(ds, o).next() });
  add('sampleFraction', { valid: () => [10, 0.5, 1] });
  add('ludbLabels', { valid: () => [[{ sample: 10, symbol: '(', subtype: 0, chan: 0, num: 0, aux: '' }], 40], accepts: { 0: { empty: 'no annotation: an empty mask (documented)' } } });
  add('loadLudb', { valid: () => [join(EX, 'ludb'), { ids: [1] }] });
  add('parseScpCodes', { valid: () => ["{'NORM': 100.0}"], accepts: { 0: { 'empty string': (o) => expect(o).toEqual({}) } } });
  add('parseScpStatements', { valid: () => [',diagnostic,diagnostic_class\nIMI,1,MI\n'] });
  add('parsePtbxlLabels', { valid: () => ['ecg_id,patient_id,scp_codes,strat_fold,filename_lr\n1,1,"{\'NORM\': 100.0}",1,records100/00000/00001_lr\n', new Map([['NORM', 'NORM']])] });
  add('readPtbxlLabels', { valid: () => [join(EX, 'ptbxl')] });
  add('loadPtbxl', { valid: () => [join(EX, 'ptbxl')] });
  add('loadMitdb', { valid: () => [join(EX, 'mitdb')] });
  add('listWfdbRecords', { valid: () => [join(EX, 'ludb')] });
  add('loadWfdbFolder', { valid: () => [join(EX, 'ludb')] });
  add('encodeCacheValue', { valid: () => [{ a: 1 }], accepts: { 0: any('any JSON-able value is encoded (typed arrays too)') } });
  add('decodeCacheValue', { valid: () => [B.encodeCacheValue({ a: 1 })] });
  add('stableStringify', { valid: () => [{ a: 1 }], accepts: { 0: any('any value has a canonical string (documented)') } });
  add('createRecordCache', { valid: () => [join(TMP, 'cache')] });
  add('precomputeRecords', { valid: () => [[], { task: { module: 'x', exportName: 'y' } }], noBaseline: 'needs a task module (test/data covers it)', accepts: { 0: { empty: (o) => expect((o as { values: unknown[] }).values).toEqual([]) } } });
  add('precomputeRecord', { valid: () => [B.preprocessRecord(record(), { fs: 100 })] });
  add('sslRecordFrom', { valid: () => [record(), { fs: 100 }] });
  add('precomputeSslRecord', { valid: () => [join(EX, 'ptbxl/records100/00000/00001_lr'), { fs: 100 }] });
  add('loadSslRecords', { valid: () => [[join(EX, 'ptbxl/records100/00000/00001_lr')], { config: { fs: 100 }, workers: 0 }], accepts: { 0: { empty: (o) => expect(o).toEqual([]) } } });
  add('sampleViewPairs', { valid: () => [syntheticRecords(2), [0, 1], { length: 64, seed: 1 }] });
  add('waveLabels', { valid: () => [waves(), 100, 5], accepts: { 0: { empty: (o) => expect((o as Uint8Array).every((v) => v === 0)).toBe(true) } } });
  add('spanAtRate', { valid: () => [[10, 400], 100, 5] });
  add('classificationExample', { valid: () => [record(), [1, 0], { fs: 100 }] });
  add('segmentationExample', {
    valid: () => [record(), waves(), [10, 1500], { fs: 100 }],
    // no wave in the span: all-background labels; no span: every sample labelled (documented)
    accepts: { 1: { empty: (o) => expect((o as { labels: Uint8Array }).labels.every((v) => v === 0)).toBe(true) }, 2: { undefined: (o) => expect((o as { span?: unknown }).span).toBeUndefined() } },
  });
}

// ---------------------------------------------------------------- plot
{
  add('plotEcg12', { valid: () => [record()] });
  add('plotVcgLoops', { valid: () => [{ x: [0, 1, 0], y: [1, 0, -1], z: [0, 0.5, 0] }] });
  add('plotMatrix', { valid: () => [[[1, 0.2], [0.2, 1]]] });
  add('plotTrainingCurve', { valid: () => [{ loss: [2, 1.5, 1.2] }] });
}

// ---------------------------------------------------------------- train
{
  add('checkPrecomputedRecords', { valid: () => [syntheticRecords(2), 'f'], skip: { 1: 'the caller name used in messages' }, errorName: 'f' });
  add('columnStats', { valid: () => [[[1, 2], [3, 4]], 2], accepts: { 0: { empty: (o) => expect(Array.from((o as { sd: Float64Array }).sd)).toEqual([1, 1]) } } });
  add('learningRateAt', { valid: () => [1e-3, 50, 100, { type: 'cosine' }], accepts: { 0: { '1e12': 'any finite base rate ≥ 0' }, 1: { '1e12': 'a step past totalSteps gets the final rate (documented)' }, 2: { '1e12': 'any number of steps' }, 3: { 'empty object': (o) => expect(o).toBe(1e-3) } } });
  add('writeCheckpoint', { valid: () => [join(TMP, 'ckpt'), ckptState(), async () => undefined] });
  add('readLatestCheckpoint', { valid: () => [join(TMP, 'no-ckpt')] });
  add('restoreOptimizer', { valid: () => [join(TMP, 'no-ckpt'), tf.train.adam(1e-3)], noBaseline: 'needs a checkpoint (test/train/checkpoint covers it)' });
  add('configDifferences', { valid: () => [{ a: 1 }, { a: 2 }], accepts: { 0: any('any two values are compared (documented)'), 1: any('any two values are compared (documented)'), 2: any('the path prefix is free text') } });
  add('pretrainBeatSsl', { valid: () => [{ model: null, data: syntheticRecords(4), steps: 1 }], noBaseline: 'training: test/train covers it' });
  add('finetuneClassifier', { valid: () => [{ classifier: null, train: [], epochs: 1 }], noBaseline: 'training: test/train covers it' });
  add('finetuneSegmenter', { valid: () => [{ segmenter: null, train: [], epochs: 1 }], noBaseline: 'training: test/train covers it' });
  add('finetuneLoop', { valid: () => [B.classificationTask(B.createClassifier(tinyEncoder(), { numClasses: 2 }), 'finetuneLoop'), { train: [{ signals: B.interleaveLeads(leads12(256)), labels: Float32Array.from([1, 0]) }], epochs: 1 }], noBaseline: 'training: test/train covers it' });
  add('classificationTask', { valid: () => [B.createClassifier(tinyEncoder(), { numClasses: 2 }), 'f'], skip: { 1: 'the caller name used in messages' } });
  add('segmentationTask', { valid: () => [B.createSegmenter(tinyEncoder()), 1, 'f'], skip: { 2: 'the caller name used in messages' } });
  add('evaluateClassifier', { valid: () => [B.createClassifier(tinyEncoder(), { numClasses: 2 }), [{ signals: B.interleaveLeads(leads12(256)), labels: Float32Array.from([1, 0]) }]] });
  add('evaluateSegmenter', { valid: () => [B.createSegmenter(tinyEncoder()), [{ signals: B.interleaveLeads(leads12(256)), labels: new Uint8Array(256) }]] });
  add('ts2vecTrainable', { valid: () => [ts2vec()] });
  // the returned `variables` are the encoder's own weights (disposed with the encoder, which the sweep
  // disposes as an argument): the call reports their count so the sweep does not dispose them twice
  add('encoderTs2VecTrainable', {
    valid: () => [tinyEncoder(2)],
    call: (enc, o) => {
      const t = B.encoderTs2VecTrainable(enc as never, o as never);
      return { ...t, variables: t.variables.length };
    },
    params: ['encoder', 'opts'],
  });
  add('pretrainTs2Vec', { valid: () => [{ model: null, data: batch(2, 16, 2), steps: 1 }], noBaseline: 'training: test/ts2vec covers it' });
}

// ---------------------------------------------------------------- classes: constructors and statics
{
  add('new Rng', { valid: () => [1], call: (s) => new B.Rng(s as number), params: ['seed'], errorName: 'createRng' });
  add('new BeatSslError', { valid: () => ['f', 'm'], call: (...a) => new B.BeatSslError(...(a as [string, string])), params: ['fn', 'message'], accepts: { 0: any('an error object carries what it is given'), 1: any('an error object carries what it is given') }, errorName: null });
  add('BeatSslModel.create', { valid: () => [{ encoder: 'tiny', seed: 1 }], call: (c) => B.BeatSslModel.create(c as never), params: ['config'], accepts: { 0: { undefined: 'omitted: the default config (documented: config = {})' } } });
  add('BeatSslModel.load', { valid: () => [join(TMP, 'nope')], call: (d) => B.BeatSslModel.load(d as string), params: ['dir'], noBaseline: 'needs a saved model (test/models covers it)' });
  add('EcgClassifier.load', { valid: () => [join(TMP, 'nope')], call: (d) => B.EcgClassifier.load(d as string), params: ['dir'], noBaseline: 'needs a saved classifier (test/heads covers it)' });
  add('EcgSegmenter.load', { valid: () => [join(TMP, 'nope')], call: (d) => B.EcgSegmenter.load(d as string), params: ['dir'], noBaseline: 'needs a saved segmenter (test/heads covers it)' });
}

/** Every function export of every entry point, and the constructors and statics of exported classes. */
async function publicFunctions(): Promise<Map<string, (...a: never[]) => unknown>> {
  const out = new Map<string, (...a: never[]) => unknown>();
  for (const [name, file] of Object.entries(listEntries() as Record<string, string>)) {
    if (name.startsWith('cli/')) continue;
    const mod = (await import(/* @vite-ignore */ join(ROOT, file))) as Record<string, unknown>;
    for (const [k, v] of Object.entries(mod)) {
      if (typeof v !== 'function') continue;
      if (!/^class\s/.test(Function.prototype.toString.call(v))) {
        out.set(k, v as (...a: never[]) => unknown);
        continue;
      }
      out.set(`new ${k}`, v as (...a: never[]) => unknown);
      for (const s of Object.getOwnPropertyNames(v)) {
        const m = (v as unknown as Record<string, unknown>)[s];
        if (!['length', 'name', 'prototype'].includes(s) && !s.startsWith('_') && typeof m === 'function') out.set(`${k}.${s}`, m as (...a: never[]) => unknown);
      }
    }
  }
  return out;
}

/** Exports without a sweep entry, each with the reason. */
const NOT_SWEPT: Record<string, string> = {
  'new BeatSslModel': 'built by BeatSslModel.create (the constructor is documented as internal)',
  'new EcgClassifier': 'built by createClassifier (the constructor is documented as internal)',
  'new EcgSegmenter': 'built by createSegmenter (the constructor is documented as internal)',
  'new EcgHead': 'abstract base of EcgClassifier and EcgSegmenter',
  'new Ts2VecEncoder': 'built by createTs2VecEncoder (the constructor is documented as internal)',
};

/**
 * Functions whose sweep is not clean yet, with the number of bad inputs they still mishandle (a
 * raw TypeError/RangeError, a silent result, or an error naming another function or argument).
 * A ratchet: a count may only go down (lower it when you fix some; remove the entry at 0), and a
 * function not listed must pass cleanly. `SWEEP_REPORT=/tmp/sweep.txt npx vitest run
 * test/core/badInputSweep.test.ts` writes every open case, one per line. Totals are in
 * docs/reliability.md.
 */
const OPEN: Record<string, number> = {};

describe('bad-input sweep over every public function (issue 17)', () => {
  let fns: Map<string, (...a: never[]) => unknown>;
  beforeAll(async () => {
    await useTestBackend();
    TMP = mkdtempSync(join(tmpdir(), 'beat-ssl-sweep-'));
    // Bad path arguments ('', 'x') resolve against the working directory: the sweep runs in a
    // scratch one, so a writer that misbehaves cannot touch the repository.
    CWD = process.cwd();
    process.chdir(TMP);
    fns = await publicFunctions();
  });
  afterAll(() => {
    if (CWD) process.chdir(CWD);
    if (TMP) rmSync(TMP, { recursive: true, force: true });
  });

  it('every OPEN entry is a swept function', () => {
    expect(Object.keys(OPEN).filter((k) => !TABLE[k])).toEqual([]);
  });

  it('every public function has an entry, and every entry is a public function', () => {
    const missing = [...fns.keys()].filter((k) => !TABLE[k] && !NOT_SWEPT[k]).sort();
    const stale = Object.keys(TABLE).filter((k) => !fns.has(k)).sort();
    expect({ missing, stale }).toEqual({ missing: [], stale: [] });
  });

  for (const [name, entry] of Object.entries(TABLE)) {
    it(name, async () => {
      const f = fns.get(name);
      expect(f, `${name} is exported`).toBeTypeOf('function');
      const { problems } = await sweep(name, f!, entry);
      if (process.env.SWEEP_REPORT) (await import('node:fs')).appendFileSync(process.env.SWEEP_REPORT, problems.map((p) => p + '\n').join(''));
      const open = OPEN[name];
      if (open === undefined) expect(problems).toEqual([]);
      else expect(problems.length, `${name}: at most ${open} open cases (the OPEN ratchet)\n${problems.join('\n')}`).toBeLessThanOrEqual(open);
    });
  }
});
