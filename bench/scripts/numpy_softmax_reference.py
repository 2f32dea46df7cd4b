#!/usr/bin/env python3
"""numpy's time for softmax, log-softmax and the sparse cross-entropy with its gradient, per element.

The independent reference for the bench's float64 targets (issue 14): numpy's recipe on the same shapes as
SoftmaxBench (256x1000 and 4096x4096), one thread (numpy's elementwise ufuncs are single-threaded), logits
uniform in [-10, 10) from a fixed seed. Best of --repeat timed calls after one untimed call, in ns per element.

    python3 bench/scripts/numpy_softmax_reference.py [--dtypes float64,float32] [--repeat 7]
"""
import argparse
import time

import numpy as np


def softmax(x, o):
    m = x.max(1, keepdims=True)
    np.subtract(x, m, out=o)
    np.exp(o, out=o)
    o /= o.sum(1, keepdims=True)
    return o


def log_softmax(x, o):
    m = x.max(1, keepdims=True)
    np.subtract(x, m, out=o)
    s = np.exp(o).sum(1, keepdims=True)
    o -= np.log(s)
    return o


def sparse_cross_entropy(x, o, t):
    """Mean loss and its gradient (softmax - onehot) / rows, the bench's sparseCrossEntropy."""
    softmax(x, o)
    rows = np.arange(x.shape[0])
    loss = -np.log(o[rows, t]).mean()
    o[rows, t] -= 1
    o /= x.shape[0]
    return loss


def best_ns_per_element(fn, elements, repeat):
    fn()
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter_ns()
        fn()
        best = min(best, time.perf_counter_ns() - start)
    return best / elements


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dtypes", default="float64,float32")
    parser.add_argument("--shapes", default="256x1000,4096x4096")
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()
    rng = np.random.default_rng(42)
    print("numpy", np.__version__)
    print(f"{'dtype':8} {'shape':10} {'softmax':>9} {'logSoftmax':>11} {'sparseCE':>9}   (ns per element)")
    for dtype in args.dtypes.split(","):
        for shape in args.shapes.split(","):
            rows, cols = (int(v) for v in shape.split("x"))
            x = rng.uniform(-10, 10, (rows, cols)).astype(dtype)
            t = rng.integers(0, cols, rows)
            o = np.empty_like(x)
            n = rows * cols
            a = best_ns_per_element(lambda: softmax(x, o), n, args.repeat)
            b = best_ns_per_element(lambda: log_softmax(x, o), n, args.repeat)
            c = best_ns_per_element(lambda: sparse_cross_entropy(x, o, t), n, args.repeat)
            print(f"{dtype:8} {shape:10} {a:9.3f} {b:11.3f} {c:9.3f}")


if __name__ == "__main__":
    main()
