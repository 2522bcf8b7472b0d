#!/usr/bin/env python3
"""SciPy reference timings for bench/signal.ts: the same operations on the same synthetic
12 x 5000 record at 500 Hz, records/s (median of repeats, warm-up excluded). Prints one JSON line.
Per-lead 1-D calls, as in the TypeScript bench (vectorised axis=-1 calls would be faster in SciPy;
the per-lead form is what the library API does)."""
import json
import sys
import time


def main():
    quick = "--quick" in sys.argv
    try:
        import numpy as np
        from scipy import signal as ss
        from scipy.ndimage import median_filter
    except Exception as e:  # noqa: BLE001
        print(json.dumps({"error": f"SciPy missing: {e}"}))
        return
    fs, n, leads = 500, 5000, 12
    t = np.arange(n) / fs
    rng = np.random.default_rng(7)
    rec = [(np.sin(2 * np.pi * 1.2 * t + l) + 0.3 * np.sin(2 * np.pi * 50 * t) + 0.2 * np.sin(2 * np.pi * 0.2 * t)
            + 0.05 * (rng.random(n) - 0.5)).astype(np.float32) for l in range(leads)]
    bp = ss.butter(2, [0.5, 40], "bandpass", fs=fs, output="sos")
    lp = ss.butter(4, 40, "lowpass", fs=fs, output="sos")
    hp = ss.butter(2, 0.5, "highpass", fs=fs, output="sos")
    b, a = ss.iirnotch(50, 30, fs=fs)
    nt = ss.tf2sos(b, a)
    w1, w2 = int(0.2 * fs) // 2 * 2 + 1, int(0.6 * fs) // 2 * 2 + 1

    def med(x):
        base = median_filter(median_filter(x, w1, mode="nearest"), w2, mode="nearest")
        return x - base

    ops = {
        "bandpass 0.5-40Hz o2 zero-phase @500Hz": ("sosfiltfilt(butter(2,[0.5,40],'bandpass'))", lambda x: ss.sosfiltfilt(bp, x)),
        "lowpass 40Hz o4 zero-phase @500Hz": ("sosfiltfilt(butter(4,40,'lowpass'))", lambda x: ss.sosfiltfilt(lp, x)),
        "notch 50Hz q30 zero-phase @500Hz": ("sosfiltfilt(tf2sos(iirnotch(50,30)))", lambda x: ss.sosfiltfilt(nt, x)),
        "baseline highpass 0.5Hz @500Hz": ("sosfiltfilt(butter(2,0.5,'highpass'))", lambda x: ss.sosfiltfilt(hp, x)),
        "baseline median 0.2+0.6s @500Hz": ("x - median_filter(median_filter(x,101),301)", med),
        "resample 500->100Hz": ("resample_poly(x, 1, 5)", lambda x: ss.resample_poly(x, 1, 5)),
        "resample 360->500Hz": ("resample_poly(x, 25, 18)", lambda x: ss.resample_poly(x, 25, 18)),
    }
    reps = 3 if quick else 15
    out = {}
    for name, (desc, fn) in ops.items():
        for x in rec:
            fn(x)
        ms, cpu = [], []
        for _ in range(reps):
            t0, c0 = time.perf_counter(), time.process_time()
            for x in rec:
                fn(x)
            ms.append((time.perf_counter() - t0) * 1000)
            cpu.append((time.process_time() - c0) * 1000)
        out[name] = {"recordsPerSec": 1000 / sorted(ms)[len(ms) // 2],
                     "recordsPerCpuSec": 1000 / max(sorted(cpu)[len(cpu) // 2], 1e-3), "op": desc}
    import scipy
    print(json.dumps({"ops": out, "scipy": scipy.__version__, "numpy": np.__version__}))


if __name__ == "__main__":
    main()
