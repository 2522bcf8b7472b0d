#!/usr/bin/python3
"""Generate SciPy reference vectors for beat-ssl's signal tests.

Run from the repository root with Debian's python3 (numpy, scipy 1.10):

    /usr/bin/python3 scripts/signal-reference.py

Reads two real records from examples/data (decoding WFDB formats 16 and 212 directly with numpy)
and writes small JSON fixtures to test/fixtures/signal/:

- butter.json  SOS designs (butter ... output='sos', iirnotch) for several orders/types/rates
- ludb1_ii.json   LUDB record 1, lead II, samples 1000..2199 (500 Hz): raw ADC values + filter
                  and resampling outputs
- mitdb100_mlii.json  MIT-BIH record 100, MLII, samples 0..1439 (360 Hz): idem

Inputs are stored as raw integers with gain/baseline (physical = (adc - baseline) / gain, in mV),
outputs rounded to 1e-7 mV, so the tests can assert max |ours - SciPy| < 1e-6 mV.
"""
import json
import os
import sys

import numpy as np
import scipy
from scipy import ndimage, signal

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(ROOT, 'test', 'fixtures', 'signal')
DIGITS = 7


def rnd(a):
    return [round(float(v), DIGITS) for v in np.asarray(a).ravel()]


def read_format16(path, nsig):
    raw = np.fromfile(path, dtype='<i2')
    return raw.reshape(-1, nsig)


def read_format212(path, nsig):
    b = np.fromfile(path, dtype=np.uint8).astype(np.int32)
    b = b[: (len(b) // 3) * 3].reshape(-1, 3)
    s0 = b[:, 0] | ((b[:, 1] & 0x0F) << 8)
    s1 = b[:, 2] | ((b[:, 1] & 0xF0) << 4)
    s = np.stack([s0, s1], axis=1).reshape(-1)
    s = np.where(s > 2047, s - 4096, s)
    return s.reshape(-1, nsig)


def design_cases():
    cases = []
    for order, cutoff, btype, fs in [
        (4, 40.0, 'lowpass', 500.0),
        (5, 15.0, 'lowpass', 100.0),
        (1, 25.0, 'lowpass', 250.0),
        (2, 0.5, 'highpass', 500.0),
        (3, 0.67, 'highpass', 360.0),
        (4, 1.0, 'highpass', 100.0),
        (2, [0.5, 40.0], 'bandpass', 500.0),
        (3, [0.5, 40.0], 'bandpass', 360.0),
        (1, [5.0, 15.0], 'bandpass', 200.0),
        (4, [0.67, 45.0], 'bandpass', 1000.0),
        (2, [45.0, 55.0], 'bandstop', 500.0),
        (3, [58.0, 62.0], 'bandstop', 360.0),
    ]:
        sos = signal.butter(order, cutoff, btype=btype, fs=fs, output='sos')
        cases.append({'order': order, 'cutoffHz': cutoff, 'type': btype, 'fs': fs, 'sos': sos.tolist(),
                      'zi': signal.sosfilt_zi(sos).tolist()})
    notches = []
    for f0, q, fs in [(50.0, 30.0, 500.0), (60.0, 30.0, 360.0), (50.0, 10.0, 1000.0)]:
        b, a = signal.iirnotch(f0, q, fs=fs)
        notches.append({'freqHz': f0, 'q': q, 'fs': fs, 'b': b.tolist(), 'a': a.tolist()})
    return {'scipy': scipy.__version__, 'butter': cases, 'notch': notches}


def record_case(name, adc, gain, baseline, fs):
    x = (adc.astype(np.float64) - baseline) / gain
    out = {'name': name, 'fs': fs, 'gain': gain, 'baseline': baseline, 'adc': [int(v) for v in adc]}
    bp = signal.butter(2, [0.5, 40.0], btype='bandpass', fs=fs, output='sos')
    hp = signal.butter(2, 0.5, btype='highpass', fs=fs, output='sos')
    # An even order on LUDB and an odd one on MIT-BIH (odd orders add a first-order section,
    # which shortens sosfiltfilt's default padlen by 3 samples).
    lp_order = 4 if fs == 500 else 3
    lp = signal.butter(lp_order, 40.0, btype='lowpass', fs=fs, output='sos')
    b, a = signal.iirnotch(50.0 if fs == 500 else 60.0, 30.0, fs=fs)
    notch_sos = np.array([np.concatenate([b, a])])
    out['filters'] = {
        'bandpass_sosfilt': {'order': 2, 'cutoffHz': [0.5, 40.0], 'type': 'bandpass', 'zeroPhase': False,
                             'y': rnd(signal.sosfilt(bp, x))},
        'bandpass_sosfiltfilt': {'order': 2, 'cutoffHz': [0.5, 40.0], 'type': 'bandpass', 'zeroPhase': True,
                                 'y': rnd(signal.sosfiltfilt(bp, x))},
        'highpass_sosfiltfilt': {'order': 2, 'cutoffHz': 0.5, 'type': 'highpass', 'zeroPhase': True,
                                 'y': rnd(signal.sosfiltfilt(hp, x))},
        'lowpass_sosfiltfilt': {'order': lp_order, 'cutoffHz': 40.0, 'type': 'lowpass', 'zeroPhase': True,
                                'y': rnd(signal.sosfiltfilt(lp, x))},
    }
    out['notch'] = {'freqHz': 50.0 if fs == 500 else 60.0, 'q': 30.0,
                    'y': rnd(signal.sosfiltfilt(notch_sos, x))}
    # Median baseline (two cascaded medians, 0.2 s then 0.6 s, odd widths, edges 'nearest').
    w1 = int(round(0.2 * fs)) | 1
    w2 = int(round(0.6 * fs)) | 1
    base = ndimage.median_filter(ndimage.median_filter(x, size=w1, mode='nearest'), size=w2, mode='nearest')
    out['medianBaseline'] = {'windows': [w1, w2], 'y': rnd(x - base)}
    res = {}
    for fs_out in ([100, 250, 360] if fs == 500 else [100, 250, 500]):
        g = np.gcd(int(fs), int(fs_out))
        up, down = int(fs_out // g), int(fs // g)
        res[str(fs_out)] = {'up': up, 'down': down, 'y': rnd(signal.resample_poly(x, up, down))}
    out['resample'] = res
    return out


def main():
    os.makedirs(OUT, exist_ok=True)
    with open(os.path.join(OUT, 'butter.json'), 'w') as f:
        json.dump(design_cases(), f)
    ludb = read_format16(os.path.join(ROOT, 'examples', 'data', 'ludb', '1.dat'), 12)
    # 1.hea: lead ii is signal 1, gain 1206, baseline 2
    case = record_case('ludb/1 lead ii samples 1000..2199', ludb[1000:2200, 1], 1206.0, 2.0, 500)
    with open(os.path.join(OUT, 'ludb1_ii.json'), 'w') as f:
        json.dump(case, f)
    mit = read_format212(os.path.join(ROOT, 'examples', 'data', 'mitdb', '100.dat'), 2)
    # 100.hea: MLII is signal 0, gain 200, baseline = ADC zero 1024
    case = record_case('mitdb/100 MLII samples 0..1439', mit[0:1440, 0], 200.0, 1024.0, 360)
    with open(os.path.join(OUT, 'mitdb100_mlii.json'), 'w') as f:
        json.dump(case, f)
    sizes = {n: os.path.getsize(os.path.join(OUT, n)) for n in sorted(os.listdir(OUT)) if n.endswith('.json')}
    print(json.dumps(sizes), 'total', sum(sizes.values()), file=sys.stderr)


if __name__ == '__main__':
    main()
