"""Lesson 09 (neural networks and SVMs) exercises: counting a network's parameters, finding
the wrong gradients with a gradient check, one backpropagation step through ReLU, the
support vectors of a linear SVM, and when a neural network is worth it."""

from __future__ import annotations

import functools

import numpy as np
import pandas as pd

from mkt_lessons import constants, data
from mkt_lessons.exercises import (
    FunctionProblem,
    ThoughtProblem,
    ValueProblem,
    collect,
    solutions_printer,
)

SVM_C, SVM_EPOCHS = 0.01, 2000  # the lesson's linear SVM (section 5)
HIDDEN = (16, 8)                 # the network of exercise 1
N_INPUTS = 33                    # columns of the lesson's feature matrix


# --------------------------------------------------------------------------- notebook state
@functools.lru_cache(maxsize=1)
def _train_state():
    """The lesson's training matrix, labels and fitted linear SVM (as in notebook 09)."""
    from mkt_lessons import features, neural

    orders, products = data.load_orders(), data.load_products()
    attrs = data.load_customers().set_index("customer_id")[["region", "acquisition_channel"]]
    X = (features.customer_features(orders, constants.TRAIN_CUTOFF, products=products)
         .astype("float64").join(attrs))
    y = features.churn_labels(orders, constants.TRAIN_CUTOFF, constants.CHURN_HORIZON_DAYS)
    numeric = [c for c in X.columns if c not in attrs.columns]
    Z = features.feature_pipeline(numeric, list(attrs.columns)).fit_transform(X)
    svm = neural.LinearSVM(C=SVM_C, max_epochs=SVM_EPOCHS).fit(Z, y)
    return Z, y, svm


def _random_network(seed: int = 0):
    """The random starting weights of notebook 09, section 2 (He / Glorot uniform)."""
    rng = np.random.default_rng(seed)
    W1 = rng.uniform(-1, 1, size=(N_INPUTS, 16)) * np.sqrt(6 / N_INPUTS)
    W2 = rng.uniform(-1, 1, size=(16, 1)) * np.sqrt(6 / 17)
    return [W1, W2], [np.zeros(16), np.zeros(1)]


def namespace() -> dict:
    """The variables notebook 09 has when its exercises start."""
    from mkt_lessons import neural

    Z, y, svm = _train_state()
    (W1, W2), (b1, b2) = _random_network()
    return {"np": np, "pd": pd, "neural": neural, "Z_tr": Z.copy(), "y_tr": y.copy(),
            "y": y.to_numpy().copy(), "svm": svm, "W1": W1, "W2": W2, "b1": b1, "b2": b2,
            "candidates": candidate_gradients(), "SVM_C": SVM_C}


# --------------------------------------------------------------------------- q1
def _n_parameters(biases: bool = True, n_out: int = 1) -> int:
    sizes = [N_INPUTS, *HIDDEN, n_out]
    return int(sum((a + (1 if biases else 0)) * b for a, b in zip(sizes[:-1], sizes[1:], strict=True)))


q1 = ValueProblem(
    "n_parameters", _n_parameters, rtol=0, atol=0.5,
    mistakes=[(lambda: _n_parameters(biases=False),
               "You counted the weights only: every unit of every layer also has a bias."),
              (lambda: _n_parameters(n_out=2),
               "Two classes need only one output unit (the probability of churn); you counted two.")],
    hint="Layer by layer: a layer from a units to b units has an (a, b) weight matrix and b "
         "biases. The layers go 33 -> 16 -> 8 -> 1.",
    solution="n_parameters = (33 * 16 + 16) + (16 * 8 + 8) + (8 * 1 + 1)",
    success="Check it on a fitted model: `sum(w.size for w in m.coefs_) + sum(b.size for b in "
            "m.intercepts_)`. About 700 numbers learnt from 3,600 customers: reason enough for L2 and "
            "early stopping.",
)


# --------------------------------------------------------------------------- q2
def _grad_times_p1p(X, y, coefs, intercepts):
    (W1, W2), (b1, b2) = coefs, intercepts
    Z1 = X @ W1 + b1
    H = np.maximum(Z1, 0)
    p = 1 / (1 + np.exp(-(H @ W2 + b2)))
    d2 = (p - y[:, None]) * p * (1 - p) / len(X)
    d1 = (d2 @ W2.T) * (Z1 > 0)
    return [X.T @ d1, H.T @ d2], [d1.sum(axis=0), d2.sum(axis=0)]


def _grad_correct(X, y, coefs, intercepts):
    (W1, W2), (b1, b2) = coefs, intercepts
    Z1 = X @ W1 + b1
    H = np.maximum(Z1, 0)
    p = 1 / (1 + np.exp(-(H @ W2 + b2)))
    d2 = (p - y[:, None]) / len(X)
    d1 = (d2 @ W2.T) * (Z1 > 0)
    return [X.T @ d1, H.T @ d2], [d1.sum(axis=0), d2.sum(axis=0)]


def _grad_no_relu_derivative(X, y, coefs, intercepts):
    (W1, W2), (b1, b2) = coefs, intercepts
    Z1 = X @ W1 + b1
    H = np.maximum(Z1, 0)
    p = 1 / (1 + np.exp(-(H @ W2 + b2)))
    d2 = (p - y[:, None]) / len(X)
    d1 = d2 @ W2.T
    return [X.T @ d1, H.T @ d2], [d1.sum(axis=0), d2.sum(axis=0)]


def candidate_gradients() -> dict:
    """Three gradient functions ``(X, y, coefs, intercepts) -> (coef_grads, intercept_grads)``
    for a network with one ReLU hidden layer; some are wrong."""
    return {"A": _grad_times_p1p, "B": _grad_correct, "C": _grad_no_relu_derivative}


def _wrong_labels() -> set:
    """The labels whose gradient fails ``neural.check_gradient`` (computed, not typed in)."""
    from mkt_lessons import neural

    Z, y, _ = _train_state()
    W, b = _random_network()
    out = set()
    for label, fn in candidate_gradients().items():
        res = neural.check_gradient(Z[:200], y.to_numpy()[:200], W, b, grad=fn)
        if not res.ok(1e-6):
            out.add(label)
    return out


q2 = ValueProblem(
    "wrong_gradients", _wrong_labels, ordered=False,
    mistakes=[(lambda: {"A"}, "A is wrong indeed, but it is not the only one: run the check "
                              "on every candidate and look at its `worst` parameter."),
              (lambda: {"C"}, "C is wrong indeed, but it is not the only one: run the check "
                              "on every candidate, not just the suspicious-looking one."),
              (lambda: {"B"}, "B passes the gradient check: its error is at rounding level. "
                              "Which ones do not?")],
    hint="Section 3 checked `backprop` numerically. Run the same check on each candidate "
         "(a few hundred customers are enough) and see which ones fail it.",
    solution="""
        wrong_gradients = {label for label, g in candidates.items()
                           if not neural.check_gradient(Z_tr[:300], y[:300], [W1, W2], [b1, b2],
                                                        grad=g).ok()}
    """,
    explanation="A multiplies the output error by p(1 - p) (the squared-error gradient); C "
                "forgets the ReLU derivative when sending the error back to the first layer, "
                "so only the first layer's gradients are wrong (the check's `worst` names "
                "coefs[0] or intercepts[0]).",
    success="A multiplies the output error by p(1 - p) (every gradient is off); C forgets the "
            "ReLU derivative (only the first layer is off). A gradient check finds both in a "
            "second, before any training run is wasted.",
)


# --------------------------------------------------------------------------- q3
def _hidden_delta(delta_out, W2, H):
    return (delta_out @ W2.T) * (H > 0)


def _delta_cases() -> list[tuple]:
    rng = np.random.default_rng(3)
    cases = []
    for n, h in [(5, 4), (12, 7), (1, 3)]:
        H = np.maximum(rng.normal(size=(n, h)), 0)  # a ReLU layer: many exact zeros
        cases.append((rng.normal(size=(n, 1)), rng.normal(size=(h, 1)), H))
    return cases


q3 = FunctionProblem(
    "hidden_delta", _hidden_delta, _delta_cases, rtol=1e-10, atol=1e-12,
    mistakes=[(lambda d, W2, H: d @ W2.T,
               "You sent the error back through W2 but forgot the ReLU's derivative: multiply "
               "element-wise by 1 where the unit was active (H > 0) and 0 elsewhere."),
              (lambda d, W2, H: (d @ W2.T) * H,
               "You multiplied by the activation H itself; the chain rule needs its "
               "*derivative*, which for ReLU is 1 where H > 0 and 0 elsewhere.")],
    hint="Steps 3 and 4 of section 3: send the error back through the output weights (the "
         "result must have shape (n, h)), then through the ReLU, whose derivative is 1 where "
         "a unit was active. How does `H` tell you where that was?",
    solution="""
        def hidden_delta(delta_out, W2, H):
            return (delta_out @ W2.T) * (H > 0)
    """,
    explanation="dL/dH = delta_out W2ᵀ by the chain rule through z2 = H W2 + b2; then H = "
                "ReLU(Z1) element-wise, so dL/dZ1 = dL/dH ⊙ ReLU'(Z1), and ReLU'(z) = 1 for "
                "z > 0, else 0 (H > 0 exactly where Z1 > 0).",
)


# --------------------------------------------------------------------------- q4
def _support_share(rule: str = "margin") -> float:
    Z, y, svm = _train_state()
    f = svm.decision_function(Z)
    t = 2.0 * y.to_numpy() - 1.0
    if rule == "misclassified":
        return float(np.mean(t * f < 0))
    if rule == "zero_one":
        return float(np.mean(y.to_numpy() * f <= 1))
    return float(np.mean(t * f <= 1))


q4 = ValueProblem(
    "support_share", _support_share, rtol=0, atol=5e-4 + 1e-12,  # a share given to 3 decimals is right
    mistakes=[(lambda: _support_share("misclassified"),
               "Those are the misclassified customers (t·f < 0). Support vectors also include "
               "the correctly classified ones inside the margin (0 <= t·f <= 1)."),
              (lambda: _support_share("zero_one"),
               "You used the 0/1 labels: with y = 0 every stayer counts. Code the labels as "
               "t = 2y - 1 (+1 churner, -1 stayer).")],
    hint="The SVM's score f(x) comes from one of its methods (section 5). Code churners as +1 "
         "and the others as -1, then find the share of customers with t·f(x) at most 1.",
    solution="""
        t = 2 * y - 1
        support_share = np.mean(t * svm.decision_function(Z_tr) <= 1)
    """,
    success="Only these customers shape the boundary; the others could be deleted without "
            "changing the SVM. With overlapping classes (churn is noisy) a large share of "
            "customers sit inside the margin.",
)


# --------------------------------------------------------------------------- q5
q5 = ThoughtProblem(
    "q5_answer",
    explanation="Neural networks shine where the input is not a table of meaningful columns "
                "and there is a lot of it: images (CNNs), sequences such as clickstreams and "
                "text (RNNs, transformers), generating synthetic data (GANs). There they learn "
                "features no analyst could type in. On a churn table of twenty well-chosen "
                "columns and a few thousand customers, the limit is the information in the "
                "features, not the model's flexibility: logistic regression and gradient "
                "boosting match the network, train faster, have fewer settings and are easier "
                "to explain. Worth trying a network: much more data, raw event sequences, "
                "text or images, or when it beats the simple models on a later period by more "
                "than the run-to-run noise.",
)

PROBLEMS = collect(globals())

show_all_solutions = solutions_printer(PROBLEMS)
