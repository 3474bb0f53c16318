#!/usr/bin/python3
"""The paper-mnist training rule in PyTorch (tensors on one CPU thread), eager or TorchScript: a
peer of STDP Studio for bench/compare_peers.sh.

The rule (docs/model.md section 1; core/model/ModelSpecification.cpp), per time step t:
  U = W^T x(t)                      memoryless membrane (tau_m = 0, reset), raw spikes (trace 0)
  P = softmax(U)                    lateral inhibition, temperature 1
  z_j = [P_j >= theta]              winners (one global threshold)
  for each winner j:                event-based STDP, epsilon = 0 (causal = spiked at t)
    W_ij <- W_ij (1 - mu) + mu      if x_i(t) = 1 (LTP, lambda = 0)
    W_ij <- W_ij (1 - mu_d)         otherwise     (LTD), then clipped to [0, 1]
  theta <- clip(theta + rho (n - 1), 0, 1),  n = number of winners
with the authors' constants below. All arithmetic in float32, as in the core.

The input is a run file written by compare_peers.py (the spikes STDP Studio drew, step by step,
and its initial weights), so that both see the same spikes. The script prints one JSON line:
its own clock around the training loop (process CPU time, and wall time; loading and, for
TorchScript, compiling excluded); compare_peers.sh also times the whole process.

With --check OUT the peer follows the core's winners (teacher forcing, so that one decision taken
differently at a near tie does not send the two runs apart) while recording its own decisions,
and writes them, its softmax values near the threshold and its final W and theta to OUT (.npz)
for compare_peers.py to judge.
"""

import argparse
import json
import time
from typing import List

import numpy as np
import torch

# The authors' constants (paper-mnist; docs/model.md section 2).
MU = 5e-4  # LTP rate
MU_D = 0.75 * MU  # LTD rate, mu_d_ratio = 0.75
RHO = 5e-5  # threshold adaptation
THETA0 = 0.15  # initial threshold
NEAR = 1e-3  # --check: softmax values within NEAR * theta of theta are reported


def train_steps(x: torch.Tensor, w: torch.Tensor, theta: torch.Tensor, forced: torch.Tensor,
                record: bool, mu: float, mu_d: float, rho_: float):
    """Steps over x (steps x D, float32 0/1), learning in w (K x D: a winner's field is one
    contiguous row) and theta (0-d) in place. forced (steps x K, bool) replaces the own decision
    when record is true. Returns the number of output spikes, the own decisions, the softmax
    values (steps x K) and theta before each step (empty unless record).
    (The constants are arguments because TorchScript reads no Python globals.)"""
    rho = torch.tensor(rho_, dtype=torch.float32)
    # STDP as an affine map per input, w <- w gain + bias, for all steps at once:
    # LTP (gain 1 - mu, bias mu) where x_i(t) = 1, LTD (gain 1 - mu_d, bias 0) elsewhere.
    spiked = x > 0.5
    gain = torch.where(spiked, torch.tensor(1.0 - mu), torch.tensor(1.0 - mu_d)).float()
    bias = torch.where(spiked, torch.tensor(mu), torch.tensor(0.0)).float()
    active: List[bool] = spiked.any(1).tolist()  # steps with an input spike
    steps = x.shape[0]
    units = w.shape[0]
    uniform = torch.full([units], 1.0 / units)  # softmax of U = 0: a step without input
    own = torch.zeros(0, units, dtype=torch.bool)
    soft = torch.zeros(0, units, dtype=torch.float32)
    before = torch.zeros(0, dtype=torch.float32)
    if record:
        own = torch.zeros(steps, units, dtype=torch.bool)
        soft = torch.zeros(steps, units, dtype=torch.float32)
        before = torch.zeros(steps, dtype=torch.float32)
    spikes = 0
    for t in range(steps):
        if active[t]:
            p = torch.softmax(torch.mv(w, x[t]), 0)  # integrate, inhibit
        else:
            p = uniform
        z = p >= theta  # fire
        if record:
            own[t] = z
            soft[t] = p
            before[t] = theta
            z = forced[t]
        winners = torch.nonzero(z)
        n = winners.shape[0]
        if n == 1:  # learn (the common case: one winner, its row in place)
            row = w[int(winners.item())]
            row.mul_(gain[t]).add_(bias[t]).clamp_(0.0, 1.0)
        elif n > 1:
            winners = winners.flatten()
            w[winners] = (w[winners] * gain[t] + bias[t]).clamp(0.0, 1.0)
        if n != 1:  # adapt threshold (n = 1 leaves it as it is)
            theta.copy_((theta + rho * float(n - 1)).clamp(0.0, 1.0))
        spikes += n
    return spikes, own, soft, before


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("run", help="run file (.npz) from compare_peers.py export")
    ap.add_argument("--mode", choices=["eager", "script"], default="eager")
    ap.add_argument("--check", metavar="OUT", help="follow the core's winners, write OUT.npz")
    a = ap.parse_args()
    torch.set_num_threads(1)

    run = np.load(a.run)
    x = torch.from_numpy(run["inputs"].astype(np.float32))
    w = torch.from_numpy(np.ascontiguousarray(run["w0"].T, dtype=np.float32))  # K x D
    theta = torch.tensor(THETA0, dtype=torch.float32)
    record = a.check is not None
    forced = torch.from_numpy(run["fired"].astype(bool)) if record else torch.zeros(0, 0, dtype=torch.bool)

    step_fn = train_steps
    compile_s = 0.0
    if a.mode == "script":
        start = time.perf_counter()
        step_fn = torch.jit.script(train_steps)
        # The first calls profile and optimise the graph: a researcher pays this once per
        # session, so warm up on a copy before the clock starts.
        for _ in range(3):
            step_fn(x[:40], w.clone(), theta.clone(), forced[:40] if record else forced, record,
                    MU, MU_D, RHO)
        compile_s = time.perf_counter() - start

    start, cpu_start = time.perf_counter(), time.process_time()
    spikes, own, soft, before = step_fn(x, w, theta, forced, record, MU, MU_D, RHO)
    seconds = time.process_time() - cpu_start  # CPU time: steadier on a shared machine
    wall = time.perf_counter() - start
    images = int(run["images"])
    steps = x.shape[0]
    if record:
        thr = before.numpy()
        p = soft.numpy()
        near = np.argwhere(np.abs(p - thr[:, None]) <= NEAR * thr[:, None])
        np.savez(a.check, own=own.numpy().astype(np.uint8), w=w.numpy().T,
                 theta=np.float32(theta.item()), near_step=near[:, 0], near_unit=near[:, 1],
                 near_p=p[near[:, 0], near[:, 1]])
    print(json.dumps({
        "peer": "torch-" + a.mode, "images": images, "steps": steps, "spikes": spikes,
        "theta": theta.item(), "seconds": seconds, "images_per_s": images / seconds,
        "wall_seconds": wall,
        "compile_seconds": compile_s, "version": torch.__version__,
        "threads": torch.get_num_threads(),
    }))


if __name__ == "__main__":
    main()
