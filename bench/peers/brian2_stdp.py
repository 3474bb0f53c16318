#!/usr/bin/python3
"""The paper-mnist training rule in Brian2, compiled to C++ by its cpp_standalone device: a peer of
STDP Studio for bench/compare_peers.sh.

The rule (docs/model.md section 1; core/model/ModelSpecification.cpp) written as a Brian2 user
would, one network time step (dt = 1 ms) per model step, float32 throughout:
  * inputs: a NeuronGroup of D neurons that spike when the run file says so (a 2-D TimedArray
    of the spikes STDP Studio drew: the same input for both);
  * integrate: Synapses inputs -> neurons, on_pre `U_post += w`, with U set to 0 at the start of
    every step (memoryless membrane, tau_m = 0, reset; raw spikes, no trace);
  * inhibit: the softmax needs the sum over all neurons, which a neuron cannot see in Brian2's
    per-neuron code. A summed variable does it: Synapses neurons -> `pool` (one neuron) with
    `S_post = exp(U_pre) : 1 (summed)`, scheduled after the synaptic input; every neuron reads
    S through a linked variable, so P_j = exp(U_j) / S;
  * fire: threshold `exp(U) / S >= theta`, evaluated after S (the thresholder is moved to
    `after_synapses`); theta is the pool's, linked into every neuron (one global threshold);
  * learn: on_post of the same Synapses, scheduled after the threshold:
    w = clip(x_pre (w (1 - mu) + mu) + (1 - x_pre) w (1 - mu_d), 0, 1), x_pre = spiked at t
    (epsilon = 0, lambda = 0);
  * adapt threshold: the winners are counted by a second summed variable into the pool, and the
    pool runs `theta = clip(theta + rho (n - 1), 0, 1)` at the end of the step.

Modes:
  brian2_stdp.py RUN.npz --build-dir DIR           generates and compiles the C++ project in DIR
      (once; the binary DIR/main is then run again and again by compare_peers.sh, which reads
      Brian2's own clock of the network run, std::clock: CPU time, from
      DIR/results/last_run_info.txt), runs it once and prints one JSON line;
  brian2_stdp.py RUN.npz --build-dir DIR --check OUT
      builds a variant whose spikes are the core's winners (teacher forcing, so that one
      decision taken differently at a near tie does not send the runs apart) while the peer's own
      decision `exp(U) / S >= theta` is recorded as a custom event, with the softmax values near
      the threshold, and writes them and the final W and theta to OUT (.npz);
  brian2_stdp.py --results DIR                      the spikes and theta of DIR's last run.
"""

import argparse
import json
import os
import sys
import time

import numpy as np

# The authors' constants (paper-mnist; docs/model.md section 2).
MU = 5e-4  # LTP rate
MU_D = 0.75 * MU  # LTD rate, mu_d_ratio = 0.75
RHO = 5e-5  # threshold adaptation
THETA0 = 0.15  # initial threshold
NEAR = 1e-3  # --check: softmax values within NEAR * theta of theta are reported


def build(run, directory, check):
    import brian2 as b

    b.prefs.core.default_float_dtype = b.float32
    b.prefs.logging.std_redirection = False
    b.set_device("cpp_standalone", directory=directory, build_on_run=False)
    b.prefs.devices.cpp_standalone.openmp_threads = 0  # one thread
    b.defaultclock.dt = 1 * b.ms

    x = run["inputs"].astype(np.float32)
    w0 = run["w0"].astype(np.float32)  # D x K
    steps, inputs_n = x.shape
    units = w0.shape[1]
    constants = {"ltp_gain": np.float32(1.0 - MU), "ltp_bias": np.float32(MU),
                 "ltd_gain": np.float32(1.0 - MU_D), "rho": np.float32(RHO),
                 "near": np.float32(NEAR)}

    X = b.TimedArray(x, dt=b.defaultclock.dt)  # X(t, i): input i spiked at step t
    inputs = b.NeuronGroup(inputs_n, "x = X(t, i) : 1", threshold="x > 0.5", reset="",
                           name="inputs")

    pool = b.NeuronGroup(1, """S : 1
                               n : 1
                               theta : 1""", namespace=constants, name="pool")
    pool.theta = THETA0
    equations = """U : 1
                   S : 1 (linked)
                   theta : 1 (linked)
                   P = exp(U) / S : 1
                   fired : 1"""
    events = None
    if check:
        F = b.TimedArray(run["fired"].astype(np.float32), dt=b.defaultclock.dt, name="F")
        constants["F"] = F
        events = {"decide": "P >= theta", "near": "abs(P - theta) <= near * theta"}
        threshold = "F(t, i) > 0.5"  # the core's winners
    else:
        threshold = "P >= theta"
    neurons = b.NeuronGroup(units, equations, threshold=threshold, reset="fired = 1",
                            events=events, namespace=constants, name="neurons")
    neurons.S = b.linked_var(pool, "S", index=np.zeros(units, dtype=int))
    neurons.theta = b.linked_var(pool, "theta", index=np.zeros(units, dtype=int))
    neurons.run_regularly("U = 0\nfired = 0", when="start")  # memoryless membrane

    synapses = b.Synapses(
        inputs, neurons, "w : 1", on_pre="U_post += w",
        on_post="w = clip(x_pre * (w * ltp_gain + ltp_bias) + (1 - x_pre) * (w * ltd_gain), 0, 1)",
        namespace=constants, name="synapses")
    pre_i, post_j = np.divmod(np.arange(inputs_n * units), units)  # row-major, as W is stored
    synapses.connect(i=pre_i, j=post_j)
    synapses.w = w0.ravel()

    softmax_sum = b.Synapses(neurons, pool, "S_post = exp(U_pre) : 1 (summed)", name="softmax")
    softmax_sum.connect()
    winners = b.Synapses(neurons, pool, "n_post = fired_pre : 1 (summed)", name="count")
    winners.connect()
    pool.run_regularly("theta = clip(theta + rho * (n - 1), 0, 1)", when="end", order=1)

    # One step: inputs spike (thresholds), U += w (synapses), S = sum exp(U) (after_synapses, 0),
    # neurons fire (after_synapses, 1), STDP of the winners (after_synapses, 2), fired = 1
    # (resets), n = sum fired (end, 0), theta adapts (end, 1).
    softmax_sum.summed_updaters["S_post"].when = "after_synapses"
    softmax_sum.summed_updaters["S_post"].order = 0
    for name in neurons.thresholder:
        neurons.thresholder[name].when = "after_synapses"
        neurons.thresholder[name].order = 1
    synapses.post.when = "after_synapses"
    synapses.post.order = 2
    winners.summed_updaters["n_post"].when = "end"
    winners.summed_updaters["n_post"].order = 0

    spikes = b.SpikeMonitor(neurons, record=False, name="spikes")
    objects = [inputs, pool, neurons, synapses, softmax_sum, winners, spikes]
    if check:
        decide = b.EventMonitor(neurons, "decide", name="decide")
        near = b.EventMonitor(neurons, "near", variables=["P", "theta"], name="near")
        objects += [decide, near]
    net = b.Network(*objects)
    net.run(steps * b.defaultclock.dt)
    start = time.perf_counter()
    b.device.build(directory=directory, compile=True, run=True, debug=False, with_output=False)
    build_s = time.perf_counter() - start
    result = {"spikes": int(spikes.num_spikes), "theta": float(pool.theta[0]),
              "seconds": float(b.device._last_run_time), "build_seconds": build_s,
              "version": b.__version__}
    # Where the binary leaves its results, for --results after later runs of DIR/main.
    layout = {"spikes": b.device.get_array_filename(spikes.variables["N"]),
              "theta": b.device.get_array_filename(pool.variables["theta"]),
              "images": int(run["images"]), "steps": steps}
    with open(os.path.join(directory, "peer_layout.json"), "w") as f:
        json.dump(layout, f)
    if check:
        w = np.zeros((inputs_n, units), dtype=np.float32)
        w[synapses.i[:], synapses.j[:]] = synapses.w[:]
        own = np.zeros((steps, units), dtype=np.uint8)
        own[np.rint(decide.t[:] / b.ms).astype(int), decide.i[:]] = 1
        np.savez(check, own=own, w=w, theta=np.float32(pool.theta[0]),
                 near_step=np.rint(near.t[:] / b.ms).astype(int), near_unit=near.i[:],
                 near_p=near.P[:])
    return result, layout


def results(directory):
    """Spikes and theta of the last run of DIR/main (Brian2's own result files)."""
    with open(os.path.join(directory, "peer_layout.json")) as f:
        layout = json.load(f)
    spikes = int(np.fromfile(os.path.join(directory, layout["spikes"]), dtype=np.int32)[0])
    theta = float(np.fromfile(os.path.join(directory, layout["theta"]), dtype=np.float32)[0])
    with open(os.path.join(directory, "results", "last_run_info.txt")) as f:
        seconds = float(f.read().split()[0])
    return {"spikes": spikes, "theta": theta, "seconds": seconds,
            "images": layout["images"], "steps": layout["steps"]}


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("run", nargs="?", help="run file (.npz) from core_run.py export")
    ap.add_argument("--build-dir", help="where to generate and compile the C++ project")
    ap.add_argument("--check", metavar="OUT", help="follow the core's winners, write OUT.npz")
    ap.add_argument("--results", metavar="DIR", help="print DIR's last run and exit")
    a = ap.parse_args()
    if a.results:
        r = results(a.results)
    else:
        if not a.run or not a.build_dir:
            sys.exit("brian2_stdp.py RUN.npz --build-dir DIR [--check OUT]")
        r, _ = build(np.load(a.run), a.build_dir, a.check)
    images = int(np.load(a.run)["images"]) if a.run else r["images"]
    r.update({"peer": "brian2-cpp_standalone", "images": images,
              "images_per_s": images / r["seconds"]})
    print(json.dumps(r))


if __name__ == "__main__":
    main()
