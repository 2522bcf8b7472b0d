#!/usr/bin/env python3
"""Reference values for beat-ssl's Beat-SSL objective (src/losses/beatSsl.ts): calibrated soft
targets, the row cross-entropy loss, and its learning signal (target entropy, KL to the targets,
top-1 retrieval of the other view), computed independently with NumPy/SciPy in float64 (the
calibrated exponent by Brent's method on the mean positive share, not by bisection as in the
library). Writes test/fixtures/losses/objective-reference.json; the tests never need Python.

Run from the repo root:  python3 scripts/objective-reference.py
"""
import json
import os

import numpy as np
from scipy.optimize import brentq
from scipy.special import logsumexp

rng = np.random.default_rng(20261206)
OUT = os.path.join(os.path.dirname(__file__), '..', 'test', 'fixtures', 'losses', 'objective-reference.json')


def cosine01(f):
    fn = f / np.linalg.norm(f, axis=1, keepdims=True)
    return np.clip((1 + fn @ fn.T) / 2, 0, 1)


def stacked_sim(f):
    s = cosine01(f)
    return np.block([[s, s], [s, s]])


def partner(m):
    n = m // 2
    return np.array([(i + n) % m for i in range(m)])


def mean_share(S, gamma):
    m = S.shape[0]
    p = partner(m)
    shares = []
    for i in range(m):
        others = [j for j in range(m) if j != i and j != p[i]]
        shares.append(1.0 / (1.0 + np.sum(S[i, others] ** gamma)))
    return float(np.mean(shares))


def targets_at(S, gamma):
    m = S.shape[0]
    t = S ** gamma
    p = partner(m)
    t[np.arange(m), p] = 1.0
    np.fill_diagonal(t, 1.0)
    return t


def signal(z, t, tau):
    """Row cross-entropy with self excluded, and the learning signal."""
    m = z.shape[0]
    zn = z / np.linalg.norm(z, axis=1, keepdims=True)
    s = zn @ zn.T / tau
    p = partner(m)
    H = CE = top1 = share = 0.0
    for i in range(m):
        idx = [j for j in range(m) if j != i]
        logp = s[i, idx] - logsumexp(s[i, idx])
        w = t[i, idx] / t[i, idx].sum()
        nz = w > 0
        H += -np.sum(w[nz] * np.log(w[nz]))
        CE += -np.sum(w * logp)
        top1 += float(idx[int(np.argmax(s[i, idx]))] == p[i])
        share += w[idx.index(p[i])]
    return {'loss': CE / m, 'targetEntropy': H / m, 'kl': CE / m - H / m, 'top1': top1 / m, 'positiveShare': share / m}


cases = []
for case in range(3):
    n, d_feat, d_emb, tau, lam, share = 6 + 2 * case, 4, 8, 0.1 + 0.05 * case, 0.7, [0.5, 0.3, 0.8][case]
    phi = rng.normal(size=(n, d_feat))
    S = stacked_sim(phi)
    gamma = brentq(lambda g: mean_share(S, g) - share, 1e-6, 1e4, xtol=1e-12)
    t = targets_at(S, gamma)
    zr = rng.normal(size=(2 * n, d_emb))
    k = 5 + case
    zb = rng.normal(size=(2 * k, d_emb))
    rhythm = signal(zr, t, tau)
    hard = np.zeros((2 * k, 2 * k))
    hard[np.arange(2 * k), partner(2 * k)] = 1.0
    beat = signal(zb, hard, tau)
    cases.append({
        'n': n, 'k': k, 'temperature': tau, 'lambdaBeat': lam, 'positiveShare': share,
        'features': phi.ravel().tolist(), 'featureDim': d_feat,
        'zRhythm': zr.tolist(), 'zBeat': zb.tolist(),
        'exponent': gamma, 'targets': t.tolist(),
        'rhythm': rhythm, 'beat': beat, 'total': rhythm['loss'] + lam * beat['loss'],
    })

os.makedirs(os.path.dirname(OUT), exist_ok=True)
with open(OUT, 'w') as fh:
    json.dump({'generator': 'scripts/objective-reference.py (NumPy/SciPy float64)', 'cases': cases}, fh)
print(f'wrote {OUT}: {len(cases)} cases')
