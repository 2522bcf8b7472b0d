/**
 * The one place where the 3KG lead-space matrix is built (shared by the tensor and typed-array
 * forms of 3KG, and by the public `threeKGMatrix`). Coefficients come from
 * `src/signal/vcgCoefficients.ts`; nothing is duplicated here.
 * @module
 */
import { DOWER, INVERSE_DOWER, KORS } from '../../signal/vcgCoefficients';
import type { Rng } from '../../core/rng';

/** ECG → VCG transforms available to 3KG. */
export const THREEKG_TRANSFORMS = ['inverseDower', 'kors'] as const;
/** Name of an ECG → VCG transform. */
export type ThreeKGTransformName = (typeof THREEKG_TRANSFORMS)[number];

/** Positions of I, II, V1–V6 (the table order of `vcgCoefficients`) in the canonical 12-lead order. */
export const INDEPENDENT_LEAD_INDEX = [0, 1, 6, 7, 8, 9, 10, 11] as const;

/** Number of leads in the canonical order I, II, III, aVR, aVL, aVF, V1–V6. */
export const N_LEADS = 12;

/**
 * Writes the 12×12 row-form matrix `M` (`y[t, j] = Σ_k x[t, k] · M[k, j]`, i.e. `M[k * 12 + j]`) of
 * `derive12 · DOWER · diag(scales) · Rz(γ) · Ry(β) · Rx(α) · A · select8` into `out` at `offset`,
 * where `A` is the inverse Dower or Kors matrix and angles are in radians.
 * Columns of III, aVR, aVL, aVF in the input are ignored (they get zero weight).
 */
export function writeThreeKGMatrix(
  out: Float32Array | Float64Array,
  offset: number,
  transform: ThreeKGTransformName,
  anglesRad: ArrayLike<number>,
  scales: ArrayLike<number>,
): void {
  const A = transform === 'kors' ? KORS : INVERSE_DOWER;
  const [ca, sa] = [Math.cos(anglesRad[0]), Math.sin(anglesRad[0])];
  const [cb, sb] = [Math.cos(anglesRad[1]), Math.sin(anglesRad[1])];
  const [cc, sc] = [Math.cos(anglesRad[2]), Math.sin(anglesRad[2])];
  // R = Rz(c) · Ry(b) · Rx(a) (extrinsic rotations about x, then y, then z).
  const R = [
    [cc * cb, cc * sb * sa - sc * ca, cc * sb * ca + sc * sa],
    [sc * cb, sc * sb * sa + cc * ca, sc * sb * ca - cc * sa],
    [-sb, cb * sa, cb * ca],
  ];
  // B = diag(scales) · R · A   (3×8)
  const B: number[][] = [[], [], []];
  for (let r = 0; r < 3; r++) {
    for (let c = 0; c < 8; c++) {
      let acc = 0;
      for (let k = 0; k < 3; k++) acc += R[r][k] * A[k][c];
      B[r][c] = scales[r] * acc;
    }
  }
  // E = DOWER · B   (8×8): rows are output leads I, II, V1–V6, columns input leads I, II, V1–V6.
  const E: number[][] = [];
  for (let r = 0; r < 8; r++) {
    const row: number[] = [];
    for (let c = 0; c < 8; c++) row.push(DOWER[r][0] * B[0][c] + DOWER[r][1] * B[1][c] + DOWER[r][2] * B[2][c]);
    E.push(row);
  }
  // 12 output rows: I, II, III = II − I, aVR = −(I + II)/2, aVL = I − II/2, aVF = II − I/2, V1–V6.
  const I = E[0];
  const II = E[1];
  const rows12: number[][] = [
    I,
    II,
    II.map((v, c) => v - I[c]),
    I.map((v, c) => -(v + II[c]) / 2),
    I.map((v, c) => v - II[c] / 2),
    II.map((v, c) => v - I[c] / 2),
    E[2],
    E[3],
    E[4],
    E[5],
    E[6],
    E[7],
  ];
  for (let k = 0; k < N_LEADS * N_LEADS; k++) out[offset + k] = 0;
  for (let j = 0; j < N_LEADS; j++) {
    for (let c = 0; c < 8; c++) out[offset + INDEPENDENT_LEAD_INDEX[c] * N_LEADS + j] = rows12[j][c];
  }
}

/** Per-sample random parameters of one 3KG view. */
export interface ThreeKGParams {
  /** Rotation angles about x, y, z in radians. */
  anglesRad: [number, number, number];
  /** Scale factors of x, y, z. */
  scales: [number, number, number];
  /** Mask start sample per lead (12 entries, canonical order). */
  maskStarts: number[];
}

/**
 * Draws one sample's parameters in a fixed order (3 angles, 3 scales, 12 mask starts), so the
 * tensor and typed-array forms consume the stream identically.
 */
export function drawThreeKGParams(rng: Rng, angleDeg: number, scale: readonly [number, number], nSamples: number): ThreeKGParams {
  const rad = (angleDeg * Math.PI) / 180;
  const anglesRad: [number, number, number] = [rng.uniform(-rad, rad), rng.uniform(-rad, rad), rng.uniform(-rad, rad)];
  const scales: [number, number, number] = [
    rng.uniform(scale[0], scale[1]),
    rng.uniform(scale[0], scale[1]),
    rng.uniform(scale[0], scale[1]),
  ];
  const maskStarts: number[] = [];
  for (let l = 0; l < N_LEADS; l++) maskStarts.push(rng.int(nSamples));
  return { anglesRad, scales, maskStarts };
}
