#!/usr/bin/env python3
"""Generates the JSON conformance cases shipped in conformance/src/main/resources/org/softmax4j/conformance/cases/.

    python3 tools/gen_reference_cases.py            # rewrites seed.json, edge.json, reference.json
    python3 tools/gen_reference_cases.py --check    # regenerates in memory and fails if a committed file differs

Where the numbers come from (also in conformance/CASES.md):
  * Inputs are values of the case's dtype: random inputs are drawn with Python's `random` from fixed seeds and
    rounded to float32 first for float32 cases (numpy.float32, round to nearest even); they are printed with
    Python's repr of the float64 value, which reads back exactly in float64 and, for a float32 value, rounds back to
    that same float32 value.
  * Expected values are computed with mpmath 1.3 at 400 significant digits from those exact inputs (no rounding of
    any intermediate to a machine precision) and printed with 25 significant digits, far more than float64 keeps,
    so the Java side rounds the printed value once to the dtype and gets the exact result correctly rounded.
    Magnitudes below 1e-400 are printed as 0 (they round to 0 in both dtypes).
  * Only the option values the ops round themselves are rounded here the same way: the float32 overloads take the
    temperature, alpha and beta as floats; crossEntropy clips to [round(eps), round(1 - round(eps))] in the dtype
    (Keras computes 1 - eps in the tensor's dtype). Class weights and label smoothing are chosen float32-exact, so
    both dtypes see the same values.
  * seed.json: rows S1-S9 of /work/shared/seed-cases.md verbatim (their 12-digit values; this script checks each
    printed value against the 400-digit value and states the relative tolerance the printing needs), S10-S12 as
    concrete cases computed here.
  * edge.json: every row of the edge-case table of api/src/main/java/org/softmax4j/package-info.java; special
    values (NaN, infinities, exact zeros, errors) are written by hand from the table, finite values computed here.
Deterministic: the same mpmath and numpy give byte-identical files. CI does not run this script (the JSON is
committed); run it after changing it and commit the output.
"""
import math
import os
from fractions import Fraction
import random
import sys

import mpmath
import numpy as np
from mpmath import mp, mpf

mp.dps = 400  # float64 subnormals reach 4.9e-324: 1 + 1e-322 must not round to 1 (see fuzz-found.json)
DIGITS = 25
OUT_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "conformance", "src", "main", "resources",
                       "org", "softmax4j", "conformance", "cases")
NAN = float("nan")
INF = float("inf")
# Magnitudes below this are printed as 0: they round to 0 in both dtypes (the smallest float64 subnormal is
# 4.9e-324), and the exact value of, say, exp(-6e38) has an exponent of 39 digits.
TINY = mpf("1e-400")

# ----------------------------------------------------------------------------------------------- dtype rounding


def f32(v):
    """Rounds a float64 to the nearest float32 (as a Python float)."""
    with np.errstate(over="ignore"):
        return float(np.float32(v))


def rnd(v, dtype):
    return f32(v) if dtype == "float32" else float(v)


def representable32(v):
    return math.isnan(v) or f32(v) == v


# ----------------------------------------------------------------------------------------------- JSON output


class Raw(str):
    """A number already formatted as JSON number text."""


def num_in(v):
    """An input value: exact float64 text (shortest repr), or the strings for non-finite values."""
    v = float(v)
    if math.isnan(v):
        return "NaN"
    if math.isinf(v):
        return "Infinity" if v > 0 else "-Infinity"
    return Raw(repr(v))


def num_out(v):
    """An expected value: an mpf (or float) printed with 25 significant digits; non-finite values as strings."""
    if isinstance(v, float):
        if math.isnan(v):
            return "NaN"
        if math.isinf(v):
            return "Infinity" if v > 0 else "-Infinity"
        v = mpf(v)
    if mpmath.isnan(v):
        return "NaN"
    if mpmath.isinf(v):
        return "Infinity" if v > 0 else "-Infinity"
    if v == 0 or abs(v) < TINY:
        return Raw("0")
    s = mpmath.nstr(v, DIGITS, min_fixed=-4, max_fixed=6)
    return Raw(s)


def dumps(v):
    if isinstance(v, Raw):
        return str(v)
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, int):
        return str(v)
    if isinstance(v, str):
        return '"' + v.replace("\\", "\\\\").replace('"', '\\"') + '"'
    if isinstance(v, float):
        return dumps(num_in(v))
    if isinstance(v, list):
        return "[" + ", ".join(dumps(e) for e in v) + "]"
    if isinstance(v, dict):
        return "{" + ", ".join(dumps(k) + ": " + dumps(e) for k, e in v.items()) + "}"
    raise TypeError(type(v))


def write(name, description, cases, check):
    ids = set()
    for c in cases:
        assert c["id"] not in ids, c["id"]
        ids.add(c["id"])
    text = "{\n" + '"description": ' + dumps(description) + ',\n"cases": [\n' + ",\n".join(
        dumps(c) for c in cases) + "\n]}\n"
    path = os.path.join(OUT_DIR, name)
    if check:
        with open(path) as f:
            if f.read() != text:
                sys.exit(path + " differs from what the generator writes")
        return
    with open(path, "w") as f:
        f.write(text)
    print("%s: %d cases, %d bytes" % (name, len(cases), len(text)))


# ----------------------------------------------------------------------------------------------- exact ops
# Every function takes exact inputs (Python floats, i.e. dtype values) and returns mpf values (or float NaN/inf).


def kind(row):
    if any(math.isnan(v) for v in row):
        return "nan"
    if any(v == INF for v in row):
        return "posinf"
    if all(v == -INF for v in row):
        return "allneginf"
    return "finite"


def exps(row, temperature=None):
    """exp((x - m) / T) of a finite row, their sum s, the max m, and ln(s) = log1p(s - 1) from the terms other than
    the first maximum (whose term is exactly 1), so that ln(1 + 1e-91) is not lost."""
    m = mpf(max(row))
    t = mpf(1) if temperature is None else mpf(temperature)
    e = [mpf(0) if v == -INF else mp.exp((mpf(v) - m) / t) for v in row]
    top = row.index(max(row))
    rest = mp.fsum(ei for i, ei in enumerate(e) if i != top)
    return e, 1 + rest, m, mp.log1p(rest)


def softmax_rows(x, rows, cols, temperature=None):
    y = []
    for r in range(rows):
        row = x[r * cols:(r + 1) * cols]
        if kind(row) != "finite":
            y += [NAN] * cols
            continue
        e, s, _, _ = exps(row, temperature)
        y += [ei / s for ei in e]
    return y


def masked_softmax_rows(x, mask, rows, cols):
    y = []
    for r in range(rows):
        row = x[r * cols:(r + 1) * cols]
        mrow = mask[r * cols:(r + 1) * cols]
        sub = [v for v, keep in zip(row, mrow) if keep]
        out = [mpf(0)] * cols
        if sub:
            s = softmax_rows(sub, 1, len(sub))
            it = iter(s)
            out = [next(it) if keep else mpf(0) for keep in mrow]
        y += out
    return y


def log_softmax_rows(x, rows, cols):
    y = []
    for r in range(rows):
        row = x[r * cols:(r + 1) * cols]
        if kind(row) != "finite":
            y += [NAN] * cols
            continue
        _, _, m, ls = exps(row)
        y += [-INF if v == -INF else (mpf(v) - m) - ls for v in row]
    return y


def masked_log_softmax_rows(x, mask, rows, cols):
    """The log-softmax of the kept entries (a sub-row); masked entries -inf, a fully masked row -inf everywhere."""
    y = []
    for r in range(rows):
        row = x[r * cols:(r + 1) * cols]
        mrow = mask[r * cols:(r + 1) * cols]
        sub = [v for v, keep in zip(row, mrow) if keep]
        out = [-INF] * cols
        if sub:
            it = iter(log_softmax_rows(sub, 1, len(sub)))
            out = [next(it) if keep else -INF for keep in mrow]
        y += out
    return y


def masked_log_sum_exp_rows(x, mask, rows, cols):
    """The log-sum-exp of the kept entries; -inf (the empty sum) for a fully masked row."""
    out = []
    for r in range(rows):
        sub = [v for v, keep in zip(x[r * cols:(r + 1) * cols], mask[r * cols:(r + 1) * cols]) if keep]
        out += log_sum_exp_rows(sub, 1, len(sub)) if sub else [-INF]
    return out


def masked_ce_with_logits(logits, mask, rows, cols, targets, reduction, denominator):
    """The cross-entropy over the kept classes: each row's sub-row of kept logits and targets through
    ce_with_logits (masked classes: probability 0, gradient 0); a row with no kept class has loss 0, gradient 0."""
    loss, grad = [], []
    total, nan, inf = mpf(0), False, False
    g = mpf(1) / denominator if reduction == "mean" and denominator != 0 else mpf(1)
    for r in range(rows):
        mrow = mask[r * cols:(r + 1) * cols]
        q = targets[r]
        sub = [v for v, keep in zip(logits[r * cols:(r + 1) * cols], mrow) if keep]
        if q is None or not sub:
            loss.append(mpf(0))
            grad += [mpf(0)] * cols
            continue
        assert all(keep or qc == 0 for qc, keep in zip(q, mrow)), "target mass on a masked class"
        l1, g1, _ = ce_with_logits(sub, 1, len(sub), [[qc for qc, keep in zip(q, mrow) if keep]], "sum", 1)
        loss += l1
        it = iter(g1)
        grad += [next(it) * g if keep else mpf(0) for keep in mrow]
        nan |= mp.isnan(l1[0]) if not isinstance(l1[0], float) else math.isnan(l1[0])
        inf |= l1[0] == INF
        total += 0 if (l1[0] == INF or (isinstance(l1[0], float) and math.isnan(l1[0]))) else l1[0]
    if nan or (reduction == "mean" and denominator == 0):
        value = NAN
    elif inf:
        value = INF
    else:
        value = total / denominator if reduction == "mean" else total
    return loss, grad, value


def masked_dense_targets(labels, mask, rows, cols, weights, smoothing):
    """Dense targets with label smoothing e / K over the K kept classes of the row; 0 on masked classes."""
    e = mpf(smoothing)
    out = []
    for r in range(rows):
        mrow = mask[r * cols:(r + 1) * cols]
        k = sum(1 for keep in mrow if keep)
        out.append([mpf(weights[c] if weights else 1) * ((1 - e) * mpf(labels[r * cols + c]) + e / k)
                    if mrow[c] else mpf(0) for c in range(cols)])
    return out


def masked_sparse_targets(classes, mask, cols, weights, smoothing, ignore):
    e = mpf(smoothing)
    out, den = [], mpf(0)
    for r, t in enumerate(classes):
        if t == ignore:
            out.append(None)
            continue
        mrow = mask[r * cols:(r + 1) * cols]
        assert mrow[t], "a masked target"
        k = sum(1 for keep in mrow if keep)
        w = [mpf(weights[c] if weights else 1) for c in range(cols)]
        den += w[t]
        out.append([(w[c] * e / k if mrow[c] else mpf(0)) + ((1 - e) * w[t] if c == t else 0) for c in range(cols)])
    return out, den


def log_sum_exp_rows(x, rows, cols):
    out = []
    for r in range(rows):
        row = x[r * cols:(r + 1) * cols]
        k = kind(row) if cols else "allneginf"
        if k == "nan":
            out.append(NAN)
        elif k == "posinf":
            out.append(INF)
        elif k == "allneginf":
            out.append(-INF)
        else:
            _, _, m, ls = exps(row)
            out.append(m + ls)
    return out


def softmax_backward(y, dy, rows, cols):
    # rational: exact however much dy - dot cancels (subnormal y and dy need ~600 digits)
    dx = []
    for r in range(rows):
        yr = [Fraction(v) for v in y[r * cols:(r + 1) * cols]]
        dr = [Fraction(v) for v in dy[r * cols:(r + 1) * cols]]
        dot = sum(a * b for a, b in zip(yr, dr))
        dx += [exact(a * (b - dot)) for a, b in zip(yr, dr)]
    return dx


def exact(q):
    """A Fraction as an mpf with 60 digits (the value is exact; only this final conversion rounds)."""
    with mp.workdps(60):
        return mpf(q.numerator) / q.denominator


def log_softmax_backward(logp, dlogp, rows, cols):
    dx = []
    for r in range(rows):
        lr = logp[r * cols:(r + 1) * cols]
        dr = [mpf(v) for v in dlogp[r * cols:(r + 1) * cols]]
        total = mp.fsum(dr)
        dx += [d - (mpf(0) if lp == -INF else mp.exp(mpf(lp))) * total for lp, d in zip(lr, dr)]
    return dx


def jacobian(y):
    c = len(y)
    return [exact(Fraction(y[i]) * ((1 if i == j else 0) - Fraction(y[j]))) for i in range(c) for j in range(c)]


def cross_entropy(p, t, rows, cols, eps, dtype):
    lo = mpf(rnd(eps, dtype))
    hi = mpf(rnd(1 - rnd(eps, dtype), dtype))
    out = []
    for r in range(rows):
        pr = [mpf(v) for v in p[r * cols:(r + 1) * cols]]
        tr = t[r * cols:(r + 1) * cols]
        s = mp.fsum(pr)
        if s == 0:
            out.append(NAN)
            continue
        acc = mpf(0)
        result = None
        for pv, tv in zip(pr, tr):
            q = min(max(pv / s, lo), hi)
            if q == 0:
                result = NAN if tv == 0 else INF  # IEEE 0 * -inf, as Keras computes it
                if tv == 0:
                    break
                continue
            if tv != 0:
                acc -= mpf(tv) * mp.log(q)
        out.append(result if result is not None else acc)
    return out


def ce_with_logits(logits, rows, cols, targets, reduction, denominator):
    """targets[r] = list of q_c (mpf), or None for an ignored row. Returns loss, gradient, value."""
    loss, grad = [], []
    g = mpf(1) / denominator if reduction == "mean" and denominator != 0 else mpf(1)
    total_loss = mpf(0)
    nan = inf = False
    for r in range(rows):
        row = logits[r * cols:(r + 1) * cols]
        q = targets[r]
        if q is None:
            loss.append(mpf(0))
            grad += [mpf(0)] * cols
            continue
        if kind(row) != "finite":
            loss.append(NAN)
            grad += [NAN] * cols
            nan = True
            continue
        e, s, m, ls = exps(row)
        qsum = mp.fsum(q)
        lr = mpf(0)
        row_inf = False
        for v, qc in zip(row, q):
            if qc == 0:
                continue
            if v == -INF:
                row_inf = True
            else:
                lr -= qc * ((mpf(v) - m) - ls)
        loss.append(INF if row_inf else lr)
        inf |= row_inf
        total_loss += 0 if row_inf else lr
        # p_c Q - q_c = sum_{j != c} (e_c q_j - q_c e_j) / s: no cancellation of 1 - p_max against 1 (tails of 1e-91)
        grad += [mp.fsum(e[c] * q[j] - q[c] * e[j] for j in range(cols) if j != c) / s * g for c in range(cols)]
    if nan or (reduction == "mean" and denominator == 0):
        value = NAN
    elif inf:
        value = INF
    elif reduction == "mean":
        value = total_loss / denominator
    else:
        value = total_loss
    return loss, grad, value


def dense_targets(labels, rows, cols, weights, smoothing):
    e = mpf(smoothing)
    out = []
    for r in range(rows):
        out.append([mpf(weights[c] if weights else 1) * ((1 - e) * mpf(labels[r * cols + c]) + e / cols)
                    for c in range(cols)])
    return out


def sparse_targets(classes, cols, weights, smoothing, ignore):
    e = mpf(smoothing)
    out, den = [], mpf(0)
    for t in classes:
        if t == ignore:
            out.append(None)
            continue
        w = [mpf(weights[c] if weights else 1) for c in range(cols)]
        den += w[t]
        out.append([w[c] * e / cols + ((1 - e) * w[t] if c == t else 0) for c in range(cols)])
    return out, den


def rank_key(v):
    return (1, 0.0) if math.isnan(v) else (0, v)


def top_k(x, rows, cols, k):
    idx = []
    for r in range(rows):
        row = x[r * cols:(r + 1) * cols]
        order = sorted(range(cols), key=lambda c: rank_key(row[c]), reverse=True)
        # sorted(reverse=True) keeps equal keys in their original order: ties by ascending index
        idx += order[:k]
    return idx


def matmul(trans_a, m, k, n, alpha, a, b, beta, c):
    out = []
    for i in range(m):
        for j in range(n):
            dot = sum(Fraction(a[l * m + i] if trans_a else a[i * k + l]) * Fraction(b[l * n + j]) for l in range(k))
            v = Fraction(alpha) * dot
            if beta != 0:
                v += Fraction(beta) * Fraction(c[i * n + j])
            out.append(exact(v))
    return out


# ----------------------------------------------------------------------------------------------- case builders


def case(cid, op, dtype, rows=None, cols=None, inputs=None, options=None, expected=None, tolerance=None,
         note=None, **extra):
    c = {"id": cid, "op": op, "dtype": dtype}
    if rows is not None:
        c["rows"] = rows
    if cols is not None:
        c["cols"] = cols
    for key in ("m", "k", "n"):
        if key in extra:
            c[key] = extra.pop(key)
    c["inputs"] = {name: [num_in(v) if isinstance(v, float) else v for v in vals] for name, vals in
                   (inputs or {}).items()}
    if options:
        c["options"] = options
    if expected is not None:
        c["expected"] = expected
    if tolerance is not None:
        c["tolerance"] = tolerance
    c.update(extra)
    if note:
        c["note"] = note
    return c


def outs(vals):
    return [num_out(v) for v in vals]


def float_inputs(inputs):
    return [float(v) for name, vals in inputs.items() if name not in ("mask", "classes") for v in vals]


def dtypes_for(inputs, dtype_dependent=False):
    """One case for both dtypes when every input is float32-exact (then the exact result is the same), else two."""
    if not dtype_dependent and all(representable32(v) for v in float_inputs(inputs)):
        return ["both"]
    return ["float32", "float64"]


def as_dtype(inputs, dtype):
    if dtype != "float32":
        return inputs
    return {k: ([f32(v) for v in vals] if k not in ("mask", "classes") else vals) for k, vals in inputs.items()}


def suffix(dt, dts):
    return " " + dt if len(dts) > 1 else ""


def exact_case(cid, op, inputs, rows=None, cols=None, options=None, tolerance=None, note=None,
               dtype_dependent=False, outputs=None, dtypes=None, **extra):
    """A case (or one per dtype) whose expected outputs are computed exactly from the dtype-rounded inputs."""
    cases = []
    dts = dtypes or dtypes_for(inputs, dtype_dependent)
    for dt in dts:
        ins = as_dtype(inputs, dt)
        opt = dict(options or {})
        exp = compute(op, ins, rows, cols, opt, "float64" if dt == "both" else dt, extra)
        if outputs is not None:
            exp = {k: v for k, v in exp.items() if k in outputs}
        cases.append(case(cid + suffix(dt, dts), op, dt, rows, cols, ins, options, exp, tolerance, note, **extra))
    return cases


def compute(op, ins, rows, cols, opt, dtype, extra):
    x = ins.get("x")
    if op == "softmax":
        return {"y": outs(softmax_rows(x, rows, cols))}
    if op == "softmaxTemperature":
        return {"y": outs(softmax_rows(x, rows, cols, rnd(float(opt["temperature"]), dtype)))}
    if op == "maskedSoftmax":
        return {"y": outs(masked_softmax_rows(x, ins["mask"], rows, cols))}
    if op == "logSoftmax":
        return {"y": outs(log_softmax_rows(x, rows, cols))}
    if op == "logSumExp":
        return {"out": outs(log_sum_exp_rows(x, rows, cols))}
    if op == "maskedLogSoftmax":
        return {"y": outs(masked_log_softmax_rows(x, ins["mask"], rows, cols))}
    if op == "maskedLogSumExp":
        return {"out": outs(masked_log_sum_exp_rows(x, ins["mask"], rows, cols))}
    if op in ("maskedSoftmaxCrossEntropyWithLogits", "maskedSparseSoftmaxCrossEntropyWithLogits"):
        weights = [float(w) for w in opt["classWeights"]] if "classWeights" in opt else None
        smoothing = float(opt.get("labelSmoothing", 0))
        reduction = opt.get("reduction", "mean")
        if op.startswith("maskedSparse"):
            targets, den = masked_sparse_targets(ins["classes"], ins["mask"], cols, weights, smoothing,
                                                 int(opt.get("ignoreIndex", -100)))
        else:
            targets, den = masked_dense_targets(ins["labels"], ins["mask"], rows, cols, weights, smoothing), mpf(rows)
        loss, grad, value = masked_ce_with_logits(ins["logits"], ins["mask"], rows, cols, targets, reduction, den)
        return {"loss": outs(loss), "gradient": outs(grad), "value": [num_out(value)]}
    if op == "softmaxBackward":
        return {"dx": outs(softmax_backward(ins["y"], ins["dy"], rows, cols))}
    if op == "logSoftmaxBackward":
        return {"dx": outs(log_softmax_backward(ins["logp"], ins["dlogp"], rows, cols))}
    if op == "jacobian":
        return {"jacobian": outs(jacobian(ins["y"]))}
    if op == "crossEntropy":
        eps = float(opt.get("eps", 1e-7))
        return {"loss": outs(cross_entropy(ins["probabilities"], ins["labels"], rows, cols, eps, dtype))}
    if op in ("softmaxCrossEntropyWithLogits", "sparseSoftmaxCrossEntropyWithLogits"):
        weights = [float(w) for w in opt["classWeights"]] if "classWeights" in opt else None
        smoothing = float(opt.get("labelSmoothing", 0))
        reduction = opt.get("reduction", "mean")
        if op.startswith("sparse"):
            targets, den = sparse_targets(ins["classes"], cols, weights, smoothing, int(opt.get("ignoreIndex", -100)))
        else:
            targets, den = dense_targets(ins["labels"], rows, cols, weights, smoothing), mpf(rows)
        loss, grad, value = ce_with_logits(ins["logits"], rows, cols, targets, reduction, den)
        return {"loss": outs(loss), "gradient": outs(grad), "value": [num_out(value)]}
    if op == "crossEntropyReduced":
        eps = float(opt.get("eps", 1e-7))
        loss = cross_entropy(ins["probabilities"], ins["labels"], rows, cols, eps, dtype)
        total = mp.fsum(loss)
        value = total / rows if opt.get("reduction", "mean") == "mean" else total
        return {"loss": outs(loss), "value": [num_out(value)]}
    if op == "argmax":
        return {"indices": top_k(x, rows, cols, 1)}
    if op == "topK":
        k = int(opt["k"])
        idx = top_k(x, rows, cols, k)
        vals = [x[(i // k) * cols + c] for i, c in enumerate(idx)]
        return {"indices": idx, "values": [num_in(v) for v in vals]}
    if op in ("matmul", "matmulTransA"):
        alpha = rnd(float(opt.get("alpha", 1)), dtype)
        beta = rnd(float(opt.get("beta", 0)), dtype)
        return {"c": outs(matmul(op == "matmulTransA", extra["m"], extra["k"], extra["n"], alpha, ins["a"],
                                 ins["b"], beta, ins.get("c")))}
    if op == "matmulTransB":
        alpha = rnd(float(opt.get("alpha", 1)), dtype)
        beta = rnd(float(opt.get("beta", 0)), dtype)
        m, k, n = extra["m"], extra["k"], extra["n"]
        bt = [ins["b"][j * k + p] for p in range(k) for j in range(n)]  # B (n x k) transposed: k x n
        return {"c": outs(matmul(False, m, k, n, alpha, ins["a"], bt, beta, ins.get("c")))}
    raise ValueError(op)


# ----------------------------------------------------------------------------------------------- seed.json

SEED_RELATIVE = 5e-12  # half a unit in the 12th significant digit, relative: what 12-digit printing can be off by


def check_printed(cid, printed, exact, relative):
    """Asserts every printed seed value is within `relative` of the 400-digit value: the tolerance is justified."""
    for p, e in zip(printed, exact):
        p = mpf(p)
        err = abs(p - e) / abs(e) if e != 0 else abs(p)
        assert err <= relative, "%s: printed %s vs exact %s: relative error %s > %s" % (cid, p, e, err, relative)


def seed_cases():
    cs = []
    rel = {"relative": SEED_RELATIVE}
    s1 = ["0.011656230956", "0.0316849207961", "0.0861285444363", "0.234121657253", "0.636408646559"]
    check_printed("S1", s1, softmax_rows([1.0, 2, 3, 4, 5], 1, 5), SEED_RELATIVE)
    cs.append(case("S1", "softmax", "both", 1, 5, {"x": [1.0, 2.0, 3.0, 4.0, 5.0]}, None,
                   {"y": [Raw(v) for v in s1]}, rel))
    cs.append(case("S2", "softmax", "both", 1, 5, {"x": [1000.0, 2000.0, 3000.0, 4000.0, 5000.0]}, None,
                   {"y": [Raw(v) for v in ["0", "0", "0", "0", "1"]]}, "exact",
                   "the true values 6.6e-1738 .. 5.1e-435 and 1 - 5.1e-435 round to exactly 0 and 1 in both dtypes"))
    s3 = ["5.75274405698e-290", "2.39848786884e-145", "1.0"]
    check_printed("S3", s3, softmax_rows([123.0, 456, 789], 1, 3), SEED_RELATIVE)
    cs.append(case("S3", "softmax", "float64", 1, 3, {"x": [123.0, 456.0, 789.0]}, None,
                   {"y": [Raw(v) for v in s3]}, rel, "the tiny values must survive in float64"))
    s4 = ["0.0420100661341", "0.114195199385", "0.843794734481"]
    check_printed("S4", s4, softmax_rows([2.0, 3, 5], 1, 3), SEED_RELATIVE)
    cs.append(case("S4", "softmax", "float32", 1, 3, {"x": [2.0, 3.0, 5.0]}, None, {"y": [Raw(v) for v in s4]}, rel,
                   "a reference float32 library prints [0.04201007 0.11419519 0.8437947]"))
    s5 = ["0.730879335712", "0.000245182702638", "0.268875481585"]
    check_printed("S5", s5, softmax_rows([4.0, -4, 3], 1, 3), SEED_RELATIVE)
    cs.append(case("S5", "softmax", "both", 1, 3, {"x": [4.0, -4.0, 3.0]}, None, {"y": [Raw(v) for v in s5]}, rel))
    s6g = ["0.730879335712", "0.000245182702638", "-0.731124518415"]
    t6, _ = sparse_targets([2], 3, None, 0, -100)
    l6, g6, _ = ce_with_logits([4.0, -4, 3], 1, 3, t6, "mean", 1)
    check_printed("S6", ["1.31350690028"] + s6g, l6 + g6, SEED_RELATIVE)
    cs.append(case("S6 sparse", "sparseSoftmaxCrossEntropyWithLogits", "both", 1, 3,
                   {"logits": [4.0, -4.0, 3.0], "classes": [2]}, None,
                   {"loss": [Raw("1.31350690028")], "gradient": [Raw(v) for v in s6g], "value": [Raw("1.31350690028")]},
                   rel, "gradient = softmax - onehot: push all, pull one"))
    cs.append(case("S6 dense", "softmaxCrossEntropyWithLogits", "both", 1, 3,
                   {"logits": [4.0, -4.0, 3.0], "labels": [0.0, 0.0, 1.0]}, None,
                   {"loss": [Raw("1.31350690028")], "gradient": [Raw(v) for v in s6g], "value": [Raw("1.31350690028")]},
                   rel))
    s7p = ["0.0900305731704", "0.244728471055", "0.665240955775"]
    s7g = ["0.0900305732", "-0.755271528945", "0.665240955775"]
    t7, _ = sparse_targets([1], 3, None, 0, -100)
    _, g7, _ = ce_with_logits([2.0, 3, 4], 1, 3, t7, "mean", 1)
    check_printed("S7 softmax", s7p, softmax_rows([2.0, 3, 4], 1, 3), SEED_RELATIVE)
    check_printed("S7 gradient", s7g, g7, 5e-10)
    cs.append(case("S7 softmax", "softmax", "both", 1, 3, {"x": [2.0, 3.0, 4.0]}, None, {"y": [Raw(v) for v in s7p]},
                   rel))
    cs.append(case("S7 gradient", "sparseSoftmaxCrossEntropyWithLogits", "both", 1, 3,
                   {"logits": [2.0, 3.0, 4.0], "classes": [1]}, None, {"gradient": [Raw(v) for v in s7g]},
                   {"relative": 5e-10},
                   "the table prints 0.0900305732 with 10 digits: half a unit in the 10th digit is 5e-10 relative"))
    x8 = [1.0, 2, 3] * 3
    s8 = s7p * 3
    check_printed("S8", s8, softmax_rows(x8, 3, 3), SEED_RELATIVE)
    cs.append(case("S8 softmax", "softmax", "both", 3, 3, {"x": x8}, None, {"y": [Raw(v) for v in s8]}, rel))
    t8, _ = sparse_targets([2, 2, 2], 3, None, 0, -100)
    l8, _, v8 = ce_with_logits(x8, 3, 3, t8, "sum", 3)
    check_printed("S8 loss", ["0.407605964444"] * 3 + ["1.22281789333"], l8 + [v8], SEED_RELATIVE)
    values = {"none": "1.22281789333", "sum": "1.22281789333", "mean": "0.407605964444"}
    for red in ("none", "sum", "mean"):
        exp = {"value": [Raw(values[red])]}
        if red == "none":
            exp["loss"] = [Raw("0.407605964444")] * 3
        cs.append(case("S8 dense " + red, "softmaxCrossEntropyWithLogits", "both", 3, 3,
                       {"logits": x8, "labels": [0.0, 0.0, 1.0] * 3}, {"reduction": red}, exp, rel,
                       "per-row loss is a vector; sum and mean are reductions of it (none returns the sum)"))
        cs.append(case("S8 sparse " + red, "sparseSoftmaxCrossEntropyWithLogits", "both", 3, 3,
                       {"logits": x8, "classes": [2, 2, 2]}, {"reduction": red}, exp, rel))
    # S8 from probabilities: Keras' CategoricalCrossentropy reduces the per-row losses (default: the mean)
    p8 = [float(v) for v in softmax_rows(x8, 3, 3)]
    for red in ("none", "sum", "mean"):
        cs += exact_case("S8 crossEntropy from probabilities " + red, "crossEntropyReduced",
                         {"probabilities": p8, "labels": [0.0, 0.0, 1.0] * 3}, 3, 3,
                         options={"reduction": red}, dtype_dependent=True,
                         outputs=["loss", "value"] if red == "none" else ["value"],
                         note="Keras reduction " + {"none": "none (the sum returned)", "sum": "sum",
                                                    "mean": "sum_over_batch_size, its default"}[red])
    x9 = [0.2, 0.1, 0.05, 0.1, 0.2, 0.02, 0.08, 0.01, 0.01, 0.23]
    cs.append(case("S9 argmax", "argmax", "both", 1, 10, {"x": x9}, None, {"indices": [9]}, None,
                   "the 10th action"))
    cs.append(case("S9 top-2", "topK", "both", 1, 10, {"x": x9}, {"k": 2},
                   {"indices": [9, 0], "values": [Raw("0.23"), Raw("0.2")]}, "exact",
                   "tie 0.2 = 0.2 at indices 0 and 4: lowest index first; the values are the inputs, rounded alike"))
    # S10: the Jacobian of y = softmax(z) for z = [1, 2, 3] and z = [4, -4, 3] (y rounded to the dtype is the input)
    for name, z in (("S10 jacobian z=[1,2,3]", [1.0, 2, 3]), ("S10 jacobian z=[4,-4,3]", [4.0, -4, 3])):
        y = [float(v) for v in softmax_rows(z, 1, 3)]
        jac = jacobian(y)
        for i in range(3):  # symmetric, rows sum to 0: the property the table states
            assert abs(mp.fsum(jac[i * 3:(i + 1) * 3])) < 1e-15  # y is rounded: sum(y) = 1 to 1e-16
        cs += exact_case(name, "jacobian", {"y": y}, 1, 3, note="dy_i/dz_j = y_i ([i = j] - y_j) with y = softmax(z)")
    # S11: cross-entropy from probabilities equals the fused loss on moderate logits; the fused form stays finite
    z = [0.5, -1.25, 2.0]
    p = [float(v) for v in softmax_rows(z, 1, 3)]
    fused = ce_with_logits(z, 1, 3, sparse_targets([0], 3, None, 0, -100)[0], "sum", 1)[2]
    from_p = cross_entropy(p, [1.0, 0, 0], 1, 3, 1e-7, "float64")[0]
    assert abs(fused - from_p) < 1e-15
    cs += exact_case("S11 from probabilities", "crossEntropy", {"probabilities": p, "labels": [1.0, 0.0, 0.0]}, 1, 3,
                     dtype_dependent=True, note="equals S11 fused up to the rounding of softmax(z) to the dtype")
    cs += exact_case("S11 fused", "sparseSoftmaxCrossEntropyWithLogits", {"logits": z, "classes": [0]}, 1, 3,
                     options={"reduction": "sum"})
    cs += exact_case("S11 fused large", "sparseSoftmaxCrossEntropyWithLogits",
                     {"logits": [1000.0, -1000.0], "classes": [1]}, 1, 2, options={"reduction": "sum"},
                     note="loss 2000: finite, where log(softmax) of the unfused form is -inf")
    cs += exact_case("S11 logSoftmax large", "logSoftmax", {"x": [1000.0, -1000.0]}, 1, 2)
    # S12: softmax([z, 0])[0] = sigmoid(z)
    zs = [-30.0, -2.5, 0.0, 0.75, 20.0, 40.0]
    x12 = [v for zz in zs for v in (zz, 0.0)]
    y = softmax_rows(x12, len(zs), 2)
    for i, zz in enumerate(zs):
        assert abs(y[2 * i] - 1 / (1 + mp.exp(-mpf(zz)))) < mpf(10) ** -45
    cs += exact_case("S12 sigmoid", "softmax", {"x": x12}, len(zs), 2, note="softmax([z, 0])[0] = 1 / (1 + e^-z)")
    cs += legal_action_cases()
    return cs


def legal_action_cases():
    """S13, S14: the seed's parser restricted to its legal actions (mask true = legal)."""
    cs = []
    rel = {"relative": SEED_RELATIVE}
    x13 = [1.0, 2.0, 3.0, 4.0, 5.0]
    m13 = [True, True, True, True, False]
    s13 = ["0.0320586032801", "0.087144318742", "0.23688281809", "0.643914259888"]
    l13 = ["-3.44018969856", "-2.44018969856", "-1.44018969856", "-0.440189698561"]
    g13 = ["0.0320586032801", "-0.912855681258", "0.23688281809", "0.643914259888"]
    check_printed("S13 softmax", s13, masked_softmax_rows(x13, m13, 1, 5)[:4], SEED_RELATIVE)
    check_printed("S13 log-softmax", l13, masked_log_softmax_rows(x13, m13, 1, 5)[:4], SEED_RELATIVE)
    check_printed("S13 logsumexp", ["4.44018969856"], masked_log_sum_exp_rows(x13, m13, 1, 5), SEED_RELATIVE)
    t13, d13 = masked_sparse_targets([1], m13, 5, None, 0, -100)
    lo13, gr13, _ = masked_ce_with_logits(x13, m13, 1, 5, t13, "mean", d13)
    check_printed("S13 loss", ["2.44018969856"] + g13, lo13 + gr13[:4], SEED_RELATIVE)
    note13 = "legal actions: action 5 illegal (mask false); it gets probability 0 and no gradient"
    cs.append(case("S13 masked softmax", "maskedSoftmax", "both", 1, 5, {"x": x13, "mask": m13}, None,
                   {"y": [Raw(v) for v in s13] + [Raw("0")]}, rel, note13))
    cs.append(case("S13 masked log-softmax", "maskedLogSoftmax", "both", 1, 5, {"x": x13, "mask": m13}, None,
                   {"y": [Raw(v) for v in l13] + ["-Infinity"]}, rel, note13 + "; log 0 = -inf, never NaN"))
    cs.append(case("S13 masked logsumexp", "maskedLogSumExp", "both", 1, 5, {"x": x13, "mask": m13}, None,
                   {"out": [Raw("4.44018969856")]}, rel))
    # pick the best legal action, the top-2 legal actions: argmax / top-k of the masked log-softmax
    lsm = [float(v) for v in masked_log_softmax_rows(x13, m13, 1, 5)]
    cs.append(case("S13 best legal action", "argmax", "float64", 1, 5, {"x": lsm}, None, {"indices": [3]}, None,
                   "argmax of the masked log-softmax (the S13 maskedLogSoftmax output): action 3, not the illegal 4"))
    cs.append(case("S13 top-2 legal actions", "topK", "float64", 1, 5, {"x": lsm}, {"k": 2},
                   {"indices": [3, 2], "values": [num_in(lsm[3]), num_in(lsm[2])]}, "exact",
                   "top-2 of the masked log-softmax: the illegal action (-inf) is never chosen"))
    # train over legal actions only: true action 1
    cs.append(case("S13 masked sparse cross-entropy", "maskedSparseSoftmaxCrossEntropyWithLogits", "both", 1, 5,
                   {"logits": x13, "mask": m13, "classes": [1]}, None,
                   {"loss": [Raw("2.44018969856")], "gradient": [Raw(v) for v in g13] + [Raw("0")],
                    "value": [Raw("2.44018969856")]}, rel, "train over legal actions only: true action 1"))
    cs.append(case("S13 masked dense cross-entropy", "maskedSoftmaxCrossEntropyWithLogits", "both", 1, 5,
                   {"logits": x13, "mask": m13, "labels": [0.0, 1.0, 0.0, 0.0, 0.0]}, None,
                   {"loss": [Raw("2.44018969856")], "gradient": [Raw(v) for v in g13] + [Raw("0")],
                    "value": [Raw("2.44018969856")]}, rel, "the same with a one-hot label"))
    cs.append(case("S13 illegal true action", "maskedSparseSoftmaxCrossEntropyWithLogits", "both", 1, 5,
                   {"logits": x13, "mask": m13, "classes": [4]}, None, None, None,
                   "a true action that is illegal is an error naming the row", expectError="IllegalArgumentException",
                   messageContains="row 0"))
    cs += exact_case("S13 batch with smoothing and an ignored row", "maskedSparseSoftmaxCrossEntropyWithLogits",
                     {"logits": x13 + [1000.0, -1000.0, 3.0, 0.5, -2.0] + x13,
                      "mask": m13 + [False, True, True, False, True] + [False] * 5, "classes": [1, 2, -100]}, 3, 5,
                     options={"labelSmoothing": "0.1", "reduction": "mean"},
                     note="smoothing spreads 0.1 / K over the K legal actions of each row; the masked 1000 takes no"
                          " probability; an ignored fully masked row adds nothing")
    # S14: a tie among legal actions, and a fully masked row
    x14 = [3.0, 1.0, 3.0, 5.0]
    m14 = [True, True, True, False]
    s14 = ["0.468310530833", "0.063378938333", "0.468310530833"]
    check_printed("S14", s14, masked_softmax_rows(x14, m14, 1, 4)[:3], SEED_RELATIVE)
    cs.append(case("S14 masked softmax", "maskedSoftmax", "both", 1, 4, {"x": x14, "mask": m14}, None,
                   {"y": [Raw(v) for v in s14] + [Raw("0")]}, rel))
    cs.append(case("S14 best legal action", "argmax", "float64", 1, 4,
                   {"x": [float(v) for v in masked_log_softmax_rows(x14, m14, 1, 4)]}, None, {"indices": [0]}, None,
                   "tie of actions 0 and 2: lowest index; the illegal 5 is -inf"))
    cs += exact_case("S14 fully masked row", "maskedLogSoftmax", {"x": x14 * 2, "mask": m14 + [False] * 4}, 2, 4,
                     note="a fully masked row gives -inf everywhere, never NaN")
    cs += exact_case("S14 fully masked logsumexp", "maskedLogSumExp", {"x": x14 * 2, "mask": m14 + [False] * 4}, 2, 4,
                     note="the log of an empty sum: -inf")
    cs += exact_case("S14 fully masked dense cross-entropy", "maskedSoftmaxCrossEntropyWithLogits",
                     {"logits": x14 * 2, "mask": m14 + [False] * 4, "labels": [0.25, 0.0, 0.75, 0.0] + [0.0] * 4},
                     2, 4, options={"reduction": "sum"},
                     note="a row with no legal action: loss 0, gradient 0")
    return cs


# ----------------------------------------------------------------------------------------------- edge.json


def edge_cases():
    cs = []
    E = exact_case
    # large finite logits: exact to rounding, shifted by the max (and shifted before dividing by T)
    cs += E("large 1e4", "softmax", {"x": [10000.0, 10001.0, 10002.0, -10000.0]}, 1, 4)
    cs += E("large 1e4 logSoftmax", "logSoftmax", {"x": [10000.0, 10001.0, 10002.0, -10000.0]}, 1, 4)
    cs += E("large 1e4 logSumExp", "logSumExp", {"x": [10000.0, 10001.0, 10002.0, -10000.0]}, 1, 4)
    cs += E("large 1e4 temperature 1e-3", "softmaxTemperature", {"x": [10000.0, 10000.0009765625]}, 1, 2,
            options={"temperature": Raw("0.001")}, dtype_dependent=True,
            note="(x - max) / T = -0.9765625 / T: dividing x / T first loses it")
    cs += E("large 1e4 sparse CE", "sparseSoftmaxCrossEntropyWithLogits",
            {"logits": [10000.0, 10001.0, -10000.0], "classes": [2]}, 1, 3, options={"reduction": "sum"})
    big = [3e38, -3e38, 3e38, 1e38]
    cs += E("float max", "softmax", {"x": [f32(v) for v in big]}, 1, 4, dtypes=["both"],
            note="+-3e38: x - max overflows float32 but not the float64 accumulation")
    cs += E("float max logSoftmax", "logSoftmax", {"x": [f32(v) for v in big]}, 1, 4, dtypes=["both"],
            note="-6e38 is beyond float32: -Infinity in float32 is the correctly rounded result")
    cs += E("float max logSumExp", "logSumExp", {"x": [f32(3e38), f32(3e38), f32(-3e38), f32(-3e38)]}, 2, 2,
            dtypes=["both"])
    cs += E("float max sparse CE", "sparseSoftmaxCrossEntropyWithLogits",
            {"logits": [f32(3e38), f32(-3e38), f32(3e38), f32(-3e38)], "classes": [1, 0]}, 2, 2,
            options={"reduction": "none"}, dtypes=["both"],
            note="row 0: loss 6e38 (Infinity in float32), gradient [1, -1]; row 1: loss 0, gradient 0")
    cs += E("float64 max", "softmax", {"x": [1.7e308, -1.7e308, 1.7e308]}, 1, 3, dtypes=["float64"])
    cs += E("float64 max logSoftmax", "logSoftmax", {"x": [1.7e308, -1.7e308, 1.0e308]}, 1, 3, dtypes=["float64"])
    # some -inf entries
    xi = [-INF, 0.0, 1.0, -INF]
    cs += E("-inf entries", "softmax", {"x": xi}, 1, 4, note="exactly 0 at -inf")
    cs += E("-inf entries logSoftmax", "logSoftmax", {"x": xi}, 1, 4)
    cs += E("-inf entries logSumExp", "logSumExp", {"x": xi}, 1, 4)
    cs += E("-inf entries sparse CE", "sparseSoftmaxCrossEntropyWithLogits", {"logits": xi, "classes": [2]}, 1, 4,
            options={"reduction": "sum"}, note="gradient exactly 0 at -inf")
    cs += E("-inf entries temperature", "softmaxTemperature", {"x": xi}, 1, 4, options={"temperature": Raw("0.5")})
    y0 = [0.0] + [float(v) for v in softmax_rows([0.0, 1.0, 2.0], 1, 3)]
    cs += E("-inf entries softmaxBackward", "softmaxBackward", {"y": y0, "dy": [0.5, -1.0, 2.0, 0.25]}, 1, 4,
            note="y = 0 where the logit was -inf: dx exactly 0 there")
    lp = [-INF] + [float(v) for v in log_softmax_rows([0.0, 1.0, 2.0], 1, 3)]
    cs += E("-inf entries logSoftmaxBackward", "logSoftmaxBackward", {"logp": lp, "dlogp": [0.5, -1.0, 2.0, 0.25]},
            1, 4, note="exp(-inf) = 0: dlogp passes through")
    # a row of all -inf, next to an ordinary row
    xa = [-INF, -INF, -INF, 1.0, 2.0, 3.0]
    cs.append(case("all -inf row", "softmax", "both", 2, 3, {"x": xa}, None,
                   {"y": ["NaN"] * 3 + outs(softmax_rows([1.0, 2, 3], 1, 3))}, None, "NaN row; the other row intact"))
    cs.append(case("all -inf row logSoftmax", "logSoftmax", "both", 2, 3, {"x": xa}, None,
                   {"y": ["NaN"] * 3 + outs(log_softmax_rows([1.0, 2, 3], 1, 3))}))
    cs.append(case("all -inf row logSumExp", "logSumExp", "both", 2, 3, {"x": xa}, None,
                   {"out": ["-Infinity"] + outs(log_sum_exp_rows([1.0, 2, 3], 1, 3))}))
    cs.append(case("fully masked row", "maskedSoftmax", "both", 2, 3,
                   {"x": [1.0, 2.0, 3.0, 1.0, NAN, 3.0], "mask": [False, False, False, True, False, True]}, None,
                   {"y": outs([0, 0, 0]) + outs(masked_softmax_rows([1.0, NAN, 3.0], [True, False, True], 1, 3))},
                   None, "fully masked: zeros, never NaN; masked-out NaN is ignored"))
    cs.append(case("fully masked row backward", "softmaxBackward", "both", 1, 3,
                   {"y": [0.0, 0.0, 0.0], "dy": [1.0, -2.0, 3.0]}, None, {"dx": outs([0, 0, 0])}, None,
                   "the softmax output of a fully masked row (zeros) gives a zero gradient"))
    cs += E("masked -inf and +inf ignored", "maskedSoftmax",
            {"x": [INF, 1.0, -INF, 2.0], "mask": [False, True, False, True]}, 1, 4)
    # NaN in a row: that row NaN, the others untouched; argmax counts NaN as the maximum
    xn = [1.0, NAN, 3.0, 1.0, 2.0, 3.0]
    cs.append(case("NaN row", "softmax", "both", 2, 3, {"x": xn}, None,
                   {"y": ["NaN"] * 3 + outs(softmax_rows([1.0, 2, 3], 1, 3))}))
    cs.append(case("NaN row logSoftmax", "logSoftmax", "both", 2, 3, {"x": xn}, None,
                   {"y": ["NaN"] * 3 + outs(log_softmax_rows([1.0, 2, 3], 1, 3))}))
    cs.append(case("NaN row logSumExp", "logSumExp", "both", 3, 2, {"x": [NAN, 1.0, NAN, INF, 1.0, 2.0]}, None,
                   {"out": ["NaN", "NaN"] + outs(log_sum_exp_rows([1.0, 2.0], 1, 2))}, None,
                   "NaN wins over +inf"))
    cs.append(case("NaN row temperature", "softmaxTemperature", "both", 2, 3, {"x": xn}, {"temperature": Raw("2")},
                   {"y": ["NaN"] * 3 + outs(softmax_rows([1.0, 2, 3], 1, 3, 2.0))}))
    cs += E("NaN row sparse CE", "sparseSoftmaxCrossEntropyWithLogits", {"logits": xn, "classes": [0, 2]}, 2, 3,
            options={"reduction": "none"})
    cs.append(case("NaN argmax", "argmax", "both", 2, 4, {"x": [1.0, NAN, 3.0, NAN, 5.0, 1.0, 5.0, 2.0]}, None,
                   {"indices": [1, 0]}, None, "the first NaN wins; ties to the lowest index"))
    cs.append(case("NaN topK", "topK", "both", 1, 4, {"x": [1.0, NAN, 3.0, NAN]}, {"k": 3},
                   {"indices": [1, 3, 2], "values": ["NaN", "NaN", Raw("3")]}, None, "NaN above everything, stable"))
    # +inf in a row
    xp = [1.0, INF, 2.0]
    cs.append(case("+inf row", "softmax", "both", 1, 3, {"x": xp}, None, {"y": ["NaN"] * 3}))
    cs.append(case("+inf row logSoftmax", "logSoftmax", "both", 1, 3, {"x": xp}, None, {"y": ["NaN"] * 3}))
    cs.append(case("+inf row logSumExp", "logSumExp", "both", 2, 3, {"x": xp + [-INF, INF, 0.0]}, None,
                   {"out": ["Infinity", "Infinity"]}))
    cs.append(case("+inf argmax", "argmax", "both", 1, 3, {"x": xp}, None, {"indices": [1]}))
    # rows = 0: nothing written, no error; a reduction gives 0 (sum, none) or NaN (mean)
    for op in ("softmax", "logSoftmax", "logSumExp", "argmax"):
        cs.append(case("rows=0 " + op, op, "both", 0, 3, {"x": []}, None, {}))
    cs.append(case("rows=0 softmaxTemperature", "softmaxTemperature", "both", 0, 3, {"x": []}, {"temperature": 2},
                   {}))
    cs.append(case("rows=0 maskedSoftmax", "maskedSoftmax", "both", 0, 3, {"x": [], "mask": []}, None, {}))
    cs.append(case("rows=0 softmaxBackward", "softmaxBackward", "both", 0, 3, {"y": [], "dy": []}, None, {}))
    cs.append(case("rows=0 logSoftmaxBackward", "logSoftmaxBackward", "both", 0, 3, {"logp": [], "dlogp": []}, None,
                   {}))
    cs.append(case("rows=0 crossEntropy", "crossEntropy", "both", 0, 3, {"probabilities": [], "labels": []}, None,
                   {}))
    cs.append(case("rows=0 topK", "topK", "both", 0, 3, {"x": []}, {"k": 2}, {"indices": [], "values": []}))
    for red, v in (("none", "0"), ("sum", "0"), ("mean", "NaN")):
        val = [Raw(v)] if v != "NaN" else ["NaN"]
        cs.append(case("rows=0 dense CE " + red, "softmaxCrossEntropyWithLogits", "both", 0, 3,
                       {"logits": [], "labels": []}, {"reduction": red}, {"loss": [], "gradient": [], "value": val}))
        cs.append(case("rows=0 sparse CE " + red, "sparseSoftmaxCrossEntropyWithLogits", "both", 0, 3,
                       {"logits": [], "classes": []}, {"reduction": red}, {"loss": [], "gradient": [], "value": val}))
    cs.append(case("m=0 matmul", "matmul", "both", None, None, {"a": [], "b": [1.0, 2.0, 3.0]}, None, {"c": []},
                   m=0, k=1, n=3))
    cs.append(case("k=0 matmul", "matmul", "both", None, None, {"a": [], "b": [], "c": [1.0, -2.0]},
                   {"beta": Raw("0.5")}, {"c": outs([0.5, -1.0])}, None, "k = 0: C = beta * C", m=1, k=0, n=2))
    cs.append(case("k=0 matmul beta 0", "matmul", "both", None, None, {"a": [], "b": []}, None, {"c": outs([0, 0])},
                   None, "k = 0, beta = 0: C = 0 (the NaN canary in C is not read)", m=2, k=0, n=1))
    # cols = 0
    cs.append(case("cols=0 softmax", "softmax", "both", 2, 0, {"x": []}, None, {"y": []}, None, "nothing written"))
    cs.append(case("cols=0 logSoftmax", "logSoftmax", "both", 2, 0, {"x": []}, None, {"y": []}))
    cs.append(case("cols=0 logSumExp", "logSumExp", "both", 2, 0, {"x": []}, None,
                   {"out": ["-Infinity", "-Infinity"]}, None, "the log of an empty sum"))
    cs.append(case("cols=1 jacobian", "jacobian", "both", 1, 1, {"y": [1.0]}, None, {"jacobian": outs([0])}))
    cs += E("one-hot jacobian", "jacobian", {"y": [0.0, 1.0, 0.0]}, 1, 3, note="saturated softmax: all zeros")
    cs += E("jacobian with a tiny entry", "jacobian", {"y": [0.75, 0.25 - 2.0 ** -30, 2.0 ** -30]}, 1, 3)
    cs.append(case("cols=0 jacobian", "jacobian", "both", 1, 0, {"y": []}, None, {"jacobian": []}))
    cs.append(case("cols=0 topK k=0", "topK", "both", 2, 0, {"x": []}, {"k": 0}, {"indices": []}))
    cs.append(case("cols=0 crossEntropy", "crossEntropy", "both", 1, 0, {"probabilities": [], "labels": []}, None,
                   None, expectError="IllegalArgumentException", messageContains="cols"))
    cs.append(case("cols=0 dense CE", "softmaxCrossEntropyWithLogits", "both", 1, 0, {"logits": [], "labels": []},
                   None, None, expectError="IllegalArgumentException", messageContains="cols"))
    cs.append(case("cols=0 sparse CE", "sparseSoftmaxCrossEntropyWithLogits", "both", 1, 0,
                   {"logits": [], "classes": [0]}, None, None, expectError="IllegalArgumentException",
                   messageContains="cols"))
    cs.append(case("cols=0 argmax", "argmax", "both", 1, 0, {"x": []}, None, None,
                   expectError="IllegalArgumentException", messageContains="cols"))
    cs.append(case("cols=0 rows=0 argmax", "argmax", "both", 0, 0, {"x": []}, None, {"indices": []}, None,
                   "no rows: nothing to choose, no error"))
    # cols = 1
    cs.append(case("cols=1 softmax", "softmax", "both", 3, 1, {"x": [5.0, -1e30, f32(3e38)]}, None,
                   {"y": outs([1, 1, 1])}))
    cs.append(case("cols=1 logSoftmax", "logSoftmax", "both", 2, 1, {"x": [7.0, -1e30]}, None, {"y": outs([0, 0])}))
    cs.append(case("cols=1 dense CE", "softmaxCrossEntropyWithLogits", "both", 2, 1,
                   {"logits": [7.0, -3.0], "labels": [1.0, 1.0]}, {"reduction": "sum"},
                   {"loss": outs([0, 0]), "gradient": outs([0, 0]), "value": outs([0])}))
    cs.append(case("cols=1 sparse CE", "sparseSoftmaxCrossEntropyWithLogits", "both", 2, 1,
                   {"logits": [7.0, -3.0], "classes": [0, 0]}, None,
                   {"loss": outs([0, 0]), "gradient": outs([0, 0]), "value": outs([0])}))
    cs.append(case("cols=1 argmax", "argmax", "both", 2, 1, {"x": [7.0, NAN]}, None, {"indices": [0, 0]}))
    # dense labels not summing to 1: no renormalisation, gradient sum(l) * softmax - l
    cs += E("labels sum 1.5", "softmaxCrossEntropyWithLogits", {"logits": [1.0, 2.0, 3.0], "labels": [0.5, 0.25, 0.75]},
            1, 3, options={"reduction": "sum"})
    cs += E("labels sum 0.5 mean", "softmaxCrossEntropyWithLogits",
            {"logits": [1.0, 2.0, 3.0, -1.0, 0.0, 1.0], "labels": [0.25, 0.0, 0.25, 0.0, 0.5, 0.0]}, 2, 3,
            options={"reduction": "mean"})
    # dense label 0 on a -inf logit contributes 0; a positive label there gives +inf
    cs += E("zero label on -inf", "softmaxCrossEntropyWithLogits",
            {"logits": [-INF, 1.0, 2.0], "labels": [0.0, 0.5, 0.5]}, 1, 3, options={"reduction": "sum"})
    cs += E("positive label on -inf", "softmaxCrossEntropyWithLogits",
            {"logits": [-INF, 1.0, 2.0, 0.0, 1.0, 2.0], "labels": [0.5, 0.5, 0.0, 0.0, 0.0, 1.0]}, 2, 3,
            options={"reduction": "none"}, note="loss +inf; the gradient is still p * sum(l) - l")
    # class index out of range: an error naming the row, before anything is written
    for cid, classes, row in (("class = cols", [0, 3], "row 1"), ("class -1", [-1, 0], "row 0"),
                              ("class 7 mean", [1, 7], "row 1")):
        cs.append(case(cid, "sparseSoftmaxCrossEntropyWithLogits", "both", 2, 3,
                       {"logits": [1.0, 2.0, 3.0, 1.0, 2.0, 3.0], "classes": classes}, {"reduction": "none"},
                       None, expectError="IllegalArgumentException",
                       messageContains=row))
    # ignore index
    lg = [1.0, 2.0, 3.0, 0.5, -1.0, 2.0, 3.0, 0.0, -2.0]
    for red in ("none", "sum", "mean"):
        cs += E("ignore index " + red, "sparseSoftmaxCrossEntropyWithLogits", {"logits": lg, "classes": [2, -100, 0]},
                3, 3, options={"reduction": red}, note="the ignored row: loss 0, gradient 0, not counted by mean")
    cs += E("ignore index custom", "sparseSoftmaxCrossEntropyWithLogits", {"logits": lg, "classes": [1, 2, 1]}, 3, 3,
            options={"reduction": "mean", "ignoreIndex": 1}, note="a valid class can be the ignore index")
    cs.append(case("all ignored mean", "sparseSoftmaxCrossEntropyWithLogits", "both", 2, 3,
                   {"logits": lg[:6], "classes": [-100, -100]}, {"reduction": "mean"},
                   {"loss": outs([0, 0]), "gradient": outs([0] * 6), "value": ["NaN"]}, None,
                   "mean of nothing: NaN, and a zero gradient"))
    cs.append(case("all ignored sum", "sparseSoftmaxCrossEntropyWithLogits", "both", 2, 3,
                   {"logits": lg[:6], "classes": [-100, -100]}, {"reduction": "sum"},
                   {"loss": outs([0, 0]), "gradient": outs([0] * 6), "value": outs([0])}))
    # class weights with mean
    w = [Raw("0.5"), Raw("2"), Raw("1.25")]
    cs += E("weights sparse mean", "sparseSoftmaxCrossEntropyWithLogits", {"logits": lg, "classes": [2, 1, 0]}, 3, 3,
            options={"reduction": "mean", "classWeights": w}, note="PyTorch: sum(w[t] * nll) / sum(w[t])")
    cs += E("weights dense mean", "softmaxCrossEntropyWithLogits",
            {"logits": lg, "labels": [0.0, 0.0, 1.0, 0.0, 1.0, 0.0, 1.0, 0.0, 0.0]}, 3, 3,
            options={"reduction": "mean", "classWeights": w}, note="dense labels: weighted terms divided by rows")
    cs += E("weights sparse mean with ignore", "sparseSoftmaxCrossEntropyWithLogits",
            {"logits": lg, "classes": [2, -100, 0]}, 3, 3, options={"reduction": "mean", "classWeights": w})
    # label smoothing
    for red in ("none", "sum", "mean"):
        cs += E("smoothing 0.25 sparse " + red, "sparseSoftmaxCrossEntropyWithLogits",
                {"logits": lg, "classes": [2, -100, 1]}, 3, 3,
                options={"reduction": red, "labelSmoothing": Raw("0.25"), "classWeights": w},
                note="PyTorch: (1 - e) * nll + e / C * sum over classes, weights included, ignored rows excluded")
        cs += E("smoothing 0.25 dense " + red, "softmaxCrossEntropyWithLogits",
                {"logits": lg, "labels": [0.0, 0.0, 1.0, 0.5, 0.5, 0.0, 0.0, 1.0, 0.0]}, 3, 3,
                options={"reduction": red, "labelSmoothing": Raw("0.25"), "classWeights": w})
    cs += E("smoothing 1", "sparseSoftmaxCrossEntropyWithLogits", {"logits": lg[:3], "classes": [0]}, 1, 3,
            options={"labelSmoothing": Raw("1")}, note="e = 1: the uniform target")
    for cid, e in (("smoothing 1.5", Raw("1.5")), ("smoothing -0.1", Raw("-0.1")), ("smoothing NaN", "NaN")):
        cs.append(case(cid, "sparseSoftmaxCrossEntropyWithLogits", "both", 1, 3,
                       {"logits": lg[:3], "classes": [0]}, {"labelSmoothing": e}, None,
                       expectError="IllegalArgumentException", messageContains="labelSmoothing"))
    cs.append(case("class weights length", "sparseSoftmaxCrossEntropyWithLogits", "both", 1, 3,
                   {"logits": lg[:3], "classes": [0]}, {"classWeights": w[:2]}, None,
                   expectError="IllegalArgumentException", messageContains="classWeights"))
    # Keras cross-entropy from probabilities
    cs += E("keras normalises", "crossEntropy", {"probabilities": [2.0, 6.0, 1.0, 1.0], "labels": [0.0, 1.0, 1.0, 0.0]},
            2, 2, dtype_dependent=True, note="rows divided by their sums: [0.25, 0.75], [0.5, 0.5]")
    cs += E("keras clip low", "crossEntropy", {"probabilities": [0.0, 1.0], "labels": [1.0, 0.0]}, 1, 2,
            dtype_dependent=True, note="p = 0 is clipped to eps rounded to the dtype: -log(eps)")
    cs += E("keras clip high", "crossEntropy", {"probabilities": [0.0, 1.0], "labels": [0.0, 1.0]}, 1, 2,
            dtype_dependent=True,
            note="p = 1 is clipped to 1 - eps computed in the dtype (Keras): float32 0.99999988, float64 0.9999999")
    cs += E("keras eps 0.01", "crossEntropy",
            {"probabilities": [0.001, 0.5, 0.499, 0.3, 0.3, 0.4], "labels": [0.5, 0.25, 0.25, 0.0, 1.0, 0.0]}, 2, 3,
            options={"eps": Raw("0.01")}, dtype_dependent=True)
    cs.append(case("keras all-zero row", "crossEntropy", "both", 2, 2,
                   {"probabilities": [0.0, 0.0, 0.5, 0.5], "labels": [1.0, 0.0, 1.0, 0.0]}, None,
                   {"loss": ["NaN"] + outs([mp.log(2)])}, None, "0 / 0: NaN; the other row intact"))
    cs += E("keras eps 0", "crossEntropy", {"probabilities": [0.0, 1.0, 0.25, 0.75], "labels": [1.0, 0.0, 0.0, 1.0]},
            2, 2, options={"eps": Raw("0")}, dtype_dependent=True, note="eps = 0: log(0) = -inf, loss +inf")
    cs.append(case("keras eps 0.5", "crossEntropy", "both", 1, 2, {"probabilities": [0.5, 0.5], "labels": [1.0, 0.0]},
                   {"eps": Raw("0.5")}, None, expectError="IllegalArgumentException", messageContains="eps"))
    # argmax / top-k: ties to the lowest index, stable, -0.0 ties 0.0, k = 0 empty, k > C an error
    cs.append(case("argmax ties", "argmax", "both", 3, 3, {"x": [3.0, 1.0, 3.0, -0.0, 0.0, -1.0, 2.0, 2.0, 2.0]},
                   None, {"indices": [0, 0, 0]}, None, "-0.0 and 0.0 tie"))
    cs.append(case("argmax -0.0 after 0.0", "argmax", "both", 1, 2, {"x": [0.0, -0.0]}, None, {"indices": [0]}))
    cs.append(case("topK ties stable", "topK", "both", 1, 5, {"x": [1.0, 3.0, 1.0, 3.0, 2.0]}, {"k": 5},
                   {"indices": [1, 3, 4, 0, 2], "values": outs([3, 3, 2, 1, 1])}))
    cs.append(case("topK indices only", "topK", "both", 2, 3, {"x": [1.0, 3.0, 2.0, -INF, -1.0, -INF]}, {"k": 2},
                   {"indices": [1, 2, 1, 0]}, None, "values = null: only the indices are written"))
    cs.append(case("topK k=0", "topK", "both", 2, 3, {"x": [1.0, 3.0, 2.0, 0.0, 1.0, 2.0]}, {"k": 0},
                   {"indices": [], "values": []}))
    cs.append(case("topK k>C", "topK", "both", 1, 3, {"x": [1.0, 3.0, 2.0]}, {"k": 4}, None,
                   expectError="IllegalArgumentException", messageContains="k"))
    # subnormal results are kept
    cs.append(case("subnormal softmax float64", "softmax", "float64", 1, 2, {"x": [-745.0, 0.0]}, None,
                   {"y": [Raw("4.9406564584124654e-324"), Raw("1")]}, "exact",
                   "exp(-745) / (1 + exp(-745)) = 2.8e-324 rounds to the smallest subnormal, never to 0"))
    cs += E("subnormal softmax float32", "softmax", {"x": [-100.0, 0.0, -90.0]}, 1, 3, dtypes=["float32"],
            note="3.7e-44 and 8.2e-40 are float32 subnormals")
    cs += E("subnormal softmax float64 row", "softmax", {"x": [-740.0, 0.0, -720.0, -700.0]}, 1, 4,
            dtypes=["float64"])
    cs += E("subnormal inputs", "softmax", {"x": [5e-324, 0.0, -5e-324, 1e-310]}, 1, 4, dtypes=["float64"])
    # tiny gradient tails: 1 - p_max as the sum of the other probabilities
    for dt in ("float32", "float64"):
        x = [rnd(37.43, dt), 0.0]
        cs += E("tail gradient sparse " + dt, "sparseSoftmaxCrossEntropyWithLogits", {"logits": x, "classes": [0]},
                1, 2, options={"reduction": "sum"}, dtypes=[dt], tolerance={"ulps": 5},
                note="about -+5.55e-17, not 0: held to 5 ulp (the bound without its scale term)")
        cs += E("tail gradient dense " + dt, "softmaxCrossEntropyWithLogits",
                {"logits": x, "labels": [1.0, 0.0]}, 1, 2, options={"reduction": "sum"}, dtypes=[dt],
                tolerance={"ulps": 5})
        cs += E("tail logSoftmax " + dt, "logSoftmax", {"x": x}, 1, 2, dtypes=[dt],
                note="log p_max = -5.55e-17: log1p of the others' sum, not log(1) = 0")
    # bad arguments the table mentions through the API contract
    cs.append(case("temperature 0", "softmaxTemperature", "both", 1, 2, {"x": [1.0, 2.0]}, {"temperature": Raw("0")},
                   None, expectError="IllegalArgumentException", messageContains="temperature"))
    return cs


# ----------------------------------------------------------------------------------------------- reference.json

SIZES = [(1, 1), (1, 3), (3, 5), (7, 33)]


def normals(rng, n, sigma=3.0):
    return [rng.gauss(0, sigma) for _ in range(n)]


def random_case_inputs(op, rng, rows, cols, dtype):
    n = rows * cols
    r = lambda vals: [rnd(v, dtype) for v in vals]
    if op in ("softmax", "softmaxTemperature", "logSoftmax", "logSumExp", "argmax", "topK"):
        return {"x": r(normals(rng, n))}
    if op == "maskedSoftmax":
        mask = [rng.random() < 0.7 for _ in range(n)]
        if rows > 1:
            mask[cols:2 * cols] = [False] * cols  # one fully masked row
        return {"x": r(normals(rng, n)), "mask": mask}
    if op == "softmaxBackward":
        y = r([float(v) for v in softmax_rows(normals(rng, n), rows, cols)])
        return {"y": y, "dy": r(normals(rng, n, 1.0))}
    if op == "logSoftmaxBackward":
        lp = r([float(v) for v in log_softmax_rows(normals(rng, n), rows, cols)])
        return {"logp": lp, "dlogp": r(normals(rng, n, 1.0))}
    if op == "jacobian":
        return {"y": r([float(v) for v in softmax_rows(normals(rng, cols), 1, cols)])}
    if op == "crossEntropy":
        p = r([rng.uniform(0.01, 1) for _ in range(n)])
        return {"probabilities": p, "labels": r([rng.uniform(0, 1) for _ in range(n)])}
    if op == "softmaxCrossEntropyWithLogits":
        labels = []
        for _ in range(rows):
            raw = [rng.random() for _ in range(cols)]
            s = sum(raw)
            labels += [v / s for v in raw]
        return {"logits": r(normals(rng, n)), "labels": r(labels)}
    if op == "sparseSoftmaxCrossEntropyWithLogits":
        return {"logits": r(normals(rng, n)), "classes": [rng.randrange(cols) for _ in range(rows)]}
    raise ValueError(op)


ROW_OPS = ["softmax", "softmaxTemperature", "maskedSoftmax", "logSoftmax", "logSumExp", "softmaxBackward",
           "logSoftmaxBackward", "jacobian", "crossEntropy", "softmaxCrossEntropyWithLogits",
           "sparseSoftmaxCrossEntropyWithLogits", "argmax", "topK"]


def reference_cases():
    cs = []
    for oi, op in enumerate(ROW_OPS):
        for dt in ("float32", "float64"):
            for si, (rows, cols) in enumerate(SIZES):
                rng = random.Random(1000 * oi + 10 * si + (1 if dt == "float32" else 2))
                if op == "jacobian":
                    rows = 1
                ins = random_case_inputs(op, rng, rows, cols, dt)
                opts = None
                if op == "softmaxTemperature":
                    opts = {"temperature": Raw(repr(rnd(0.7, dt)))}
                if op == "topK":
                    opts = {"k": min(cols, 3)}
                if op in ("softmaxCrossEntropyWithLogits", "sparseSoftmaxCrossEntropyWithLogits"):
                    opts = {"reduction": ["none", "sum", "mean"][si % 3]}
                cid = "random %s %dx%d %s" % (op, rows, cols, dt)
                cs.append(case(cid, op, dt, rows, cols, ins, opts, compute(op, ins, rows, cols, opts or {}, dt, {})))
        # one case per op in the reference set is enough to name; matmul follows
    for op in ("matmul", "matmulTransA", "matmulTransB"):
        for dt in ("float32", "float64"):
            for si, (m, k, n) in enumerate([(1, 1, 1), (1, 3, 2), (3, 5, 4), (7, 33, 10)]):
                rng = random.Random(50000 + 10 * si + (1 if dt == "float32" else 2)
                                    + {"matmul": 0, "matmulTransA": 100, "matmulTransB": 200}[op])
                ins = {"a": [rnd(v, dt) for v in normals(rng, m * k, 1.0)],
                       "b": [rnd(v, dt) for v in normals(rng, k * n, 1.0)]}
                opts = {}
                if si % 2 == 1:
                    ins["c"] = [rnd(v, dt) for v in normals(rng, m * n, 1.0)]
                    opts = {"alpha": Raw(repr(rnd(0.75, dt))), "beta": Raw(repr(rnd(-1.5, dt)))}
                cid = "random %s %dx%dx%d %s" % (op, m, k, n, dt)
                cs.append(case(cid, op, dt, None, None, ins, opts or None,
                               compute(op, ins, None, None, opts, dt, {"m": m, "k": k, "n": n}), m=m, k=k, n=n))
    cs += extreme_cases()
    return cs


def extreme_cases():
    cs = []
    rng = random.Random(777)
    for dt in ("float32", "float64"):
        # logits +-1e4 spread, and 1e4 plus small offsets (non-trivial probabilities)
        spread = [rnd(rng.uniform(-1e4, 1e4), dt) for _ in range(15)]
        near = [rnd(1e4 + rng.gauss(0, 2), dt) for _ in range(15)]
        for name, x in (("+-1e4", spread), ("1e4+offsets", near)):
            for op in ("softmax", "logSoftmax", "logSumExp"):
                cs.append(case("extreme %s %s %s" % (op, name, dt), op, dt, 3, 5, {"x": x}, None,
                               compute(op, {"x": x}, 3, 5, {}, dt, {})))
            ins = {"logits": x, "classes": [rng.randrange(5) for _ in range(3)]}
            cs.append(case("extreme sparse CE %s %s" % (name, dt), "sparseSoftmaxCrossEntropyWithLogits", dt, 3, 5,
                           ins, {"reduction": "sum"},
                           compute("sparseSoftmaxCrossEntropyWithLogits", ins, 3, 5, {"reduction": "sum"}, dt, {})))
        # float32 max range
        if dt == "float32":
            x = [f32(rng.uniform(-3e38, 3e38)) for _ in range(15)]
            x[3] = f32(3e38)
            x[7] = f32(-3e38)
            for op in ("softmax", "logSoftmax", "logSumExp", "argmax"):
                cs.append(case("extreme %s +-3e38 float32" % op, op, dt, 3, 5, {"x": x}, None,
                               compute(op, {"x": x}, 3, 5, {}, dt, {})))
        # one-ulp differences
        for base in (1.0, 100.0, 1e4):
            a = rnd(base, dt)
            step = (lambda v: float(np.nextafter(np.float32(v), np.float32(INF)))) if dt == "float32" else \
                (lambda v: math.nextafter(v, INF))
            x = [a, step(a), step(step(a)), a]
            for op in ("softmax", "logSoftmax", "softmaxTemperature"):
                opts = {"temperature": Raw(repr(rnd(1e-3, dt)))} if op == "softmaxTemperature" else {}
                cs.append(case("extreme %s one-ulp at %g %s" % (op, base, dt), op, dt, 1, 4, {"x": x}, opts or None,
                               compute(op, {"x": x}, 1, 4, opts, dt, {})))
        # subnormals: subnormal results, and subnormal inputs to the gradients and products
        tiny = 1e-40 if dt == "float32" else 1e-310
        low = -95.0 if dt == "float32" else -735.0
        x = [rnd(v, dt) for v in (low, 0.0, low + 3, low - 5, 1.0)]
        for op in ("softmax", "logSoftmax"):
            cs.append(case("extreme %s subnormal results %s" % (op, dt), op, dt, 1, 5, {"x": x}, None,
                           compute(op, {"x": x}, 1, 5, {}, dt, {})))
        ins = {"y": [rnd(v, dt) for v in (tiny, 0.5, 0.5 - tiny, 3 * tiny)],
               "dy": [rnd(v, dt) for v in (1.0, -tiny, 2.0, -1.0)]}
        cs.append(case("extreme softmaxBackward subnormal %s" % dt, "softmaxBackward", dt, 1, 4, ins, None,
                       compute("softmaxBackward", ins, 1, 4, {}, dt, {})))
        ins = {"a": [rnd(v, dt) for v in (tiny, 1.0, -tiny, 2.0)], "b": [rnd(v, dt) for v in (1.0, tiny, 3.0, -tiny)]}
        cs.append(case("extreme matmul subnormal %s" % dt, "matmul", dt, None, None, ins, None,
                       compute("matmul", ins, None, None, {}, dt, {"m": 2, "k": 2, "n": 2}), m=2, k=2, n=2))
        # temperature 1e-3 and 1e3
        for t in (1e-3, 1e3):
            x = [rnd(v, dt) for v in normals(rng, 15, 1.0)]
            opts = {"temperature": Raw(repr(rnd(t, dt)))}
            cs.append(case("extreme temperature %g %s" % (t, dt), "softmaxTemperature", dt, 3, 5, {"x": x}, opts,
                           compute("softmaxTemperature", {"x": x}, 3, 5, opts, dt, {})))
        # weights + smoothing + ignore index with each reduction
        w = [Raw(repr(f32(v))) for v in (0.3, 1.0, 2.5, 0.7, 1.9)]
        for red in ("none", "sum", "mean"):
            logits = [rnd(v, dt) for v in normals(rng, 20)]
            opts = {"reduction": red, "classWeights": w, "labelSmoothing": Raw(repr(f32(0.1))), "ignoreIndex": 7}
            opts_sparse = dict(opts)
            ins = {"logits": logits, "classes": [rng.randrange(5), 7, rng.randrange(5), 7]}
            cs.append(case("extreme sparse CE weights+smoothing+ignore %s %s" % (red, dt),
                           "sparseSoftmaxCrossEntropyWithLogits", dt, 4, 5, ins, opts_sparse,
                           compute("sparseSoftmaxCrossEntropyWithLogits", ins, 4, 5, opts_sparse, dt, {})))
            labels = [rnd(rng.random(), dt) for _ in range(20)]
            ins = {"logits": logits, "labels": labels}
            opts_dense = {k: v for k, v in opts.items() if k != "ignoreIndex"}
            cs.append(case("extreme dense CE weights+smoothing %s %s" % (red, dt), "softmaxCrossEntropyWithLogits",
                           dt, 4, 5, ins, opts_dense,
                           compute("softmaxCrossEntropyWithLogits", ins, 4, 5, opts_dense, dt, {})))
    return cs


def main():
    check = "--check" in sys.argv[1:]
    source = ("tools/gen_reference_cases.py (mpmath %s, numpy %s); see conformance/CASES.md"
              % (mpmath.__version__, np.__version__))
    write("seed.json", "The worked examples S1-S14 of the seed table; S1-S9, S13, S14 with the table's 12-digit values. "
          + "Generated by " + source, seed_cases(), check)
    write("edge.json", "Every row of the edge-case table in org/softmax4j/package-info.java. Generated by " + source,
          edge_cases(), check)
    write("reference.json", "Seeded random and extreme inputs, expected values from mpmath at 400 digits. Generated by " + source,
          reference_cases(), check)


if __name__ == "__main__":
    main()
