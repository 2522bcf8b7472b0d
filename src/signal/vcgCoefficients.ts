/**
 * Published coefficient tables for 12-lead ECG ↔ vectorcardiogram (VCG) transforms.
 * Lead order of every table: **I, II, V1, V2, V3, V4, V5, V6** (the 8 independent leads).
 * Output/Input order of the VCG: **X, Y, Z** (Frank-like axes, millivolts).
 *
 * Sources:
 * - `KORS`: Kors JA, van Herpen G, Sittig AC, van Bemmel JH. Reconstruction of the Frank
 *   vectorcardiogram from standard electrocardiographic leads: diagnostic comparison of different
 *   methods. Eur Heart J 1990;11:1083–1092 (regression method).
 * - `INVERSE_DOWER`: Edenbrandt L, Pahlm O. Vectorcardiogram synthesized from a 12-lead ECG:
 *   superiority of the inverse Dower matrix. J Electrocardiol 1988;21:361–367.
 * - `DOWER`: Dower GE, Machado HB, Osborne JA. On deriving the electrocardiogram from
 *   vectorcardiographic leads. Clin Cardiol 1980;3:87–95 (VCG → 12-lead).
 * @module
 */

/** The 8 independent leads the tables use, in table order. */
export const VCG_LEADS = ['I', 'II', 'V1', 'V2', 'V3', 'V4', 'V5', 'V6'] as const;

/** Kors regression matrix, 3×8: rows X, Y, Z; columns I, II, V1–V6. `vcg = KORS · ecg8`. */
export const KORS: readonly (readonly number[])[] = [
  [0.38, -0.07, -0.13, 0.05, -0.01, 0.14, 0.06, 0.54],
  [-0.07, 0.93, 0.06, -0.02, -0.05, 0.06, -0.17, 0.13],
  [0.11, -0.23, -0.43, -0.06, -0.14, -0.2, -0.11, 0.31],
];

/** Inverse Dower matrix, 3×8: rows X, Y, Z; columns I, II, V1–V6. `vcg = INVERSE_DOWER · ecg8`. */
export const INVERSE_DOWER: readonly (readonly number[])[] = [
  [0.156, -0.01, -0.172, -0.074, 0.122, 0.231, 0.239, 0.194],
  [-0.227, 0.887, 0.057, -0.019, -0.106, -0.022, 0.041, 0.048],
  [0.022, 0.102, -0.229, -0.31, -0.246, -0.063, 0.055, 0.108],
];

/** Dower matrix, 8×3: rows I, II, V1–V6; columns X, Y, Z. `ecg8 = DOWER · vcg`. */
export const DOWER: readonly (readonly number[])[] = [
  [0.632, -0.235, 0.059],
  [0.235, 1.066, -0.132],
  [-0.515, 0.157, -0.917],
  [0.044, 0.164, -1.387],
  [0.882, 0.098, -1.277],
  [1.213, 0.127, -0.601],
  [1.125, 0.127, -0.086],
  [0.831, 0.076, 0.23],
];
