#!/usr/bin/env python3
"""Reference values for beat-ssl's TS2Vec hierarchical contrastive loss (test/fixtures/ts2vec/).

Written independently from the paper's definitions (Yue et al., AAAI 2022, Sec. 3.2) with explicit
loops over anchors, so it shares no structure with the tfjs implementation. Run with Debian's
python3-torch:  /usr/bin/python3 scripts/ts2vec-reference.py
"""
import json, math, os
import torch

torch.manual_seed(0)
torch.set_default_dtype(torch.float64)


def group_loss(z):
    # z: [G, 2K, C]; positives k <-> k+K within a group; mean over groups and anchors.
    G, M, _ = z.shape
    K = M // 2
    total, count = 0.0, 0
    for g in range(G):
        for i in range(M):
            p = (i + K) % M
            logits = [float(z[g, i] @ z[g, j]) for j in range(M) if j != i]
            mx = max(logits)
            lse = mx + math.log(sum(math.exp(l - mx) for l in logits))
            total += lse - float(z[g, i] @ z[g, p])
            count += 1
    return total / count


def instance(z1, z2):
    if z1.shape[0] == 1:
        return 0.0
    return group_loss(torch.cat([z1, z2], 0).transpose(0, 1))


def temporal(z1, z2):
    if z1.shape[1] == 1:
        return 0.0
    return group_loss(torch.cat([z1, z2], 1))


def pool(z):
    return torch.nn.functional.max_pool1d(z.transpose(1, 2), kernel_size=2).transpose(1, 2)


def hierarchical(z1, z2, alpha=0.5, temporal_unit=0):
    loss, d = 0.0, 0
    while z1.shape[1] > 1:
        if alpha != 0:
            loss += alpha * instance(z1, z2)
        if d >= temporal_unit and alpha != 1:
            loss += (1 - alpha) * temporal(z1, z2)
        d += 1
        z1, z2 = pool(z1), pool(z2)
    if z1.shape[1] == 1:
        if alpha != 0:
            loss += alpha * instance(z1, z2)
        d += 1
    return loss / d


cases = []
for (B, T, C, alpha, tu) in [(4, 9, 5, 0.5, 0), (3, 16, 4, 0.5, 1), (2, 7, 3, 0.0, 0), (5, 6, 8, 1.0, 0), (1, 5, 3, 0.5, 0)]:
    z1 = torch.randn(B, T, C) * 0.7
    z2 = z1 + 0.3 * torch.randn(B, T, C)
    cases.append({
        'shape': [B, T, C], 'alpha': alpha, 'temporalUnit': tu,
        'z1': z1.flatten().tolist(), 'z2': z2.flatten().tolist(),
        'instance': instance(z1, z2), 'temporal': temporal(z1, z2),
        'hierarchical': hierarchical(z1, z2, alpha, tu),
    })

out = os.path.join(os.path.dirname(__file__), '..', 'test', 'fixtures', 'ts2vec', 'loss-reference.json')
with open(out, 'w') as f:
    json.dump({'generator': 'scripts/ts2vec-reference.py', 'torch': torch.__version__, 'cases': cases}, f)
print('wrote', out, len(cases), 'cases')
