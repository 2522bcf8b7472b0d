#!/usr/bin/env python3
"""PyTorch CPU reference for bench/model.ts: the same ResNet-style 1D encoder, the same step.

Reads a JSON job from argv[1] (or stdin when argv[1] is '-'):
  {"spec": {...resolved createEncoder config: leads, stemWidth, stemKernel, widths, depths,
            kernelSizes, kernelSize, norm...}, "runs": [{"time": 1000, "batch": 32, "leads": 12}],
   "reps": 5, "warmup": 1, "threads": null}
and prints one JSON object per run on stdout:
  {"time", "batch", "params", "trainRecordsPerSec", "inferRecordsPerSec", "trainRecordsPerCpuSec",
   "inferRecordsPerCpuSec", "trainStepMs", "inferMs", "trainStepCpuMs", "inferCpuMs", "threads", "torch"}
(CPU time = time.process_time(), all threads: robust to other processes' load on a shared machine.)
Architecture (mirrors createEncoder in src/models/encoder.ts): conv-bn-relu stem (stride 1), stages
of residual blocks (sum of parallel convs of kernelSizes with stride 2 in the first block, bn, relu,
conv kernelSize, bn; 1x1 conv-bn shortcut when the shape changes; add; relu), global average pool. Convs have no bias. Train step = forward + MSE to a constant + backward + Adam.
Channels-first [batch, leads, time] (PyTorch's native layout; same FLOPs).
"""
import json
import sys
import time


def main():
    job = json.load(sys.stdin if len(sys.argv) < 2 or sys.argv[1] == '-' else open(sys.argv[1]))
    try:
        import torch
        import torch.nn as nn
    except Exception as e:  # noqa: BLE001
        print(json.dumps({"error": f"PyTorch missing: {e}"}))
        return
    if job.get("threads"):
        torch.set_num_threads(int(job["threads"]))
    torch.manual_seed(0)
    spec = job["spec"]

    def conv(cin, cout, k, s):
        # TF 'same' padding equals k // 2 on both sides for odd k (all kernels of the presets are odd).
        return nn.Conv1d(cin, cout, k, stride=s, padding=k // 2, bias=False)

    class ChannelLayerNorm(nn.Module):
        """tf.layers.layerNormalization(axis=-1) on [batch, time, channels]: normalise over channels."""

        def __init__(self, c):
            super().__init__()
            self.ln = nn.LayerNorm(c, eps=1e-5)

        def forward(self, x):
            return self.ln(x.transpose(1, 2)).transpose(1, 2)

    def norm(c):
        return nn.BatchNorm1d(c, eps=1e-5, momentum=0.1) if spec.get("norm", "batch") == "batch" else ChannelLayerNorm(c)

    class MultiScale(nn.Module):
        def __init__(self, cin, cout, kernels, s):
            super().__init__()
            self.branches = nn.ModuleList([conv(cin, cout, k, s) for k in kernels])

        def forward(self, x):
            out = self.branches[0](x)
            for b in self.branches[1:]:
                out = out + b(x)
            return out

    class Block(nn.Module):
        def __init__(self, cin, cout, s):
            super().__init__()
            self.body = nn.Sequential(MultiScale(cin, cout, spec["kernelSizes"], s), norm(cout), nn.ReLU(),
                                      conv(cout, cout, spec["kernelSize"], 1), norm(cout))
            self.short = nn.Sequential(conv(cin, cout, 1, s), norm(cout)) if (s != 1 or cin != cout) else nn.Identity()
            self.relu = nn.ReLU()

        def forward(self, x):
            return self.relu(self.body(x) + self.short(x))

    def build(leads):
        layers = [conv(leads, spec["stemWidth"], spec["stemKernel"], 1), norm(spec["stemWidth"]), nn.ReLU()]
        c = spec["stemWidth"]
        for w, d in zip(spec["widths"], spec["depths"]):
            for b in range(d):
                layers.append(Block(c if b == 0 else w, w, 2 if b == 0 else 1))
            c = w
        layers += [nn.AdaptiveAvgPool1d(1), nn.Flatten()]
        return nn.Sequential(*layers)

    reps = int(job.get("reps", 5))
    warmup = int(job.get("warmup", 1))
    for run in job["runs"]:
        t_len, batch, leads = int(run["time"]), int(run["batch"]), int(run.get("leads", 12))
        out = {"time": t_len, "batch": batch, "threads": torch.get_num_threads(), "torch": torch.__version__}
        try:
            model = build(leads)
            out["params"] = sum(p.numel() for p in model.parameters())
            x = torch.randn(batch, leads, t_len)
            infer_ms, infer_cpu = [], []
            model.eval()
            with torch.no_grad():
                for i in range(warmup + reps):
                    t0, c0 = time.perf_counter(), time.process_time()
                    model(x)
                    if i >= warmup:
                        infer_ms.append((time.perf_counter() - t0) * 1000)
                        infer_cpu.append((time.process_time() - c0) * 1000)
            model.train()
            opt = torch.optim.Adam(model.parameters(), lr=1e-3)
            target = torch.full((batch, spec["widths"][-1]), 0.1)
            train_ms, train_cpu = [], []
            for i in range(warmup + reps):
                t0, c0 = time.perf_counter(), time.process_time()
                opt.zero_grad(set_to_none=True)
                loss = ((model(x) - target) ** 2).mean()
                loss.backward()
                opt.step()
                loss.item()
                if i >= warmup:
                    train_ms.append((time.perf_counter() - t0) * 1000)
                    train_cpu.append((time.process_time() - c0) * 1000)
            med = lambda v: sorted(v)[len(v) // 2] if len(v) % 2 else sum(sorted(v)[len(v) // 2 - 1:len(v) // 2 + 1]) / 2
            out.update({
                "trainRecordsPerSec": batch / (med(train_ms) / 1000),
                "inferRecordsPerSec": batch / (med(infer_ms) / 1000),
                "trainRecordsPerCpuSec": batch / (med(train_cpu) / 1000),
                "inferRecordsPerCpuSec": batch / (med(infer_cpu) / 1000),
                "trainStepMs": train_ms,
                "inferMs": infer_ms,
                "trainStepCpuMs": train_cpu,
                "inferCpuMs": infer_cpu,
            })
        except Exception as e:  # noqa: BLE001
            out["error"] = str(e).split("\n")[0]
        print(json.dumps(out), flush=True)


if __name__ == "__main__":
    main()
