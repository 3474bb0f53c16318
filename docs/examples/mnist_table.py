#!/usr/bin/env python3
"""The README's MNIST table from Python: paper-mnist and improved-mnist with K = 32 trained on the
built-in digits 0-1799 for 10,000 presentations and evaluated under protocol A on digits
1800-1999, beside k-means and sparse coding with the same K.

    PYTHONPATH=build/app/python /usr/bin/python3 docs/examples/mnist_table.py
"""
import time

import stdp_studio as s

TRAIN, PRESENTATIONS, EVAL_FIRST, EVAL = 1800, 10_000, 1800, 200

print(f"{'method':<34} {'RMSE':>6} {'NMSE':>6} {'active/patch':>12} {'dead':>5}")


def row(name, m):
    print(f"{name:<34} {m['rmse']:6.3f} {m['nmse']:6.3f} {m['active_per_patch']:12.2f} "
          f"{m['dead_fraction']:5.0%}")


for preset in ["paper-mnist", "improved-mnist"]:
    settings = s.Settings(preset)
    settings["units"] = 32
    settings["epochs"] = -(-PRESENTATIONS // TRAIN)  # enough passes for 10,000 presentations
    train = s.load_data("builtin:mnist", settings, offset=0, images=TRAIN)
    held_out = s.load_data("builtin:mnist", settings, offset=EVAL_FIRST, images=EVAL)
    session = s.TrainingSession(settings, train)
    start = time.perf_counter()
    session.train(PRESENTATIONS)
    seconds = time.perf_counter() - start
    row(f"{preset} ({seconds:.0f} s)", session.evaluate(held_out))

settings = s.Settings("paper-mnist")
train = s.load_data("builtin:mnist", settings, offset=0, images=TRAIN)
held_out = s.load_data("builtin:mnist", settings, offset=EVAL_FIRST, images=EVAL)
row("k-means", s.baseline("kmeans", settings, train, held_out, units=32))
row("sparse coding, OMP, 2 active", s.baseline("sparse-coding", settings, train, held_out,
                                                units=32, active=2))
