#!/usr/bin/env python3
"""Keras interop for beat-ssl models: load a model saved by beat-ssl into TensorFlow/Keras, and write
Keras weights back in beat-ssl's format. Our own loader: the beat-ssl `model.json` is a Keras-style
functional topology (tfjs-layers writes Keras 2 layer configs) plus a weights manifest; this script
rebuilds the graph with `keras.layers`, fills the weights by name, and writes them back the same way.

Needs TensorFlow 2.16+ (Keras 3) or standalone Keras 3 with NumPy; tested with tensorflow-cpu 2.21.0.

  python scripts/keras_interop.py check INPUT.bin SHAPE DIR EXPECTED.bin [DIR EXPECTED.bin ...]
      Loads each DIR/model.json + weights into Keras, runs it on INPUT (raw float32, shape "n,t,c"),
      and compares every output with EXPECTED (raw float32, the outputs concatenated in model order).
      Prints one JSON line per DIR: {"dir", "ok", "maxAbsDiff", "maxRelDiff", "outputs", "keras", "tensorflow"}.
  python scripts/keras_interop.py train INPUT.bin SHAPE STEPS DIR OUT_DIR [DIR OUT_DIR ...]
      Loads each DIR into Keras, trains it STEPS Adam steps on INPUT towards a fixed target (stands for
      "continue training with TensorFlow"), writes OUT_DIR/model.json + weights.bin in beat-ssl's
      format (topology unchanged, new weights; the other files of DIR copied), and writes
      OUT_DIR/keras-outputs.bin: the trained model's inference outputs on INPUT. One JSON line per DIR.

The same loader is what docs/models-training.md → "Continuing training with TensorFlow" uses with
tf.distribute strategies.
"""
import json
import os
import shutil
import sys

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import numpy as np  # noqa: E402

try:
    import tensorflow as tf  # noqa: E402
    import keras  # noqa: E402
except ImportError as e:  # pragma: no cover - reported to the caller
    print(json.dumps({"ok": False, "error": f"TensorFlow/Keras not importable: {e}"}))
    sys.exit(2)

DTYPES = {"float32": np.float32, "int32": np.int32}


def _node_inputs(node):
    """A tfjs/Keras-2 inbound node: [[layer, node_index, tensor_index, kwargs], ...]."""
    return [(ref[0], ref[1], ref[2]) for ref in node]


def make_layer(cls, c):
    """One Keras layer from a tfjs-layers (Keras 2 style) class name and config."""
    name = c["name"]
    if cls == "Conv1D":
        return keras.layers.Conv1D(
            c["filters"], tuple(c["kernel_size"]), strides=tuple(c["strides"]), padding=c["padding"],
            dilation_rate=tuple(c.get("dilation_rate", [1])), activation=c.get("activation", "linear"),
            use_bias=c.get("use_bias", True), name=name)
    if cls == "BatchNormalization":
        return keras.layers.BatchNormalization(axis=c.get("axis", -1), momentum=c.get("momentum", 0.99),
                                               epsilon=c.get("epsilon", 1e-3), center=c.get("center", True),
                                               scale=c.get("scale", True), name=name)
    if cls == "LayerNormalization":
        axis = c.get("axis", -1)
        return keras.layers.LayerNormalization(axis=axis, epsilon=c.get("epsilon", 1e-3), center=c.get("center", True),
                                               scale=c.get("scale", True), name=name)
    if cls == "Activation":
        return keras.layers.Activation(c["activation"], name=name)
    if cls == "ReLU":
        return keras.layers.ReLU(name=name)
    if cls == "Add":
        return keras.layers.Add(name=name)
    if cls == "Concatenate":
        return keras.layers.Concatenate(axis=c.get("axis", -1), name=name)
    if cls == "GlobalAveragePooling1D":
        return keras.layers.GlobalAveragePooling1D(name=name)
    if cls == "Dense":
        return keras.layers.Dense(c["units"], activation=c.get("activation", "linear"), use_bias=c.get("use_bias", True), name=name)
    if cls == "Reshape":
        return keras.layers.Reshape(tuple(-1 if d is None else d for d in c["target_shape"]), name=name)
    raise ValueError(f"keras_interop: layer class {cls} ({name}) is not supported by this loader")


def read_model_dir(d):
    with open(os.path.join(d, "model.json")) as f:
        mj = json.load(f)
    data = b"".join(open(os.path.join(d, p), "rb").read() for g in mj["weightsManifest"] for p in g["paths"])
    weights, o = {}, 0
    for g in mj["weightsManifest"]:
        for w in g["weights"]:
            dt = DTYPES[w.get("dtype", "float32")]
            n = int(np.prod(w["shape"])) if w["shape"] else 1
            weights[w["name"]] = np.frombuffer(data, dtype=dt, count=n, offset=o).reshape(w["shape"]).copy()
            o += n * np.dtype(dt).itemsize
    if o != len(data):
        raise ValueError(f"keras_interop: weights.bin has {len(data)} bytes, the manifest describes {o}")
    return mj, weights


def build_model(topology):
    """Rebuilds the functional graph of a tfjs-layers topology with keras.layers."""
    cfg = topology["config"] if "config" in topology else topology["model_config"]["config"]
    tensors = {}
    for l in cfg["layers"]:
        cls, c, name = l["class_name"], l["config"], l["name"]
        if cls == "InputLayer":
            shape = c.get("batch_input_shape") or c.get("batch_shape")
            tensors[(name, 0, 0)] = keras.Input(shape=tuple(shape[1:]), dtype=c.get("dtype", "float32"), name=name)
            continue
        layer = make_layer(cls, c)
        for ni, node in enumerate(l["inbound_nodes"]):
            ins = [tensors[r] for r in _node_inputs(node)]
            tensors[(name, ni, 0)] = layer(ins if len(ins) > 1 else ins[0])
    ins = [tensors[tuple(r[:3])] for r in cfg["input_layers"]]
    outs = [tensors[tuple(r[:3])] for r in cfg["output_layers"]]
    return keras.Model(ins if len(ins) > 1 else ins[0], outs if len(outs) > 1 else outs[0], name=cfg.get("name"))


def load(d):
    """A beat-ssl model directory → (keras.Model, model.json dict)."""
    mj, weights = read_model_dir(d)
    model = build_model(mj["modelTopology"])
    used = set()
    for layer in model.layers:
        for v in layer.weights:
            key = f"{layer.name}/{v.name}"
            if key not in weights:
                raise ValueError(f"keras_interop: no weight {key} in {d}/model.json")
            if tuple(weights[key].shape) != tuple(v.shape):
                raise ValueError(f"keras_interop: {key} has shape {weights[key].shape}, Keras expects {tuple(v.shape)}")
            v.assign(weights[key])
            used.add(key)
    unused = set(weights) - used
    if unused:
        raise ValueError(f"keras_interop: weights not used by the Keras model: {sorted(unused)[:5]}")
    return model, mj


def save(model, mj, src_dir, out_dir):
    """Writes the Keras model's weights in beat-ssl's format (same topology and manifest order)."""
    os.makedirs(out_dir, exist_ok=True)
    for f in os.listdir(src_dir):  # metadata (classifier.json, segmenter.json, ...) travels along
        if f not in ("model.json",) and not f.endswith(".bin") and os.path.isfile(os.path.join(src_dir, f)):
            shutil.copy(os.path.join(src_dir, f), os.path.join(out_dir, f))
    values = {f"{layer.name}/{v.name}": np.asarray(v.numpy()) for layer in model.layers for v in layer.weights}
    specs, parts = [], []
    for g in mj["weightsManifest"]:
        for w in g["weights"]:
            a = values[w["name"]].astype(DTYPES[w.get("dtype", "float32")])
            if list(a.shape) != list(w["shape"]):
                raise ValueError(f"keras_interop: {w['name']} shape {a.shape} != {w['shape']}")
            specs.append(w)
            parts.append(a.tobytes())
    out = dict(mj)
    out["weightsManifest"] = [{"paths": ["weights.bin"], "weights": specs}]
    out["convertedBy"] = f"scripts/keras_interop.py (keras {keras.__version__})"
    tmp = os.path.join(out_dir, "weights.bin.tmp")
    with open(tmp, "wb") as f:
        f.write(b"".join(parts))
    os.replace(tmp, os.path.join(out_dir, "weights.bin"))
    with open(os.path.join(out_dir, "model.json.tmp"), "w") as f:
        json.dump(out, f)
    os.replace(os.path.join(out_dir, "model.json.tmp"), os.path.join(out_dir, "model.json"))


def outputs_of(model, x):
    y = model(x, training=False)
    ys = y if isinstance(y, (list, tuple)) else [y]
    return [np.asarray(t, dtype=np.float32) for t in ys]


def read_input(path, shape):
    shape = [int(s) for s in shape.split(",")]
    return np.fromfile(path, dtype=np.float32).reshape(shape)


def main(argv):
    if len(argv) < 2 or argv[1] not in ("check", "train"):
        print(__doc__)
        return 2
    x = read_input(argv[2], argv[3])
    if argv[1] == "check":
        pairs = argv[4:]
        for d, expected in zip(pairs[0::2], pairs[1::2]):
            model, _ = load(d)
            ys = outputs_of(model, x)
            flat = np.concatenate([y.ravel() for y in ys])
            ref = np.fromfile(expected, dtype=np.float32)
            if ref.size != flat.size:
                print(json.dumps({"dir": d, "ok": False, "error": f"expected {ref.size} values, Keras gave {flat.size}",
                                  "outputs": [list(y.shape) for y in ys]}), flush=True)
                continue
            diff = float(np.max(np.abs(flat - ref)))
            rel = diff / max(1.0, float(np.max(np.abs(ref))))
            print(json.dumps({"dir": d, "ok": rel <= 1e-4, "maxAbsDiff": diff, "maxRelDiff": rel, "outputs": [list(y.shape) for y in ys],
                              "keras": keras.__version__, "tensorflow": tf.__version__}), flush=True)
        return 0
    steps = int(argv[4])
    pairs = argv[5:]
    for d, out_dir in zip(pairs[0::2], pairs[1::2]):
        model, mj = load(d)
        before = outputs_of(model, x)
        rng = np.random.default_rng(0)
        targets = [rng.normal(size=y.shape).astype(np.float32) for y in before]
        # Eager steps: two steps do not repay tracing a tf.function (tens of seconds on 2 cores).
        model.compile(optimizer=keras.optimizers.Adam(1e-2), loss="mse", run_eagerly=True, jit_compile=False)
        model.fit(x, targets if len(targets) > 1 else targets[0], batch_size=x.shape[0], epochs=steps, verbose=0, shuffle=False)
        after = outputs_of(model, x)
        save(model, mj, d, out_dir)
        np.concatenate([y.ravel() for y in after]).astype(np.float32).tofile(os.path.join(out_dir, "keras-outputs.bin"))
        change = float(max(np.max(np.abs(a - b)) for a, b in zip(after, before)))
        print(json.dumps({"dir": d, "ok": True, "steps": steps, "maxOutputChange": change, "keras": keras.__version__,
                          "tensorflow": tf.__version__}), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
