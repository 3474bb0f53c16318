#!/usr/bin/env python3
"""stdp-cli export --nir: the file follows NIR's HDF5 layout (nir.serialization.write of the NIR
reference implementation) and holds the trained network: every node, edge, shape and value is
read back with h5py and checked against the bundle the CLI trained.

    test_nir.py STDP_CLI
"""
import json
import os
import subprocess
import sys
import tempfile

import h5py
import numpy as np

cli = sys.argv[1]
failures = []


def check(condition, what):
    if not condition:
        failures.append(what)
        print("FAIL:", what, file=sys.stderr)


def text(dataset):
    value = dataset[()]
    return value.decode("utf8") if isinstance(value, bytes) else value


def run(*args):
    return subprocess.run([cli, *args], check=True, capture_output=True, text=True).stdout


def exported(tmp, preset):
    model = os.path.join(tmp, preset)
    nir = os.path.join(tmp, preset + ".nir")
    run("train", "--preset", preset, "--data", "builtin:mnist", "--images", "20", "--out", model)
    out = run("export", "--model", model, "--nir", nir, "--eval-images", "3")
    with open(os.path.join(model, "model.json")) as f:
        settings = json.load(f)["settings"]
    weights = np.load(os.path.join(model, "weights.npy"))  # D x K
    return nir, out, settings, weights


def check_graph(preset, nir, out, settings, weights):
    D, K = weights.shape
    dyn = settings["dynamics"] if "dynamics" in settings else settings
    with h5py.File(nir, "r") as f:
        check(text(f["version"]).count(".") == 2, f"{preset}: a NIR version string")
        g = f["node"]
        check(text(g["type"]) == "NIRGraph", f"{preset}: the root node is a NIRGraph")
        nodes = g["nodes"]
        reset = dyn["reset"]
        names = ["input", "affine", "lif", "output"] if reset else \
            ["input", "affine", "li", "threshold", "output"]
        check(sorted(nodes.keys()) == sorted(names), f"{preset}: nodes {list(nodes.keys())}")
        edges = [(text_a.decode(), text_b.decode()) for text_a, text_b in g["edges"][()]]
        check(edges == list(zip(names, names[1:])), f"{preset}: edges {edges}")
        types = {"input": "Input", "affine": "Affine", "lif": "LIF", "li": "LI",
                 "threshold": "Threshold", "output": "Output"}
        for name in names:
            check(text(nodes[name]["type"]) == types[name], f"{preset}: {name}'s type")
        check(list(nodes["input"]["shape"][()]) == [D], f"{preset}: input shape")
        check(list(nodes["output"]["shape"][()]) == [K], f"{preset}: output shape")
        w = nodes["affine"]["weight"][()]
        check(w.shape == (K, D) and w.dtype == np.float32, f"{preset}: weight is [out, in]")
        check(np.array_equal(w, weights.T.astype(np.float32)), f"{preset}: weight = W^T")
        beta = dyn.get("distance_bias", 0.0)
        bias = nodes["affine"]["bias"][()]
        want = -0.5 * beta * np.sum(weights.astype(np.float64) ** 2, axis=0)
        check(bias.shape == (K,) and np.allclose(bias, want, rtol=1e-5, atol=1e-6),
              f"{preset}: bias = -beta/2 |w_j|^2")
        neuron = nodes["lif" if reset else "li"]
        tau, r = neuron["tau"][()], neuron["r"][()]
        check(tau.shape == (K,) and r.shape == (K,), f"{preset}: tau, r per neuron")
        check(np.all(neuron["v_leak"][()] == 0), f"{preset}: v_leak = 0")
        # Euler with dt = one model step reproduces U <- d U + I, d = exp(-1/tau_m) (0 without).
        dt = float(text(g["metadata"]["time_step_seconds"]))
        d = np.exp(-1.0 / dyn["tau_m"]) if dyn["tau_m"] > 0 else 0.0
        check(np.allclose(1 - dt / tau, d, atol=1e-6), f"{preset}: decay from tau")
        check(np.allclose(dt * r / tau, 1.0, rtol=1e-5), f"{preset}: unit gain from r")
        if reset:
            check(np.all(neuron["v_reset"][()] == 0), f"{preset}: v_reset = 0")
            threshold = neuron["v_threshold"][()]
        else:
            threshold = nodes["threshold"]["threshold"][()]
        check(threshold.shape == (K,) and np.all(threshold == threshold[0]),
              f"{preset}: one threshold for all")
        printed = float(out.split("v_threshold")[1].split()[0])
        check(abs(threshold[0] - printed) <= 1e-5 * max(1.0, abs(printed)),
              f"{preset}: the file's threshold is the one printed")
        meta = g["metadata"]
        check(text(meta["preset"]) == preset, f"{preset}: metadata names the preset")
        check("not exported" in text(meta["inhibition"]), f"{preset}: says inhibition is not")
    check("exported graph" in out and "softmax layer" in out,
          f"{preset}: the export prints what it changes")


with tempfile.TemporaryDirectory() as tmp:
    for preset in ["paper-mnist", "improved-mnist"]:
        check_graph(preset, *exported(tmp, preset))
    # A folder that is not there: a clear error, no file.
    bad = subprocess.run([cli, "export", "--model", os.path.join(tmp, "paper-mnist"),
                          "--nir", os.path.join(tmp, "nowhere", "x.nir")],
                         capture_output=True, text=True)
    check(bad.returncode == 1 and "does not exist" in bad.stderr, "a missing folder is refused")
    neither = subprocess.run([cli, "export", "--model", os.path.join(tmp, "paper-mnist")],
                             capture_output=True, text=True)
    check(neither.returncode == 1 and "--nir" in neither.stderr, "export says what to write")

if failures:
    sys.exit(1)
print("NIR export: ok")
