"""The Figure 2 sweep in numpy, for bench/theory.ts.

Reads {"N", "gamma", "noisy", "ts", "order", "reps"} as JSON on stdin (the same
data the TypeScript side uses), forms K_N(t) = P_N ... P_1 with
P_i = I - t e_i e_i^T - t gamma D (D = L^T L, L the first-difference
operator; the same structured updates as lib/theory/igd.ts: the
tridiagonal D applied by slicing, never as a dense product), renormalises
as it grows, and takes the spectral radius with numpy.linalg.eigvals
(LAPACK dgeev, balanced). Prints {"seconds", "formSeconds",
"eigSeconds", "rho"} of the fastest of `reps` sweeps as JSON. Timings
exclude the numpy import.
"""
import json
import sys
import time

import numpy as np


def tridiagonal(n):
    """Diagonal and off-diagonal of the path Laplacian L^T L."""
    d0 = np.full(n, 2.0)
    d0[0] = 1.0
    d0[-1] = 1.0
    d1 = np.full(n - 1, -1.0)
    return d0, d1


def pass_matrix(n, t, gamma, d0, d1):
    x = np.eye(n)
    c = t * gamma
    log_scale = 0.0
    dx = np.empty_like(x)
    for i in range(n):
        row = x[i].copy()
        # dx = D x for the tridiagonal D
        np.multiply(d0[:, None], x, out=dx)
        dx[:-1] += d1[:, None] * x[1:]
        dx[1:] += d1[:, None] * x[:-1]
        x -= c * dx
        x[i] -= t * row
        if (i & 7) == 7 or i == n - 1:
            m = np.abs(x).max()
            if m > 1e10 or 0 < m < 1e-50:
                x /= m
                log_scale += np.log(m)
    return x, log_scale


def main():
    job = json.load(sys.stdin)
    n = int(job["N"])
    if int(job.get("order", 1)) != 1:
        raise SystemExit("theory_numpy.py: only order 1 (tridiagonal D)")
    gamma = float(job["gamma"])
    d0, d1 = tridiagonal(n)
    best = None
    for _ in range(int(job.get("reps", 1))):
        rho = []
        form = 0.0
        eig = 0.0
        start = time.perf_counter()
        for t in job["ts"]:
            a = time.perf_counter()
            k, log_scale = pass_matrix(n, float(t), gamma, d0, d1)
            b = time.perf_counter()
            r = np.abs(np.linalg.eigvals(k)).max()
            c = time.perf_counter()
            form += b - a
            eig += c - b
            rho.append(float(np.exp(np.log(r) + log_scale)))
        seconds = time.perf_counter() - start
        if best is None or seconds < best["seconds"]:
            best = {"seconds": seconds, "formSeconds": form, "eigSeconds": eig, "rho": rho}
    json.dump(best, sys.stdout)


if __name__ == "__main__":
    main()
