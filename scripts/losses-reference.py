#!/usr/bin/env python3
"""Reference values for beat-ssl's contrastive losses (src/losses), computed independently with
PyTorch in float64 on small seeded inputs. Writes test/fixtures/losses/reference.json, which the
vitest suite reads (the tests never need Python).

Run from the repo root:  /usr/bin/python3 scripts/losses-reference.py
"""
import json
import os

import numpy as np
import torch
import torch.nn.functional as F

torch.set_default_dtype(torch.float64)
rng = np.random.default_rng(20260116)
OUT = os.path.join(os.path.dirname(__file__), '..', 'test', 'fixtures', 'losses', 'reference.json')


def other_view(m):
    n = m // 2
    return torch.tensor([(i + n) % m for i in range(m)])


def logits_of(z, tau):
    zn = F.normalize(z, dim=1)
    return zn @ zn.T / tau


def nt_xent(z, tau, valid):
    m = z.shape[0]
    s = logits_of(z, tau)
    allowed = valid[:, None] * valid[None, :] * (1 - torch.eye(m))
    s = s.masked_fill(allowed == 0, float('-inf'))
    pos = other_view(m)
    per = F.cross_entropy(s, pos, reduction='none')  # -log softmax at the other view
    active = valid * valid[pos]
    return (per * active).nansum() / active.sum().clamp(min=1)


def soft_infonce(z, targets, tau, norm, valid, bias=None):
    m = z.shape[0]
    s = logits_of(z, tau)
    allowed = valid[:, None] * valid[None, :] * (1 - torch.eye(m))
    t = targets * allowed
    if norm == 'sigmoid':
        b = -1.0 / tau if bias is None else bias
        bce = F.binary_cross_entropy_with_logits(s + b, t, reduction='none')
        per = (bce * allowed).sum(1)
        return (per * valid).sum() / valid.sum().clamp(min=1)
    logp = torch.log_softmax(s.masked_fill(allowed == 0, float('-inf')), dim=1)
    logp = torch.where(allowed > 0, logp, torch.zeros_like(logp))
    mass = t.sum(1)
    w = t / mass.clamp(min=1e-300)[:, None] if norm == 'row' else t
    per = -(w * logp).sum(1)
    active = valid * (mass > 0).double()
    return (per * active).sum() / active.sum().clamp(min=1)


def supcon(z, labels2, tau, valid):
    """SupCon L_out (Khosla et al. 2020), written from the paper's formula."""
    m = z.shape[0]
    s = logits_of(z, tau)
    loss_sum, n_active = 0.0, 0
    for i in range(m):
        if valid[i] == 0:
            continue
        others = [j for j in range(m) if j != i and valid[j] > 0]
        pos = [j for j in others if (labels2[i] >= 0 and labels2[j] == labels2[i]) or j == (i + m // 2) % m]
        if not pos:
            continue
        denom = torch.logsumexp(s[i, others], dim=0)
        loss_sum = loss_sum + sum(-(s[i, p] - denom) for p in pos) / len(pos)
        n_active += 1
    return loss_sum / max(n_active, 1)


def soft_targets(feat, sim, gamma, sigma=None, stacked=False):
    f = feat if stacked else torch.cat([feat, feat])
    m = f.shape[0]
    if sim == 'cosine':
        fn = F.normalize(f, dim=1)
        w = ((1 + fn @ fn.T) / 2).clamp(0, 1)
    else:
        w = torch.exp(-torch.cdist(f, f) ** 2 / (2 * sigma ** 2))
    w = w ** gamma
    w[torch.eye(m, dtype=torch.bool)] = 1
    w[torch.arange(m), other_view(m)] = 1
    return w


def class_targets(labels):
    lab = list(labels) + list(labels)
    m = len(lab)
    t = torch.zeros(m, m)
    for i in range(m):
        for j in range(m):
            if i == j or j == (i + m // 2) % m or (lab[i] >= 0 and lab[i] == lab[j]):
                t[i, j] = 1
    return t, lab


def value_and_grad(fn, z0):
    z = torch.tensor(z0, requires_grad=True)
    loss = fn(z)
    loss.backward()
    return float(loss.detach()), z.grad.numpy().tolist()


cases = []
N, D, FEAT = 4, 6, 5
for case_id in range(3):
    z0 = rng.normal(size=(2 * N, D))
    if case_id == 2:  # near-duplicate views, more realistic
        z0[N:] = z0[:N] + 0.3 * rng.normal(size=(N, D))
    feats = rng.normal(size=(N, FEAT))
    labels = [int(v) for v in rng.integers(-1, 3, size=N)]
    valid = np.ones(2 * N)
    if case_id == 1:
        valid_n = np.array([1, 1, 0, 1.0])  # record 2 padded in both views
        valid = np.concatenate([valid_n, valid_n])
    v = torch.tensor(valid)
    ft = torch.tensor(feats)
    t_cos = soft_targets(ft, 'cosine', 1.0)
    t_cos3 = soft_targets(ft, 'cosine', 3.0)
    t_gau = soft_targets(ft, 'gaussian', 2.0, sigma=1.5)
    t_cls, lab2 = class_targets(labels)
    entry = {
        'z': z0.tolist(),
        'features': feats.tolist(),
        'labels': labels,
        'validMask': valid.tolist(),
        'targets': {
            'cosine1': t_cos.numpy().tolist(),
            'cosine3': t_cos3.numpy().tolist(),
            'gaussian2_sigma1.5': t_gau.numpy().tolist(),
            'class': t_cls.numpy().tolist(),
        },
        'losses': {},
    }
    for tau in (0.1, 0.5):
        key = f'tau{tau}'
        res = {}
        res['ntXent'] = value_and_grad(lambda z: nt_xent(z, tau, v), z0)
        for name, tgt in (('cosine1', t_cos), ('cosine3', t_cos3), ('gaussian', t_gau)):
            for norm in ('row', 'weighted', 'sigmoid'):
                res[f'softInfoNCE_{norm}_{name}'] = value_and_grad(lambda z: soft_infonce(z, tgt, tau, norm, v), z0)
        res['softInfoNCE_sigmoid_cosine1_bias-3'] = value_and_grad(lambda z: soft_infonce(z, t_cos, tau, 'sigmoid', v, bias=-3.0), z0)
        res['multiPositiveInfoNCE_class'] = value_and_grad(lambda z: supcon(z, lab2, tau, v), z0)
        entry['losses'][key] = {k: {'value': val, 'grad': g} for k, (val, g) in res.items()}
    cases.append(entry)

os.makedirs(os.path.dirname(OUT), exist_ok=True)
with open(OUT, 'w') as fh:
    json.dump({'generator': 'scripts/losses-reference.py', 'torch': torch.__version__, 'cases': cases}, fh)
print('wrote', os.path.normpath(OUT))
