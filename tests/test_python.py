#!/usr/bin/env python3
"""The Python module against the CLI: the same settings, data and seed give the same bits (a
training run, an evaluation, a baseline), the API steps and reports progress, bundles round-trip,
and every refusal raises stdp_studio.Error with the CLI's one-line message.

    test_python.py MODULE_DIR STDP_CLI
"""
import json
import os
import subprocess
import sys
import tempfile

sys.path.insert(0, sys.argv[1])
cli = sys.argv[2]

import numpy as np  # noqa: E402
import stdp_studio as s  # noqa: E402

failures = []


def check(condition, what):
    if not condition:
        failures.append(what)
        print("FAIL:", what, file=sys.stderr)


def raises(call, *fragments):
    try:
        call()
    except s.Error as e:
        return all(f in str(e) for f in fragments)
    return False


def cli_json(*args):
    out = subprocess.run([cli, *args], check=True, capture_output=True, text=True).stdout
    return json.loads(out.strip().splitlines()[-1])


check(s.__version__.count(".") == 2, "a version")
check("paper-mnist" in s.presets() and "improved-natural" in s.presets(), "the presets")
described = s.describe_preset("paper-mnist")
check(any(v["setting"] == "mu" and v["provenance"] for v in described["settings"]),
      "a preset's settings carry their provenance")
check(raises(lambda: s.describe_preset("nope"), "nope"), "an unknown preset is named")

settings = s.Settings("paper-mnist")
check(settings["units"] == 32 and isinstance(settings["learn"], bool), "typed settings")
check(raises(lambda: settings.__setitem__("mu", -1.0), "mu"), "a value out of range is refused")
check(settings["mu"] > 0, "a refused value changes nothing")
check(raises(lambda: settings["nope"], "nope"), "an unknown setting is refused")
check(issubclass(s.Error, ValueError), "errors are ValueErrors")

data = s.load_data("builtin:mnist", settings, images=20)
check(len(data) == 20 and data.images.shape == (20, 28, 28), "data as a NumPy array")
check(data.images.dtype == np.float32 and 0 <= data.images.min() <= data.images.max() <= 1,
      "pixels in [0, 1]")
check(raises(lambda: s.load_data("nope:x", settings), "nope"), "a bad SPEC is refused")

with tempfile.TemporaryDirectory() as tmp:
    # The same bits as stdp-cli train.
    settings["seed"] = 11
    session = s.TrainingSession(settings, data)
    seen = []
    done = session.train(progress=lambda n: seen.append(n))
    check(done == 20 and seen == list(range(1, 21)), "progress after every image")
    subprocess.run([cli, "train", "--preset", "paper-mnist", "--data", "builtin:mnist",
                    "--images", "20", "--seed", "11", "--out", os.path.join(tmp, "cli")],
                   check=True, capture_output=True)
    cli_weights = np.load(os.path.join(tmp, "cli", "weights.npy"))
    check(np.array_equal(session.weights, cli_weights), "Python training = stdp-cli train, bit for bit")
    check(np.array_equal(session.thresholds,
                         np.load(os.path.join(tmp, "cli", "thresholds.npy"))), "same thresholds")

    # Protocol A as stdp-cli eval.
    held_out = s.load_data("builtin:mnist", settings, offset=1900, images=5)
    mine = session.evaluate(held_out)
    theirs = cli_json("eval", "--model", os.path.join(tmp, "cli"), "--data", "builtin:mnist",
                      "--offset", "1900", "--images", "5", "--json")
    check(mine["rmse"] == theirs["rmse"] and mine["patches"] == theirs["patches"],
          "Python evaluation = stdp-cli eval")

    # Baselines as stdp-cli baseline.
    base = s.baseline("kmeans", settings, data, held_out, units=8)
    theirs = cli_json("baseline", "--method", "kmeans", "--units", "8", "--preset", "paper-mnist",
                      "--seed", "11", "--data", "builtin:mnist", "--offset", "1900", "--images",
                      "5", "--train-data", "builtin:mnist", "--train-images", "20", "--json")
    check(abs(base["rmse"] - theirs["rmse"]) < 1e-12, "Python baseline = stdp-cli baseline")

    # Stepping, live changes, stopping early.
    fresh = s.TrainingSession(settings, data)
    fresh.step("step", 5)
    check(fresh.counters["steps"] == 5, "five time steps")
    fresh.step("patch")
    check(fresh.counters["patches"] == 1, "to the end of the patch")
    fresh.set("mu=0.001")
    check(fresh.settings["mu"] == 0.001, "a live change")
    check(raises(lambda: fresh.set("units=8"), "units"), "a structure change is refused")
    check(raises(lambda: fresh.step("nope"), "nope"), "a bad unit is refused")
    stopped = s.TrainingSession(settings, data).train(progress=lambda n: n < 3)
    check(stopped == 3, "progress returning False stops")

    # record(): step() that also says what each step saw and did, with the same bits.
    recorded = s.TrainingSession(settings, data)
    rec = recorded.record("image", 2)
    plain = s.TrainingSession(settings, data)
    plain.step("image", 2)
    steps = recorded.counters["steps"]
    check(rec["inputs"].shape == (steps, 25) and rec["fired"].shape == (steps, 32)
          and rec["theta"].shape == (steps,), "one row per step: D inputs, K units, theta")
    check(np.array_equal(recorded.weights, plain.weights)
          and rec["theta"][-1] == plain.thresholds[0], "recording changes nothing")
    check(int(rec["fired"].sum()) == recorded.counters["spikes"], "every output spike recorded")
    check(rec["inputs"].any(axis=1).mean() > 0.5, "input spikes recorded")

    # Bundles round-trip.
    session.save(os.path.join(tmp, "py"), "paper-mnist")
    bundle = s.load_bundle(os.path.join(tmp, "py"))
    check(np.array_equal(bundle.weights, session.weights) and bundle.images_seen == 20,
          "a saved bundle reads back")
    check(bundle.evaluate(held_out)["rmse"] == mine["rmse"], "a bundle evaluates the same")
    check(raises(lambda: s.load_bundle(os.path.join(tmp, "nowhere")), "nowhere"),
          "a missing bundle is refused")

    # Weights in and out.
    w = session.weights
    w[:, 0] = 0.5
    session.weights = w
    check(np.allclose(session.weights[:, 0], 0.5), "weights can be set")
    check(raises(lambda: setattr(session, "weights", np.zeros((3, 3), np.float32))),
          "a wrong shape is refused")

if failures:
    sys.exit(1)
print("Python module: ok")
