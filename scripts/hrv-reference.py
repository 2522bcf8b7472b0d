#!/usr/bin/env python3
"""Generate the SciPy reference for beat-ssl's frequency-domain HRV (src/beats/hrv.ts).

Run from the repository root with a python3 that has numpy and scipy:

    python3 scripts/hrv-reference.py [MITDB_DIR]

MITDB_DIR defaults to ../shared/data/mitdb. For a few MIT-BIH records it decodes the reference beat
annotations (.atr, MIT format, decoded here with numpy, independently of beat-ssl), takes a stretch
of consecutive normal (N) beats, and computes with SciPy, as documented in hrv.ts:

  NN intervals (ms) at the time of their second beat -> resampled at 4 Hz from the first to the
  last interval time (scipy.interpolate.CubicSpline(bc_type='natural'), or numpy.interp) ->
  scipy.signal.welch(window='hann', nperseg=min(n, 256 s * 4 Hz), noverlap=nperseg // 2,
  detrend='constant', scaling='density') -> band power = sum(PSD * df) over lo <= f < hi.

Writes test/fixtures/beats/hrv-mitdb.json: per case the R-peak samples and SciPy's results.
"""
import json
import os
import sys

import numpy as np
import scipy
from scipy import interpolate, signal

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(ROOT, 'test', 'fixtures', 'beats', 'hrv-mitdb.json')
BANDS = {'vlf': (0.0033, 0.04), 'lf': (0.04, 0.15), 'hf': (0.15, 0.4)}
RATE = 4.0
SEGMENT_SEC = 256


def read_atr(path):
    """(sample, code) of every annotation of an MIT-format annotation file."""
    words = np.fromfile(path, dtype='<u2')
    out = []
    t = 0
    i = 0
    while i < len(words):
        w = int(words[i])
        a, n = w >> 10, w & 0x3FF
        i += 1
        if a == 0 and n == 0:
            break
        if a == 59:  # SKIP: 32-bit interval in the next two words (high word first)
            t += (int(words[i]) << 16) | int(words[i + 1])
            i += 2
        elif a == 63:  # AUX: n bytes, padded to a word
            i += (n + 1) // 2
        elif a in (60, 61, 62):  # NUM, SUB, CHN
            pass
        else:
            t += n
            out.append((t, a))
    return out


def normal_stretch(anns, fs, min_sec, max_sec):
    """First run of consecutive N beats (code 1) lasting >= min_sec, cut at max_sec."""
    beat_codes = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 16, 25, 30, 34, 35, 38}
    beats = [(s, c) for s, c in anns if c in beat_codes]
    start = 0
    for k in range(len(beats) + 1):
        if k == len(beats) or beats[k][1] != 1:
            run = [s for s, _ in beats[start:k]]
            if len(run) > 2 and (run[-1] - run[0]) / fs >= min_sec:
                run = [s for s in run if (s - run[0]) / fs <= max_sec]
                return run
            start = k + 1
    raise SystemExit('no normal stretch')


def hrv(peaks, fs, interpolation):
    p = np.asarray(peaks, dtype=np.float64)
    rr = np.diff(p) / fs * 1000.0
    t = p[1:] / fs
    duration = t[-1] - t[0]
    n = int(np.floor(duration * RATE)) + 1
    grid = t[0] + np.arange(n) / RATE
    if interpolation == 'cubic':
        x = interpolate.CubicSpline(t, rr, bc_type='natural')(grid)
    else:
        x = np.interp(grid, t, rr)
    nperseg = min(n, int(round(SEGMENT_SEC * RATE)))
    f, pxx = signal.welch(x, fs=RATE, window='hann', nperseg=nperseg, noverlap=nperseg // 2, detrend='constant', scaling='density')
    df = RATE / nperseg

    def power(lo, hi):
        m = (f >= lo) & (f < hi)
        return float(np.sum(pxx[m]) * df)

    lf, hf = power(*BANDS['lf']), power(*BANDS['hf'])
    return {
        'vlfMs2': power(*BANDS['vlf']) if duration >= 300 else None,
        'lfMs2': lf,
        'hfMs2': hf,
        'totalMs2': power(BANDS['vlf'][0], BANDS['hf'][1]),
        'lfHf': lf / hf,
        'durationSec': float(duration),
        'segmentSec': nperseg / RATE,
        'psdHead': [float(v) for v in pxx[:40]],
        'nBins': int(len(f)),
    }


def main():
    data = sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, '..', 'shared', 'data', 'mitdb')
    cases = []
    # (record, min s, max s): 5-min stretches (one 256-s segment + 50 % overlap: 1 full segment),
    # a 150-s stretch (shorter than a segment: one segment of the whole series, not a power of 2),
    # and a ~23-min run of normal beats (VLF, 9 Welch segments).
    for rec, min_sec, max_sec in [('103', 300, 300), ('113', 300, 300), ('117', 150, 150), ('115', 1400, 1400)]:
        anns = read_atr(os.path.join(data, f'{rec}.atr'))
        fs = 360
        peaks = normal_stretch(anns, fs, min_sec, max_sec)
        for interp in ('cubic', 'linear'):
            cases.append({'record': rec, 'fs': fs, 'interpolation': interp, 'peaks': [int(v) for v in peaks], 'scipy': hrv(peaks, fs, interp)})
    os.makedirs(os.path.dirname(OUT), exist_ok=True)
    with open(OUT, 'w') as fh:
        json.dump({'generator': 'scripts/hrv-reference.py', 'numpy': np.__version__, 'scipy': scipy.__version__, 'bands': BANDS, 'cases': cases}, fh)
    print(f'wrote {OUT}: {len(cases)} cases')
    for c in cases:
        s = c['scipy']
        print(c['record'], c['interpolation'], len(c['peaks']), 'beats', f"{s['durationSec']:.0f} s", f"LF {s['lfMs2']:.1f} HF {s['hfMs2']:.1f} LF/HF {s['lfHf']:.3f}", 'VLF', s['vlfMs2'])


if __name__ == '__main__':
    main()
