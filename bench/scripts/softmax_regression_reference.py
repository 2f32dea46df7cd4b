#!/usr/bin/env python3
"""Independent reference for the bench module's training job: the same softmax-regression recipe in numpy.

W (784x10) and b start at zero; logits = X W + b; mean sparse cross-entropy with logits; G = (softmax - onehot) / batch;
W -= lr X^T G, b -= lr 1^T G; plain SGD, batch 100, pixels scaled to [0, 1], float32, reshuffled every epoch from the
seed (numpy's generator, so the batch order differs from the Java job's; the accuracy should agree to about 0.005).

    python3 bench/scripts/softmax_regression_reference.py [--data DIR] [--epochs 10] [--lr 0.1] [--batch 100] [--seed 42]

Not used by the build or CI: it documents where the 0.83 accuracy floor of the training test comes from.
"""
import argparse
import gzip
import os
import struct
import time

import numpy as np


def read_idx(path):
    with open(path, "rb") as f:
        head = f.read(2)
    opener = gzip.open if head == b"\x1f\x8b" else open
    with opener(path, "rb") as f:
        data = f.read()
    zero, dtype, ndim = struct.unpack(">HBB", data[:4])
    if zero != 0 or dtype != 0x08:
        raise ValueError(f"{path}: not an unsigned-byte IDX file")
    dims = struct.unpack(">" + "I" * ndim, data[4:4 + 4 * ndim])
    body = np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * ndim)
    if body.size != int(np.prod(dims)):
        raise ValueError(f"{path}: expected {int(np.prod(dims))} bytes of data, got {body.size}")
    return body.reshape(dims)


def find(data_dir, split, kind, dims):
    for base in (f"{split}-{kind}-idx{dims}-ubyte", f"{split}-{kind}.idx{dims}-ubyte"):
        for name in (base + ".gz", base):
            path = os.path.join(data_dir, name)
            if os.path.isfile(path):
                return path
    raise SystemExit(f"no {split} {kind} in {data_dir}: apt-get install dataset-fashion-mnist or pass --data DIR")


def load(data_dir, split):
    x = read_idx(find(data_dir, split, "images", 3)).reshape(-1, 784).astype(np.float32) / np.float32(255)
    y = read_idx(find(data_dir, split, "labels", 1)).astype(np.int64)
    return x, y


def loss_and_gradient(logits, y):
    shifted = logits - logits.max(axis=1, keepdims=True)
    log_sum = np.log(np.exp(shifted).sum(axis=1, keepdims=True))
    log_p = shifted - log_sum
    rows = np.arange(len(y))
    loss = -log_p[rows, y].mean()
    g = np.exp(log_p)
    g[rows, y] -= 1
    return loss, g / np.float32(len(y))


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--data", default="/usr/share/datasets/fashion-mnist")
    p.add_argument("--epochs", type=int, default=10)
    p.add_argument("--lr", type=float, default=0.1)
    p.add_argument("--batch", type=int, default=100)
    p.add_argument("--seed", type=int, default=42)
    a = p.parse_args()

    x_train, y_train = load(a.data, "train")
    x_test, y_test = load(a.data, "t10k")
    w = np.zeros((784, 10), dtype=np.float32)
    b = np.zeros(10, dtype=np.float32)
    lr = np.float32(a.lr)
    rng = np.random.default_rng(a.seed)

    start = time.perf_counter()
    for _ in range(a.epochs):
        order = rng.permutation(len(y_train))
        for first in range(0, len(order), a.batch):
            idx = order[first:first + a.batch]
            xb = x_train[idx]
            _, g = loss_and_gradient(xb @ w + b, y_train[idx])
            w -= lr * (xb.T @ g)
            b -= lr * g.sum(axis=0)
    seconds = time.perf_counter() - start

    logits = x_test @ w + b
    test_loss, _ = loss_and_gradient(logits, y_test)
    accuracy = float((logits.argmax(axis=1) == y_test).mean())
    examples = a.epochs * len(y_train)
    print(f"numpy {np.__version__}: {a.epochs} epochs, batch {a.batch}, lr {a.lr}: train {seconds:.2f} s,"
          f" {examples / seconds:,.0f} examples/s, test accuracy {accuracy:.4f}, test loss {float(test_loss):.4f}")


if __name__ == "__main__":
    main()
