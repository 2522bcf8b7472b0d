#!/usr/bin/python3
"""Outside anchor for LUDB P/QRS/T segmentation (DESIGN §7): a plain supervised 1D U-Net in PyTorch
at 100 Hz, trained on LUDB 1–120 on 2 CPU cores (10–30 s per model), predicting 121–160.

Inputs come from eval/export-ludb-working-rate.ts (the exact preprocessing of our tfjs models), and
the probabilities written here are scored by eval/score-reference-probabilities.ts (our scorer):

  npx tsx eval/export-ludb-working-rate.ts /tmp/ludbref/export
  /usr/bin/python3 bench/ludb_unet_reference.py /tmp/ludbref/export /tmp/ludbref/probs [--seed 0] [--ensemble 5]
  npx tsx eval/score-reference-probabilities.ts /tmp/ludbref/probs

Run with Debian's /usr/bin/python3 (torch 1.13 + numpy). Deterministic for a given seed (CPU).
Writes to <probsDir>:
  probs.f32   Float32 softmax probabilities, records concatenated, each [T × 4] time-major
              (classes 0 none, 1 P, 2 QRS, 3 T) at 100 Hz; with --ensemble N, the mean over N
              models trained with seeds seed..seed+N−1
  index.json  { fs, classes, records: [{ id, T, offset }] (offset in floats), recipe, params,
              trainSeconds, trainCpuSeconds }

Recipe (defaults): U-Net with 4 poolings, widths 8-16-32-64 and a 128-wide bottleneck, each block
Conv1d(k=9, same padding, no bias)-BatchNorm-ReLU ×2, MaxPool(2) down, linear Upsample(×2) +
concatenated skip + block up, 1×1 head to 4 classes (492,548 parameters); cross-entropy masked to the
annotated span; Adam, lr 3e-3 with 5% linear warm-up then cosine decay to 0; 300 steps of batch 16
random 512-sample (5.12 s) crops that overlap the annotated span; augmentation: amplitude ×U[0.7, 1.4]
per crop, per-lead ×exp(N(0, 0.1²)), Gaussian noise SD 0.05; inference on whole records (zero-padded
to a multiple of 16). Our tfjs recipe in this script: --crop 0 --steps 240 --lr 2e-3 --warmup 0
--scale 0.8,1.2 --lead-scale 0.
"""
import argparse
import json
import math
import os
import time

# Sleeping (not spinning) OpenMP workers: on a 2-core machine shared with other jobs, spinning
# threads waste most of the CPU (same results, several times the wall time). Must be set before
# torch loads its OpenMP runtime.
os.environ.setdefault('OMP_WAIT_POLICY', 'PASSIVE')

import numpy as np  # noqa: E402
import torch  # noqa: E402
import torch.nn as nn  # noqa: E402
import torch.nn.functional as F  # noqa: E402


def parse_args():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('export_dir')
    ap.add_argument('out_dir')
    ap.add_argument('--seed', type=int, default=0)
    ap.add_argument('--ensemble', type=int, default=1, help='average the probabilities of N models (seeds seed..seed+N-1)')
    ap.add_argument('--train', default='1-120', help='record id range used for training')
    ap.add_argument('--predict', default='121-160', help='record id range to predict')
    ap.add_argument('--widths', default='8,16,32,64,128', help='channels per level, last = bottleneck')
    ap.add_argument('--kernel', type=int, default=9)
    ap.add_argument('--crop', type=int, default=512, help='training crop (samples at 100 Hz; 0 = whole records)')
    ap.add_argument('--batch', type=int, default=16)
    ap.add_argument('--steps', type=int, default=300)
    ap.add_argument('--lr', type=float, default=3e-3)
    ap.add_argument('--warmup', type=float, default=0.05, help='fraction of steps of linear warm-up (0 = cosine from the first step)')
    ap.add_argument('--scale', default='0.7,1.4', help='amplitude scaling range (per crop, all leads)')
    ap.add_argument('--lead-scale', type=float, default=0.1, help='SD of per-lead log-amplitude jitter (0 = off)')
    ap.add_argument('--noise', type=float, default=0.05, help='Gaussian noise SD (standardised units)')
    ap.add_argument('--threads', type=int, default=2)
    return ap.parse_args()


def id_range(s):
    a, b = s.split('-')
    return list(range(int(a), int(b) + 1))


def load(export_dir, ids):
    """x [L, T] float32, y [T] int64, w [T] float32 per record, and the export's index."""
    index = json.load(open(os.path.join(export_dir, 'index.json')))
    T_of = {r['id']: r['T'] for r in index['records']}
    L = len(index['leads'])
    xs, ys, ws = [], [], []
    for i in ids:
        T = T_of[i]
        xs.append(np.fromfile(os.path.join(export_dir, f'{i}.x.f32'), dtype='<f4').reshape(T, L).T.copy())
        ys.append(np.fromfile(os.path.join(export_dir, f'{i}.y.u8'), dtype=np.uint8).astype(np.int64))
        ws.append(np.fromfile(os.path.join(export_dir, f'{i}.w.f32'), dtype='<f4'))
    return xs, ys, ws, index


class Block(nn.Sequential):
    def __init__(self, cin, cout, k):
        super().__init__(
            nn.Conv1d(cin, cout, k, padding=k // 2, bias=False), nn.BatchNorm1d(cout), nn.ReLU(inplace=True),
            nn.Conv1d(cout, cout, k, padding=k // 2, bias=False), nn.BatchNorm1d(cout), nn.ReLU(inplace=True),
        )


class UNet1d(nn.Module):
    """Plain 1D U-Net: len(widths)-1 down levels, a bottleneck, symmetric up path with skips."""

    def __init__(self, cin, ncls, widths, k):
        super().__init__()
        self.down = nn.ModuleList()
        c = cin
        for w in widths[:-1]:
            self.down.append(Block(c, w, k))
            c = w
        self.bottleneck = Block(c, widths[-1], k)
        self.up = nn.ModuleList()
        c = widths[-1]
        for w in reversed(widths[:-1]):
            self.up.append(Block(c + w, w, k))
            c = w
        self.head = nn.Conv1d(c, ncls, 1)
        self.multiple = 2 ** (len(widths) - 1)

    def forward(self, x):
        skips = []
        for blk in self.down:
            x = blk(x)
            skips.append(x)
            x = F.max_pool1d(x, 2)
        x = self.bottleneck(x)
        for blk in self.up:
            x = F.interpolate(x, scale_factor=2, mode='linear', align_corners=False)
            x = blk(torch.cat([x, skips.pop()], 1))
        return self.head(x)


def train_one(a, seed, xs, ys, ws):
    """Trains one U-Net with `seed` (init, sampling, augmentation); returns the model in eval mode."""
    torch.manual_seed(seed)
    rng = np.random.default_rng(seed)
    L = xs[0].shape[0]
    model = UNet1d(L, 4, [int(v) for v in a.widths.split(',')], a.kernel)
    m = model.multiple
    crop = int(math.ceil((a.crop if a.crop > 0 else max(x.shape[1] for x in xs)) / m) * m)
    s0, s1 = (float(v) for v in a.scale.split(','))
    opt = torch.optim.Adam(model.parameters(), lr=a.lr)
    warm = max(1, int(a.warmup * a.steps))

    def lr_at(step):
        if step < warm:
            return a.lr * (step + 1) / warm
        return a.lr * 0.5 * (1 + math.cos(math.pi * (step - warm) / max(1, a.steps - warm)))

    t0, c0 = time.perf_counter(), time.process_time()
    model.train()
    running = 0.0
    for step in range(a.steps):
        xb = np.zeros((a.batch, L, crop), np.float32)
        yb = np.zeros((a.batch, crop), np.int64)
        wb = np.zeros((a.batch, crop), np.float32)  # padding beyond a record's end keeps weight 0
        for b in range(a.batch):
            i = rng.integers(len(xs))
            x, y, w = xs[i], ys[i], ws[i]
            T = x.shape[1]
            if T > crop:
                # crop start among the windows that overlap the annotated span by at least half a crop
                idx = np.flatnonzero(w > 0)
                lo = max(0, min(idx[0] - crop // 2, T - crop)) if idx.size else 0
                hi = max(lo, min(T - crop, idx[-1] - crop // 2)) if idx.size else T - crop
                st, n = int(rng.integers(lo, hi + 1)), crop
            else:
                st, n = 0, T
            xc = x[:, st:st + n] * rng.uniform(s0, s1)
            if a.lead_scale > 0:
                xc = xc * np.exp(a.lead_scale * rng.standard_normal((L, 1))).astype(np.float32)
            if a.noise > 0:
                xc = xc + a.noise * rng.standard_normal(xc.shape).astype(np.float32)
            xb[b, :, :n] = xc
            yb[b, :n] = y[st:st + n]
            wb[b, :n] = w[st:st + n]
        for g in opt.param_groups:
            g['lr'] = lr_at(step)
        ce = F.cross_entropy(model(torch.from_numpy(xb)), torch.from_numpy(yb), reduction='none')
        wt = torch.from_numpy(wb)
        loss = (ce * wt).sum() / wt.sum().clamp(min=1)
        opt.zero_grad(set_to_none=True)
        loss.backward()
        opt.step()
        running = 0.98 * running + 0.02 * loss.item() if step else loss.item()
        if step % 100 == 0 or step == a.steps - 1:
            print(f'  seed {seed} step {step:4d}  loss (EMA) {running:.4f}  lr {lr_at(step):.2e}  '
                  f'{time.perf_counter() - t0:6.1f} s wall  {time.process_time() - c0:6.1f} s CPU', flush=True)
    model.eval()
    return model, crop, warm, time.perf_counter() - t0, time.process_time() - c0


def predict(model, xs):
    """Softmax probabilities [T, 4] per record, whole records zero-padded to the model's multiple."""
    out = []
    with torch.no_grad():
        for x in xs:
            L, T = x.shape
            xin = np.zeros((1, L, int(math.ceil(T / model.multiple) * model.multiple)), np.float32)
            xin[0, :, :T] = x
            out.append(torch.softmax(model(torch.from_numpy(xin)), 1)[0, :, :T].T.contiguous().numpy())
    return out


def main():
    a = parse_args()
    torch.set_num_threads(a.threads)
    train_ids, pred_ids = id_range(a.train), id_range(a.predict)
    xs, ys, ws, index = load(a.export_dir, train_ids)
    px, _, _, _ = load(a.export_dir, pred_ids)
    seeds = list(range(a.seed, a.seed + a.ensemble))
    params = sum(p.numel() for p in UNet1d(xs[0].shape[0], 4, [int(v) for v in a.widths.split(',')], a.kernel).parameters())
    print(f'U-Net widths {a.widths} k={a.kernel}: {params} parameters; {len(train_ids)} training records; crop {a.crop or "whole"}, '
          f'batch {a.batch}, {a.steps} steps, lr {a.lr}, seeds {seeds}, threads {torch.get_num_threads()}', flush=True)
    probs, wall, cpu = None, 0.0, 0.0
    for seed in seeds:
        model, crop, warm, tw, tc = train_one(a, seed, xs, ys, ws)
        wall, cpu = wall + tw, cpu + tc
        p = predict(model, px)
        probs = p if probs is None else [q + r for q, r in zip(probs, p)]
    probs = [(q / len(seeds)).astype('<f4') for q in probs]
    print(f'training wall time {wall:.1f} s, CPU time {cpu:.1f} s (all threads; {len(seeds)} model(s) × {a.steps} steps)', flush=True)

    os.makedirs(a.out_dir, exist_ok=True)
    recs, off = [], 0
    for i, p in zip(pred_ids, probs):
        recs.append({'id': i, 'T': p.shape[0], 'offset': off})
        off += p.size
    np.concatenate([p.ravel() for p in probs]).tofile(os.path.join(a.out_dir, 'probs.f32'))
    recipe = {k: v for k, v in vars(a).items() if k not in ('export_dir', 'out_dir')}
    recipe.update(crop=crop, seeds=seeds, optimizer='Adam', schedule=f'linear warm-up {warm} steps, cosine to 0',
                  loss='cross-entropy masked to the annotated span', torch=torch.__version__)
    json.dump({'fs': index['fs'], 'classes': ['none', 'P', 'QRS', 'T'], 'records': recs, 'recipe': recipe, 'params': params,
               'trainSeconds': wall, 'trainCpuSeconds': cpu}, open(os.path.join(a.out_dir, 'index.json'), 'w'), indent=1)
    print(f'wrote probabilities of {len(recs)} records to {a.out_dir}', flush=True)


if __name__ == '__main__':
    main()
