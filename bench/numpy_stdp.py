#!/usr/bin/python3
"""Plain, vectorised NumPy implementation of the paper-mnist training rule (PAPER.md section 1),
the reference point of issue 5 ("orders of magnitude ahead of NumPy").

Same rule as core/model/RepresentationLayer with the paper-mnist preset:
  * each image (uint8 / 255) is encoded once: Bernoulli spikes with p = intensity for T steps,
    zero padding p // 2; every overlapping p x p patch (stride 1, row-major order) that holds at
    least one spike is presented for T steps, in order;
  * per step: U = W x (raw spikes, memoryless), softmax P = exp(U - max U) / sum, neurons with
    P >= theta fire (compared as exp_j >= theta * sum, like core);
  * for each fired neuron j: w_ij += mu (1 - w_ij) on inputs that spiked this step (LTP),
    w_ij -= mu_d w_ij on the others (LTD), clipped to [0, 1];
  * theta += rho (n_fired - 1), clipped to [0, 1] (global threshold).
Initial W ~ U[0, 1), theta0 = 0.15, mu = 5e-4, mu_d = 0.75 mu, rho = 5e-5, K = 32, T = 40.

What makes it a fair NumPy formulation rather than a strawman: the encoding and patch cutting
are vectorised over the whole image (sliding_window_view), the per-step LTP/LTD gain and bias
vectors are precomputed for all patches of an image at once, integration is one matvec over K,
the softmax and the threshold test are whole-vector operations, a single winner is updated in
place through a view, and steps without any input spike take a scalar shortcut (U = 0, uniform
softmax). The only Python loops are over patches and time steps, which the rule makes
sequential (every step's learning changes the next step's potentials).

Random numbers come from NumPy's PCG64, so results match core statistically, not bit for bit:
the script prints theta and output spikes per step to check that the dynamics agree.

Run with Debian's interpreter (python3-numpy): /usr/bin/python3 bench/numpy_stdp.py FILE
"""

import argparse
import gzip
import json
import struct
import sys
import time

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view


def read_idx(path, first, count):
    """Images [first, first + count) of an IDX file (plain or gzip, by magic bytes) as uint8."""
    with open(path, "rb") as f:
        raw = f.read()
    if raw[:2] == b"\x1f\x8b":
        raw = gzip.decompress(raw)
    zero, dtype, ndim = struct.unpack(">HBB", raw[:4])
    if zero != 0 or dtype != 0x08 or ndim != 3:
        sys.exit(f"{path}: expected an unsigned-byte IDX file with 3 dimensions")
    dims = struct.unpack(">" + "I" * ndim, raw[4 : 4 + 4 * ndim])
    data = np.frombuffer(raw, dtype=np.uint8, offset=4 + 4 * ndim).reshape(dims)
    return data[first : first + count]


def train(images, K=32, T=40, p=5, theta0=0.15, mu=5e-4, mu_d_ratio=0.75, rho=5e-5, seed=1):
    rng = np.random.default_rng(seed)
    D = p * p
    pad = p // 2
    # Neuron-major (K x D): a winner's field W[j] is one contiguous row, updated in place.
    W = rng.random((K, D), dtype=np.float32)
    theta = float(theta0)
    ltp_gain, ltp_bias = np.float32(1.0 - mu), np.float32(mu)
    ltd_gain = np.float32(1.0 - mu * mu_d_ratio)
    # With lambda = 0 both updates map [0, 1] into [0, 1], so the clip is provably a no-op for
    # these constants; keep it only if a change of constants could leave the interval.
    need_clip = not (0.0 <= mu <= 1.0 and 0.0 <= mu * mu_d_ratio <= 1.0)
    empty_fire = 1.0 / K  # softmax value of every neuron when U = 0
    exp, flatnonzero, matvec = np.exp, np.flatnonzero, np.dot
    patches = steps = spikes = 0

    for image in images:
        v = np.pad(image.astype(np.float32) / np.float32(255.0), pad)
        spike_img = rng.random((T,) + v.shape, dtype=np.float32) < v  # (T, H + 2pad, W + 2pad)
        win = sliding_window_view(spike_img, (p, p), axis=(1, 2))  # (T, R, C, p, p)
        n_pos = win.shape[1] * win.shape[2]
        X = win.reshape(T, n_pos, D).transpose(1, 0, 2)  # (positions, T, D), row-major order
        X = X[X.any(axis=(1, 2))]  # non-empty patches only, order kept
        Xf = X.astype(np.float32)
        # Affine STDP per input: w <- w * gain + bias, LTP where the input spiked, LTD elsewhere.
        G = np.where(X, ltp_gain, ltd_gain).astype(np.float32)
        B = np.where(X, ltp_bias, np.float32(0.0)).astype(np.float32)
        active = X.any(axis=2).tolist()  # per patch, per step: any input spike
        for n in range(X.shape[0]):
            xn, gn, bn, an = Xf[n], G[n], B[n], active[n]
            for t in range(T):
                if an[t]:
                    e = matvec(W, xn[t])
                    e -= e.max()
                    exp(e, out=e)
                    fired = flatnonzero(e >= theta * e.sum())
                    nf = fired.size
                    if nf == 1:
                        w = W[fired[0]]
                        w *= gn[t]
                        w += bn[t]
                        if need_clip:
                            np.clip(w, 0.0, 1.0, out=w)
                    elif nf > 1:
                        W[fired] = W[fired] * gn[t] + bn[t]
                        if need_clip:
                            np.clip(W, 0.0, 1.0, out=W)
                else:
                    # No input: U = 0, P_j = 1/K for all; everyone fires iff 1/K >= theta.
                    nf = K if empty_fire >= theta else 0
                    if nf:
                        W *= gn[t]
                spikes += nf
                theta = min(max(theta + rho * (nf - 1), 0.0), 1.0)
            patches += 1
            steps += T
    return W, theta, patches, steps, spikes


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("idx", help="IDX image file (gzip or plain), e.g. the built-in digits")
    ap.add_argument("--first", type=int, default=0)
    ap.add_argument("--images", type=int, default=20)
    ap.add_argument("--units", type=int, default=32)
    ap.add_argument("--steps", type=int, default=40)
    ap.add_argument("--patch", type=int, default=5)
    ap.add_argument("--seed", type=int, default=1)
    a = ap.parse_args()
    images = read_idx(a.idx, a.first, a.images)
    start = time.perf_counter()
    W, theta, patches, steps, spikes = train(images, K=a.units, T=a.steps, p=a.patch, seed=a.seed)
    seconds = time.perf_counter() - start
    print(json.dumps({
        "images": len(images), "patches": patches, "steps": steps, "spikes": spikes,
        "spikes_per_step": spikes / max(steps, 1), "theta": theta, "seconds": seconds,
        "images_per_s": len(images) / seconds, "steps_per_s": steps / seconds,
        "numpy": np.__version__,
    }))


if __name__ == "__main__":
    main()
