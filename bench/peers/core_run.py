#!/usr/bin/python3
"""STDP Studio's side of bench/compare_peers.sh: records a paper-mnist training run of the core
step by step (the module stdp_studio, PYTHONPATH=BUILD/app/python) and judges a peer's run of the
same steps against it.

  core_run.py export IDX IMAGES RUN.npz [--bundle DIR]
      trains on the first IMAGES images of IDX as `stdp-cli train --preset paper-mnist` does and
      writes what every step saw and did: inputs (steps x D, 1 = spiked), fired (steps x K),
      theta after each step, W0 and the final W. With --bundle, first checks that the final W and
      theta are, bit for bit, those that `stdp-cli train` saved in DIR.
  core_run.py time IDX IMAGES EPOCHS
      trains on them for EPOCHS passes and prints images/s by the process's CPU clock around
      the training alone (the module's TrainingSession.train: the CLI's code, the same bits).
  core_run.py check RUN.npz PEER.npz NAME
      compares a peer's --check output with the core's run and exits 1 if they do not agree.

What "agree" means (the peer follows the core's winners, recording its own decisions):
  * spikes per step: on every step the peer's own set of winners is the core's, except where a
    neuron's softmax value lies within TIE_BAND (relative) of theta: there float rounding (the
    core's polynomial exp and per-neuron LTD scale against the peer's libm exp and W itself) may
    decide either way, as tests/test_specification.cpp accepts between the core's fast step and
    its specification. At most MAX_TIE_FRACTION of the steps may be such ties.
  * final theta within THETA_REL relative; final W within W_ABS absolute (max over D x K).
"""

import argparse
import sys

import numpy as np

TIE_BAND = 1e-4  # |P_j - theta| / theta at which either decision is right (test_specification)
MAX_TIE_FRACTION = 1e-3  # ties are rare: more would mean a different rule, not rounding
THETA_REL = 1e-6  # theta: the same sequence of +-rho updates in float32, rounding apart
# W: thousands of affine updates of each weight, each rounded differently: plain float32
# w * gain + bias (PyTorch, like NumPy) against a fused multiply-add (Brian2 compiles with
# -ffast-math) or the core's per-neuron LTD scale. Measured on 2 digits: 4.2e-5 (PyTorch against
# the core and against Brian2), 4e-6 (Brian2 against the core).
W_ABS = 1e-4


def export(a):
    import stdp_studio as s

    settings = s.Settings("paper-mnist")
    data = s.load_data("idx:" + a.idx, settings, images=a.images)
    session = s.TrainingSession(settings, data)
    w0 = session.weights
    rec = session.record("image", a.images)
    w = session.weights
    theta = session.thresholds
    if a.bundle:
        cli_w = np.load(f"{a.bundle}/weights.npy")
        cli_theta = np.load(f"{a.bundle}/thresholds.npy")
        if not (np.array_equal(cli_w, w) and np.array_equal(cli_theta.ravel(), theta.ravel())):
            sys.exit(f"the recorded run is not stdp-cli train's ({a.bundle}): "
                     f"max |dW| {np.abs(cli_w - w).max():.3g}")
    np.savez(a.run, inputs=rec["inputs"], fired=rec["fired"], theta=rec["theta"], w0=w0, w=w,
             theta0=np.float32(settings["theta0"]), images=a.images)
    c = session.counters
    print(f"core: {a.images} images, {c['patches']} patches, {c['steps']} steps, "
          f"{c['spikes']} output spikes, theta {theta[0]:.6f}")


def time_training(a):
    import json
    import time

    import stdp_studio as s

    settings = s.Settings("paper-mnist")
    settings["epochs"] = a.epochs
    data = s.load_data("idx:" + a.idx, settings, images=a.images)
    session = s.TrainingSession(settings, data)
    start, cpu_start = time.perf_counter(), time.process_time()
    session.train()
    seconds = time.process_time() - cpu_start
    wall = time.perf_counter() - start
    presented = a.images * a.epochs
    print(json.dumps({"images": presented, "seconds": seconds, "images_per_s": presented / seconds,
                      "wall_seconds": wall, "spikes": session.counters["spikes"],
                      "theta": float(session.thresholds[0])}))


def check(a):
    run = np.load(a.run)
    peer = np.load(a.peer)
    core_z = run["fired"].astype(bool)
    own = peer["own"].astype(bool)
    steps = core_z.shape[0]
    problems = []
    if own.shape != core_z.shape:
        sys.exit(f"{a.name}: {own.shape} decisions for the core's {core_z.shape}")

    # Decisions: every differing (step, neuron) must be a tie the peer reported.
    diff = np.argwhere(own != core_z)
    near = {(int(t), int(j)): float(p)
            for t, j, p in zip(peer["near_step"], peer["near_unit"], peer["near_p"])}
    theta_before = np.concatenate([[run["theta0"]], run["theta"][:-1]])
    untied = []
    for t, j in diff:
        p = near.get((int(t), int(j)))
        th = float(theta_before[t])
        if p is None or abs(p - th) > TIE_BAND * th:
            untied.append((int(t), int(j), p, th))
    differing_steps = len({int(t) for t, _ in diff})
    tie_steps = differing_steps - len({t for t, _, _, _ in untied})
    if untied:
        t, j, p, th = untied[0]
        problems.append(f"{len(untied)} decisions differ away from a tie; first: step {t}, "
                        f"neuron {j}, core fired {bool(core_z[t, j])}, peer P = {p}, theta {th:.7g}")
    if differing_steps > MAX_TIE_FRACTION * steps:
        problems.append(f"{differing_steps} steps decided differently, more than "
                        f"{MAX_TIE_FRACTION:g} of {steps}")
    per_step_equal = int(np.sum(own.sum(1) == core_z.sum(1)))

    theta_core = float(run["theta"][-1])
    theta_peer = float(peer["theta"])
    theta_rel = abs(theta_peer - theta_core) / theta_core
    if theta_rel > THETA_REL:
        problems.append(f"theta {theta_peer:.9g} vs the core's {theta_core:.9g} "
                        f"({theta_rel:.2g} relative > {THETA_REL:g})")
    w_abs = float(np.abs(peer["w"] - run["w"]).max())
    if w_abs > W_ABS:
        problems.append(f"W differs by up to {w_abs:.3g} > {W_ABS:g}")

    print(f"{a.name}: spikes per step equal on {per_step_equal} of {steps} steps; winners "
          f"differ on {differing_steps} steps ({tie_steps} at a tie, |P - theta| <= "
          f"{TIE_BAND:g} theta); "
          f"theta {theta_peer:.7f} vs {theta_core:.7f} ({theta_rel:.1e} relative); "
          f"max |dW| {w_abs:.1e}: " + ("AGREE" if not problems else "DISAGREE"))
    for p in problems:
        print(f"  {a.name}: {p}")
    sys.exit(1 if problems else 0)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    sub = ap.add_subparsers(dest="command", required=True)
    e = sub.add_parser("export")
    e.add_argument("idx")
    e.add_argument("images", type=int)
    e.add_argument("run")
    e.add_argument("--bundle")
    t = sub.add_parser("time")
    t.add_argument("idx")
    t.add_argument("images", type=int)
    t.add_argument("epochs", type=int)
    c = sub.add_parser("check")
    c.add_argument("run")
    c.add_argument("peer")
    c.add_argument("name")
    a = ap.parse_args()
    {"export": export, "time": time_training, "check": check}[a.command](a)


if __name__ == "__main__":
    main()
