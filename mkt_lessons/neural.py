"""Lesson 09: a multilayer perceptron and a linear SVM, derived and implemented in NumPy.

The notebook derives each formula first; this module is the tested version.

Multilayer perceptron
---------------------
A network with hidden layers ``h_1 ... h_L`` computes, for a batch ``X`` of shape (n, p)::

    A_0 = X
    A_k = f(A_{k-1} @ W_k + b_k)        k = 1 .. L      (f = relu, tanh or logistic)
    P   = sigmoid(A_L @ W_out + b_out)  (binary)  or  softmax(...)  (more classes)

with ``W_k`` of shape (units of layer k-1, units of layer k): exactly scikit-learn's
``coefs_[k-1]`` and ``intercepts_[k-1]``. The loss is scikit-learn's, so the two
implementations minimise the same function::

    L = mean cross-entropy(y, P) + alpha / (2 n) * sum_k ||W_k||^2     (biases not penalised)

:func:`forward` returns every layer's activations, :func:`backward` the gradients of ``L`` by
backpropagation. Its key line is ``delta_out = (P - Y) / n``: the sigmoid (or softmax)
derivative cancels against the derivative of the log, so **no factor p(1 - p) appears**
(multiplying by it gives the gradient of the squared error, a classic mistake). Going down
a layer, ``dL/dW_k = A_{k-1}.T @ delta_k`` (shape of ``W_k``: inputs x units) and
``delta_{k-1} = (delta_k @ W_k.T) * f'(A_{k-1})``. :func:`check_gradient` compares any
gradient with central finite differences of the loss and names the worst parameter.

:class:`MLPClassifier` trains the network with mini-batch SGD or Adam (scikit-learn's update
rules, so with the same initial weights, the same batches and ``shuffle=False`` both
libraries take the same steps), L2 penalty ``alpha`` and optional early stopping on a
validation set: pass ``X_val, y_val`` (e.g. a *later period*) to :meth:`MLPClassifier.fit`,
or let it hold out a stratified ``validation_fraction`` of the rows. Initialisation: He
(uniform, bound sqrt(6 / fan_in)) for relu, Glorot (uniform, bound sqrt(6 / (fan_in +
fan_out))) for tanh and logistic; biases start at 0.

Linear SVM
----------
:func:`hinge_loss` is ``mean(max(0, 1 - y f(x)))`` with ``y`` in {-1, +1};
:func:`svm_objective` the soft-margin objective ``0.5 ||w||^2 + C * sum_i hinge_i``
(scikit-learn's scaling: ``SVC(kernel="linear")`` with an unpenalised intercept, or
``LinearSVC(loss="hinge", fit_intercept=False)``). :class:`LinearSVM` minimises it by
full-batch **subgradient descent**: the hinge has no gradient at the margin, any value
between the two one-sided slopes is a valid subgradient; step ``1 / (lambda (t + 1))`` with
``lambda = 1 / (C n)`` (as in Pegasos, Shalev-Shwartz et al. 2011) and the iterates averaged
with weights ``t`` (after Lacoste-Julien, Schmidt & Bach 2012), which damps the zig-zag of
the raw iterates. It is slow but simple: a few thousand steps reach the objective of
scikit-learn's exact solvers to about 1e-4 (relative) on the lesson's data (see the tests).
SVM scores are distances to the margin, **not probabilities**: calibrate them (e.g.
scikit-learn's ``CalibratedClassifierCV``) before multiplying by money.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.exceptions import NotFittedError

from mkt_lessons._results import Result
from mkt_lessons._validation import (
    check_1d,
    check_bool,
    check_int,
    check_option,
    check_real,
    describe,
)
from mkt_lessons.regression import _as_matrix
from mkt_lessons.regression import check_gradient as _finite_differences

__all__ = ["ACTIVATIONS", "GradientCheckResult", "LinearSVM", "MLPClassifier", "backward",
           "check_gradient", "forward", "hinge_loss", "mlp_loss", "svm_objective"]

ACTIVATIONS = ("relu", "tanh", "logistic")
SOLVERS = ("adam", "sgd")
_BETA1, _BETA2, _ADAM_EPS = 0.9, 0.999, 1e-8  # scikit-learn's (and the Adam paper's) defaults


# --------------------------------------------------------------------------- validation
def _check_layers(coefs: Any, intercepts: Any = None, n_features: int | None = None):
    """``coefs`` / ``intercepts`` as lists of float arrays in scikit-learn's layout.

    Without ``intercepts`` only the weights are checked (zero biases are returned).
    """
    if intercepts is None and isinstance(coefs, (list, tuple)):
        intercepts = [np.zeros(np.shape(w)[-1]) if np.ndim(w) else np.zeros(0) for w in coefs]
    for name, value in [("coefs", coefs), ("intercepts", intercepts)]:
        if not isinstance(value, (list, tuple)) or not value:
            raise TypeError(f"{name} must be a non-empty list of arrays (one per layer, as "
                            f"scikit-learn's {name}_), got {describe(value)}")
    if len(coefs) != len(intercepts):
        raise ValueError(f"coefs has {len(coefs)} layer(s) but intercepts has "
                         f"{len(intercepts)}: one bias vector per weight matrix")
    W, b = [], []
    for k, (w, c) in enumerate(zip(coefs, intercepts, strict=True)):
        try:
            w = np.array(w, dtype=float)
            c = np.array(c, dtype=float)
        except (TypeError, ValueError):
            raise TypeError(f"coefs[{k}] and intercepts[{k}] must hold numbers") from None
        if w.ndim != 2:
            raise ValueError(f"coefs[{k}] must be 2-D (inputs x units), got shape {w.shape}")
        if c.shape != (w.shape[1],):
            raise ValueError(f"intercepts[{k}] must have shape ({w.shape[1]},) to match "
                             f"coefs[{k}] of shape {w.shape}, got {c.shape}")
        if k and w.shape[0] != W[-1].shape[1]:
            raise ValueError(f"coefs[{k}] has {w.shape[0]} input rows but layer {k - 1} has "
                             f"{W[-1].shape[1]} units")
        if not (np.isfinite(w).all() and np.isfinite(c).all()):
            raise ValueError(f"coefs[{k}] or intercepts[{k}] has NaN or infinite values")
        W.append(w)
        b.append(c)
    if n_features is not None and W[0].shape[0] != n_features:
        raise ValueError(f"X has {n_features} column(s) but coefs[0] expects {W[0].shape[0]}")
    return W, b


def _check_X(X: Any, name: str = "X") -> np.ndarray:
    """``X`` as a 2-D float array (a copy); text, 1-D input, NaN and empty input refused."""
    if X is None or isinstance(X, (str, bytes, dict, set)) or np.isscalar(X):
        raise TypeError(f"{name} must be a 2-D array or DataFrame of numbers, got {describe(X)}")
    if not hasattr(X, "columns"):
        try:
            arr = np.asarray(X)
        except (TypeError, ValueError):
            raise TypeError(f"{name} must be a 2-D array of numbers, got {describe(X)}") from None
        if arr.dtype.kind in "USO" and any(isinstance(v, (str, bytes)) for v in arr.ravel()):
            raise TypeError(f"{name} must hold numbers, got text such as "
                            f"{next(v for v in arr.ravel() if isinstance(v, (str, bytes)))!r} "
                            "(encode categories first, e.g. with features.feature_pipeline)")
        if arr.ndim != 2:
            raise ValueError(f"{name} must be 2-D (rows = customers, columns = features), got "
                             f"shape {arr.shape}")
    return _as_matrix(X, name)[0]


def _targets(y: Any, n_out: int, n: int, name: str = "y") -> np.ndarray:
    """``y`` as the network's target matrix: (n, 1) of 0/1, or one-hot (n, K) labels 0..K-1."""
    arr = check_1d(y, name, length=n)
    if n_out == 1:
        if not np.isin(arr, (0.0, 1.0)).all():
            raise ValueError(f"{name} must hold 0/1 for a network with one output unit, got "
                             f"{arr[~np.isin(arr, (0.0, 1.0))][0]:g}")
        return arr[:, None]
    if not (np.isin(arr, np.arange(n_out)).all()):
        raise ValueError(f"{name} must hold class indices 0..{n_out - 1} for a network with "
                         f"{n_out} output units")
    return np.eye(n_out)[arr.astype(int)]


# --------------------------------------------------------------------------- activations
def _sigmoid(z: np.ndarray) -> np.ndarray:
    e = np.exp(-np.abs(z))
    return np.where(z >= 0, 1.0 / (1.0 + e), e / (1.0 + e))


def _softmax(z: np.ndarray) -> np.ndarray:
    e = np.exp(z - z.max(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)


def _hidden(z: np.ndarray, activation: str) -> np.ndarray:
    if activation == "relu":
        return np.maximum(z, 0.0)
    if activation == "tanh":
        return np.tanh(z)
    return _sigmoid(z)


def _hidden_derivative(a: np.ndarray, activation: str) -> np.ndarray:
    """f'(z) written with the activation a = f(z) (what backpropagation has at hand)."""
    if activation == "relu":
        return (a > 0).astype(float)
    if activation == "tanh":
        return 1.0 - a ** 2
    return a * (1.0 - a)


# --------------------------------------------------------------------------- network
def _forward(X, W, b, activation):
    acts = [X]
    for k in range(len(W)):
        z = acts[-1] @ W[k] + b[k]
        if k < len(W) - 1:
            acts.append(_hidden(z, activation))
        else:
            acts.append(_sigmoid(z) if z.shape[1] == 1 else _softmax(z))
    return acts


def _loss(P, Y, W, alpha):
    eps = np.finfo(float).eps
    P = np.clip(P, eps, 1 - eps)
    if Y.shape[1] == 1:
        ce = -np.mean(Y[:, 0] * np.log(P[:, 0]) + (1 - Y[:, 0]) * np.log(1 - P[:, 0]))
    else:
        ce = -np.sum(Y * np.log(P)) / len(Y)
    return float(ce + 0.5 * alpha * sum(float(np.sum(w * w)) for w in W) / len(Y))


def _backward(acts, Y, W, activation, alpha):
    n = len(Y)
    L = len(W)
    gW, gb = [None] * L, [None] * L
    delta = (acts[-1] - Y) / n  # dL/dz of the output: no p(1 - p) factor (it cancels)
    for k in range(L - 1, -1, -1):
        gW[k] = acts[k].T @ delta + alpha * W[k] / n
        gb[k] = delta.sum(axis=0)
        if k:
            delta = (delta @ W[k].T) * _hidden_derivative(acts[k], activation)
    return gW, gb


def forward(X: Any, coefs: Sequence[Any], intercepts: Sequence[Any], *,
            activation: str = "relu") -> list[np.ndarray]:
    """The forward pass: every layer's activations, input first, probabilities last.

    Parameters
    ----------
    X : array-like of shape (n, p)
        Inputs (already scaled).
    coefs, intercepts : lists of arrays
        ``coefs[k]`` of shape (units in, units out), ``intercepts[k]`` of shape (units out,):
        scikit-learn's ``coefs_`` / ``intercepts_`` layout. The last layer is the output: one
        unit (sigmoid, binary) or K units (softmax).
    activation : {"relu", "tanh", "logistic"}
        Of the hidden layers.

    Returns
    -------
    list of ndarray
        ``[X, A_1, ..., A_L, P]``; ``P`` has shape (n, 1) (P(class 1)) or (n, K).

    Examples
    --------
    >>> W = [np.array([[1.0, -1.0]]), np.array([[2.0], [0.5]])]
    >>> b = [np.zeros(2), np.array([-1.0])]
    >>> acts = forward([[1.0], [-2.0]], W, b)
    >>> acts[1]                       # relu(x W_1): the hidden units
    array([[1., 0.],
           [0., 2.]])
    >>> acts[-1].round(4)             # sigmoid(h W_2 + b_2)
    array([[0.7311],
           [0.5   ]])
    """
    activation = check_option(activation, "activation", ACTIVATIONS)
    Xa = _check_X(X)
    W, b = _check_layers(coefs, intercepts, Xa.shape[1])
    return _forward(Xa, W, b, activation)


def mlp_loss(X: Any, y: Any, coefs: Sequence[Any], intercepts: Sequence[Any], *,
             activation: str = "relu", alpha: float = 0.0) -> float:
    """Mean cross-entropy plus the L2 penalty ``alpha / (2 n) * sum ||W||^2`` (scikit-learn's loss).

    ``y`` holds 0/1 for a network with one output unit, class indices 0..K-1 for K units.

    Examples
    --------
    >>> W, b = [np.zeros((2, 1))], [np.zeros(1)]       # p = 0.5 for everyone
    >>> round(mlp_loss([[1.0, 2.0], [3.0, 4.0]], [0, 1], W, b), 6)   # log 2
    0.693147
    """
    activation = check_option(activation, "activation", ACTIVATIONS)
    alpha = check_real(alpha, "alpha", low=0)
    Xa = _check_X(X)
    W, b = _check_layers(coefs, intercepts, Xa.shape[1])
    Y = _targets(y, W[-1].shape[1], len(Xa))
    return _loss(_forward(Xa, W, b, activation)[-1], Y, W, alpha)


def backward(activations: Sequence[Any], y: Any, coefs: Sequence[Any], *,
             activation: str = "relu", alpha: float = 0.0) -> tuple[list[np.ndarray], list[np.ndarray]]:
    """Backpropagation: the gradient of :func:`mlp_loss` for every weight and bias.

    Parameters
    ----------
    activations : list of arrays
        The output of :func:`forward` (``[X, A_1, ..., P]``).
    y : array-like
        0/1 (one output unit) or class indices (K output units).
    coefs : list of arrays
        The weights used in the forward pass (needed to send the error back a layer, and for
        the L2 term).
    activation : {"relu", "tanh", "logistic"}
    alpha : float
        L2 penalty, >= 0.

    Returns
    -------
    (coef_grads, intercept_grads)
        Lists shaped like ``coefs`` and the intercepts: ``coef_grads[k] = A_k.T @ delta_{k+1}
        + alpha W_k / n``, ``intercept_grads[k] = delta_{k+1}`` summed over rows, with
        ``delta_out = (P - Y) / n``.

    Examples
    --------
    Logistic regression is the network without hidden layers; its gradient is X^T (p - y) / n:

    >>> X = np.array([[1.0, 2.0], [0.0, -1.0]]); y = np.array([1, 0])
    >>> W, b = [np.array([[0.5], [-0.25]])], [np.array([0.1])]
    >>> gW, gb = backward(forward(X, W, b), y, W)
    >>> p = 1 / (1 + np.exp(-(X @ W[0][:, 0] + 0.1)))
    >>> bool(np.allclose(gW[0][:, 0], X.T @ (p - y) / 2)), bool(np.isclose(gb[0][0], np.mean(p - y)))
    (True, True)
    """
    activation = check_option(activation, "activation", ACTIVATIONS)
    alpha = check_real(alpha, "alpha", low=0)
    if not isinstance(activations, (list, tuple)) or len(activations) < 2:
        raise TypeError("activations must be the list returned by forward() ([X, ..., P]), "
                        f"got {describe(activations)}")
    W, _ = _check_layers(coefs)
    if len(activations) != len(W) + 1:
        raise ValueError(f"activations has {len(activations)} arrays but coefs has {len(W)} "
                         f"weight matrices: a network with {len(W)} layers has {len(W) + 1} "
                         "activations (input, hidden, output)")
    acts = []
    for k, a in enumerate(activations):
        a = _check_X(a, f"activations[{k}]")
        expected = W[0].shape[0] if k == 0 else W[k - 1].shape[1]
        if a.shape[1] != expected or len(a) != len(activations[0]):
            raise ValueError(f"activations[{k}] has shape {a.shape}; coefs expect "
                             f"({len(activations[0])}, {expected})")
        acts.append(a)
    Y = _targets(y, W[-1].shape[1], len(acts[0]))
    return _backward(acts, Y, W, activation, alpha)


# --------------------------------------------------------------------------- gradient check
@dataclass(frozen=True)
class GradientCheckResult(Result):
    """Result of :func:`check_gradient`.

    Attributes
    ----------
    max_abs_error : float
        Largest |analytic - numeric| over all parameters.
    rel_error : float
        ||analytic - numeric|| / (||analytic|| + ||numeric||): ~1e-9 or less for a correct
        gradient, 1e-2 to 1 for a wrong one.
    worst : str
        The parameter with the largest error, e.g. ``"coefs[0][3, 1]"``.
    n_params : int
        Number of parameters checked.
    eps : float
        Finite-difference step.
    analytic, numeric : ndarray
        Both gradients, flattened in the order coefs[0], ..., intercepts[0], ...
    """

    max_abs_error: float
    rel_error: float
    worst: str
    n_params: int
    eps: float
    analytic: np.ndarray = field(repr=False)
    numeric: np.ndarray = field(repr=False)

    def ok(self, tol: float = 1e-6) -> bool:
        """Whether every component agrees to ``tol`` (absolute)."""
        return self.max_abs_error <= tol


def _names(W, b) -> list[str]:
    out = []
    for k, w in enumerate(W):
        out += [f"coefs[{k}][{i}, {j}]" for i in range(w.shape[0]) for j in range(w.shape[1])]
    for k, c in enumerate(b):
        out += [f"intercepts[{k}][{j}]" for j in range(len(c))]
    return out


def _unpack(theta: np.ndarray, W, b):
    Ws, bs, i = [], [], 0
    for w in W:
        Ws.append(theta[i:i + w.size].reshape(w.shape))
        i += w.size
    for c in b:
        bs.append(theta[i:i + c.size])
        i += c.size
    return Ws, bs


def check_gradient(X: Any, y: Any, coefs: Sequence[Any], intercepts: Sequence[Any], *,
                   activation: str = "relu", alpha: float = 0.0,
                   grad: Callable | None = None, eps: float = 1e-6) -> GradientCheckResult:
    """Compare a gradient of :func:`mlp_loss` with central finite differences.

    Each parameter ``theta_i`` is nudged by ``+-eps`` and ``(L(theta + eps e_i) - L(theta -
    eps e_i)) / (2 eps)`` computed; for a correct gradient the two agree to about 1e-9
    (truncation O(eps^2), rounding ~1e-16 / eps).

    Parameters
    ----------
    X, y, coefs, intercepts, activation, alpha
        As in :func:`mlp_loss`; check at random weights (at zeros many terms vanish and
        mistakes hide).
    grad : callable, optional
        The gradient under test: ``grad(X, y, coefs, intercepts) -> (coef_grads,
        intercept_grads)`` with NumPy arrays in. Default: :func:`forward` then
        :func:`backward`.
    eps : float
        Finite-difference step, > 0.

    Returns
    -------
    GradientCheckResult

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> X, y = rng.normal(size=(20, 3)), rng.integers(0, 2, 20)
    >>> W = [rng.normal(size=(3, 4)), rng.normal(size=(4, 1))]
    >>> b = [rng.normal(size=4), rng.normal(size=1)]
    >>> check_gradient(X, y, W, b, activation="tanh", alpha=0.1).ok(1e-6)
    True
    """
    activation = check_option(activation, "activation", ACTIVATIONS)
    alpha = check_real(alpha, "alpha", low=0)
    eps = check_real(eps, "eps", low=0, low_open=True)
    if grad is not None and not callable(grad):
        raise TypeError(f"grad must be a function (X, y, coefs, intercepts) -> (coef_grads, "
                        f"intercept_grads), got {describe(grad)}")
    Xa = _check_X(X)
    W, b = _check_layers(coefs, intercepts, Xa.shape[1])
    y_arr = check_1d(y, "y", length=len(Xa))
    Y = _targets(y_arr, W[-1].shape[1], len(Xa))
    theta0 = np.concatenate([w.ravel() for w in W] + [c.ravel() for c in b])

    def loss(theta):
        Ws, bs = _unpack(theta, W, b)
        return _loss(_forward(Xa, Ws, bs, activation)[-1], Y, Ws, alpha)

    def gradient(theta):
        Ws, bs = _unpack(theta, W, b)
        if grad is None:
            gW, gb = _backward(_forward(Xa, Ws, bs, activation), Y, Ws, activation, alpha)
        else:
            gW, gb = grad(Xa.copy(), y_arr.copy(), [w.copy() for w in Ws], [c.copy() for c in bs])
        try:
            return np.concatenate([np.asarray(g, dtype=float).ravel() for g in [*gW, *gb]])
        except (TypeError, ValueError):
            raise ValueError("grad must return (coef_grads, intercept_grads), two lists of "
                             "arrays shaped like coefs and intercepts") from None

    res = _finite_differences(loss, gradient, theta0, eps=eps)
    worst = int(np.argmax(np.abs(res.analytic - res.numeric)))
    return GradientCheckResult(max_abs_error=res.max_abs_error, rel_error=res.rel_error,
                               worst=_names(W, b)[worst], n_params=len(theta0), eps=eps,
                               analytic=res.analytic, numeric=res.numeric)


# --------------------------------------------------------------------------- estimator
def _check_fitted(est, attr: str) -> None:
    if not hasattr(est, attr):
        raise NotFittedError(f"This {type(est).__name__} is not fitted yet: call fit(X, y) first.")


class MLPClassifier(ClassifierMixin, BaseEstimator):
    """A multilayer perceptron classifier in NumPy, laid out like scikit-learn's.

    Parameters
    ----------
    hidden : tuple of int
        Units per hidden layer, e.g. ``(16,)`` or ``(32, 16)``; ``()`` is logistic regression.
    activation : {"relu", "tanh", "logistic"}
        Of the hidden layers.
    solver : {"adam", "sgd"}
        Adam, or plain mini-batch SGD with a constant step.
    alpha : float
        L2 penalty (>= 0), scaled as in scikit-learn: ``alpha / (2 n_batch) * sum ||W||^2``.
    learning_rate : float
        Step size (> 0): Adam's initial step or SGD's constant step.
    batch_size : int
        Rows per mini-batch (capped at the number of rows).
    max_epochs : int
        Passes over the training rows.
    early_stopping : bool
        Stop when the validation loss has not improved by ``tol`` for ``patience`` epochs and
        keep the best epoch's weights. Validation rows: ``X_val, y_val`` given to :meth:`fit`
        (e.g. a later period), else a stratified ``validation_fraction`` of the rows.
    validation_fraction : float
        In (0, 1); used only with ``early_stopping`` and no ``X_val``.
    patience : int
        Epochs without improvement before stopping (training loss without early stopping).
    tol : float
        Smallest improvement of the loss that counts (>= 0).
    shuffle : bool
        Shuffle the rows every epoch (with ``random_state``).
    random_state : int or None
        Seeds initialisation, shuffling and the validation split.

    Attributes
    ----------
    coefs_, intercepts_ : lists of ndarray
        Weights and biases in scikit-learn's layout (see :func:`forward`).
    classes_ : ndarray
        The class labels; ``predict_proba`` columns follow this order.
    loss_curve_ : list of float
        Mean training loss per epoch (penalty included).
    validation_loss_curve_ : list of float
        Validation cross-entropy per epoch (empty without early stopping).
    best_epoch_ : int
        Epoch (1-based) whose weights were kept.
    n_iter_ : int
        Epochs run.
    n_features_in_ : int
        Number of input columns.

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> X = rng.normal(size=(200, 2)); y = (X[:, 0] * X[:, 1] > 0).astype(int)  # XOR-like
    >>> mlp = MLPClassifier(hidden=(8,), learning_rate=0.05, max_epochs=100, random_state=0).fit(X, y)
    >>> [w.shape for w in mlp.coefs_]
    [(2, 8), (8, 1)]
    >>> mlp.score(X, y) > 0.9        # a linear model cannot beat about 0.5 here
    True
    """

    def __init__(self, hidden=(16,), activation="relu", solver="adam", alpha=1e-4,
                 learning_rate=1e-3, batch_size=64, max_epochs=200, early_stopping=False,
                 validation_fraction=0.1, patience=10, tol=1e-4, shuffle=True,
                 random_state=None):
        self.hidden = hidden
        self.activation = activation
        self.solver = solver
        self.alpha = alpha
        self.learning_rate = learning_rate
        self.batch_size = batch_size
        self.max_epochs = max_epochs
        self.early_stopping = early_stopping
        self.validation_fraction = validation_fraction
        self.patience = patience
        self.tol = tol
        self.shuffle = shuffle
        self.random_state = random_state

    # -- parameters ------------------------------------------------------------------------
    def _check_params(self) -> dict:
        h = self.hidden
        if isinstance(h, (int, np.integer)) and not isinstance(h, bool):
            h = (h,)
        if not isinstance(h, (tuple, list)):
            raise TypeError(f"hidden must be a tuple of layer sizes such as (16,), got {describe(h)}")
        h = tuple(check_int(u, f"hidden[{i}]", low=1) for i, u in enumerate(h))
        return dict(
            hidden=h,
            activation=check_option(self.activation, "activation", ACTIVATIONS),
            solver=check_option(self.solver, "solver", SOLVERS),
            alpha=check_real(self.alpha, "alpha", low=0),
            learning_rate=check_real(self.learning_rate, "learning_rate", low=0, low_open=True),
            batch_size=check_int(self.batch_size, "batch_size", low=1),
            max_epochs=check_int(self.max_epochs, "max_epochs", low=1),
            early_stopping=check_bool(self.early_stopping, "early_stopping"),
            validation_fraction=check_real(self.validation_fraction, "validation_fraction",
                                           low=0, high=1, low_open=True, high_open=True),
            patience=check_int(self.patience, "patience", low=1),
            tol=check_real(self.tol, "tol", low=0),
            shuffle=check_bool(self.shuffle, "shuffle"),
            random_state=check_int(self.random_state, "random_state", low=0, allow_none=True),
        )

    # -- fitting ---------------------------------------------------------------------------
    def _init_weights(self, sizes, activation, rng):
        W, b = [], []
        for k in range(len(sizes) - 1):
            fan_in, fan_out = sizes[k], sizes[k + 1]
            hidden_layer = k < len(sizes) - 2
            if activation == "relu" and hidden_layer:
                bound = np.sqrt(6.0 / fan_in)             # He: keeps the variance through relu
            else:
                bound = np.sqrt(6.0 / (fan_in + fan_out))  # Glorot
            W.append(rng.uniform(-bound, bound, size=(fan_in, fan_out)))
            b.append(np.zeros(fan_out))
        return W, b

    def fit(self, X: Any, y: Any, X_val: Any = None, y_val: Any = None) -> MLPClassifier:
        """Train the network; ``X_val, y_val`` (optional) are the early-stopping rows."""
        p = self._check_params()
        Xa = _check_X(X)
        labels = check_1d(y, "y", kind="any", length=len(Xa))
        classes = np.unique(labels)
        if len(classes) < 2:
            raise ValueError(f"y has a single class {classes.tolist()}: there is nothing to learn")
        y_idx = np.searchsorted(classes, labels)
        if (X_val is None) != (y_val is None):
            raise ValueError("give both X_val and y_val, or neither")
        rng = np.random.default_rng(p["random_state"])
        Xv = yv = None
        if X_val is not None:
            if not p["early_stopping"]:
                raise ValueError("X_val/y_val are only used with early_stopping=True")
            Xv = _check_X(X_val, "X_val")
            if Xv.shape[1] != Xa.shape[1]:
                raise ValueError(f"X_val has {Xv.shape[1]} columns but X has {Xa.shape[1]}")
            lv = check_1d(y_val, "y_val", kind="any", length=len(Xv))
            unknown = np.setdiff1d(lv, classes)
            if len(unknown):
                raise ValueError(f"y_val has label(s) {unknown[:3].tolist()} not seen in y")
            yv = np.searchsorted(classes, lv)
        elif p["early_stopping"]:
            val = np.zeros(len(Xa), dtype=bool)
            for c in range(len(classes)):  # stratified: each class split in the same share
                rows = np.flatnonzero(y_idx == c)
                k = int(round(p["validation_fraction"] * len(rows)))
                val[rng.choice(rows, size=k, replace=False)] = True
            if val.all() or not val.any():
                raise ValueError("validation_fraction leaves no rows to train or to validate on")
            Xv, yv, Xa, y_idx = Xa[val], y_idx[val], Xa[~val], y_idx[~val]
        n_out = 1 if len(classes) == 2 else len(classes)
        Y = y_idx[:, None].astype(float) if n_out == 1 else np.eye(n_out)[y_idx]
        Yv = None if Xv is None else (yv[:, None].astype(float) if n_out == 1 else np.eye(n_out)[yv])
        W, b = self._init_weights([Xa.shape[1], *p["hidden"], n_out], p["activation"], rng)
        self._train(Xa, Y, Xv, Yv, W, b, p, rng)
        self.classes_ = classes
        self.n_features_in_ = Xa.shape[1]
        return self

    def _train(self, X, Y, Xv, Yv, W, b, p, rng):
        n = len(X)
        bs = min(p["batch_size"], n)
        act, alpha, lr = p["activation"], p["alpha"], p["learning_rate"]
        params = W + b
        m = [np.zeros_like(q) for q in params]
        v = [np.zeros_like(q) for q in params]
        t = 0
        losses, val_losses = [], []
        best, best_epoch, since = np.inf, 0, 0
        best_params = [q.copy() for q in params]
        for epoch in range(1, p["max_epochs"] + 1):
            order = rng.permutation(n) if p["shuffle"] else np.arange(n)
            total = 0.0
            for start in range(0, n, bs):
                idx = order[start:start + bs]
                acts = _forward(X[idx], W, b, act)
                total += _loss(acts[-1], Y[idx], W, alpha) * len(idx)
                gW, gb = _backward(acts, Y[idx], W, act, alpha)
                grads = gW + gb
                t += 1
                if p["solver"] == "sgd":
                    for q, g in zip(params, grads, strict=True):
                        q -= lr * g
                else:
                    step = lr * np.sqrt(1 - _BETA2 ** t) / (1 - _BETA1 ** t)
                    for q, g, mq, vq in zip(params, grads, m, v, strict=True):
                        mq *= _BETA1
                        mq += (1 - _BETA1) * g
                        vq *= _BETA2
                        vq += (1 - _BETA2) * g * g
                        q -= step * mq / (np.sqrt(vq) + _ADAM_EPS)
            losses.append(total / n)
            if not np.isfinite(losses[-1]):
                raise ValueError(f"training diverged (loss {losses[-1]}) at epoch {epoch}: "
                                 "lower learning_rate or scale the features")
            if Xv is not None:
                val_losses.append(_loss(_forward(Xv, W, b, act)[-1], Yv, W, 0.0))
                current = val_losses[-1]
            else:
                current = losses[-1]
            if current < best - p["tol"]:
                best, best_epoch, since = current, epoch, 0
                if Xv is not None:
                    best_params = [q.copy() for q in params]
            else:
                since += 1
                if since >= p["patience"]:
                    break
        if Xv is not None:  # keep the weights of the best validation epoch
            for q, saved in zip(params, best_params, strict=True):
                q[...] = saved
        else:
            best_epoch = len(losses)
        self.coefs_ = W
        self.intercepts_ = b
        self.loss_curve_ = losses
        self.validation_loss_curve_ = val_losses
        self.best_epoch_ = best_epoch
        self.n_iter_ = len(losses)

    # -- prediction ------------------------------------------------------------------------
    def predict_proba(self, X: Any) -> np.ndarray:
        """Class probabilities, shape (n, n_classes), columns in the order of ``classes_``."""
        _check_fitted(self, "coefs_")
        Xa = _check_X(X)
        if Xa.shape[1] != self.n_features_in_:
            raise ValueError(f"X has {Xa.shape[1]} columns; the model was fitted on "
                             f"{self.n_features_in_}")
        P = _forward(Xa, self.coefs_, self.intercepts_, self.activation)[-1]
        return np.column_stack([1 - P[:, 0], P[:, 0]]) if P.shape[1] == 1 else P

    def predict(self, X: Any) -> np.ndarray:
        """The most probable class of each row."""
        return self.classes_[np.argmax(self.predict_proba(X), axis=1)]


# --------------------------------------------------------------------------- SVM
def _signed_labels(y: Any, name: str = "y", length: int | None = None) -> np.ndarray:
    arr = check_1d(y, name, length=length)
    values = set(np.unique(arr).tolist())
    if values <= {0.0, 1.0}:
        return np.where(arr > 0, 1.0, -1.0)
    if values <= {-1.0, 1.0}:
        return arr
    raise ValueError(f"{name} must hold two classes coded 0/1 or -1/+1, got values "
                     f"{sorted(values)[:5]}")


def hinge_loss(y: Any, scores: Any) -> float:
    """Mean hinge loss ``mean(max(0, 1 - y * score))`` with ``y`` coded -1/+1 (0/1 accepted).

    A customer on the right side of the margin (``y * score >= 1``) costs nothing; inside
    the margin or on the wrong side the cost grows linearly. The same number as
    ``sklearn.metrics.hinge_loss`` for two classes.

    Examples
    --------
    >>> hinge_loss([1, 0, 1], [2.0, -0.5, 0.25])      # (0 + 0.5 + 0.75) / 3
    0.4166666666666667
    """
    s = check_1d(scores, "scores")
    t = _signed_labels(y, "y", length=len(s))
    return float(np.mean(np.maximum(0.0, 1.0 - t * s)))


def svm_objective(coef: Any, intercept: float, X: Any, y: Any, C: float = 1.0) -> float:
    """The soft-margin SVM objective ``0.5 ||w||^2 + C * sum_i max(0, 1 - y_i (x_i w + b))``.

    The intercept is not penalised (as in ``sklearn.svm.SVC(kernel="linear")``).

    Examples
    --------
    >>> svm_objective([1.0, 0.0], 0.0, [[2.0, 0.0], [0.5, 1.0]], [1, 0], C=2.0)   # 0.5 + 2 * 1.5
    3.5
    """
    Xa = _check_X(X)
    w = check_1d(coef, "coef", length=Xa.shape[1])
    b = check_real(intercept, "intercept")
    C = check_real(C, "C", low=0, low_open=True)
    t = _signed_labels(y, "y", length=len(Xa))
    return float(0.5 * w @ w + C * np.maximum(0.0, 1.0 - t * (Xa @ w + b)).sum())


class LinearSVM(ClassifierMixin, BaseEstimator):
    """A linear soft-margin SVM trained by full-batch subgradient descent (NumPy).

    Minimises :func:`svm_objective` (``0.5 ||w||^2 + C sum hinge``); with ``fit_intercept``
    the intercept is free (not penalised), as in ``SVC(kernel="linear")``.

    Parameters
    ----------
    C : float
        Cost of margin violations (> 0); large C = narrow margin, few violations.
    fit_intercept : bool
        Learn an intercept ``b``.
    max_epochs : int
        Subgradient steps (each uses every row).
    tol : float
        Stop when the averaged weights move less than ``tol`` (relative) over 100 steps; 0
        runs all ``max_epochs``.

    Attributes
    ----------
    coef_ : ndarray of shape (1, p)
    intercept_ : ndarray of shape (1,)
    classes_ : ndarray
        The two labels; ``decision_function > 0`` predicts ``classes_[1]``.
    objective_curve_ : list of float
        The objective of the averaged weights every 100 steps.
    n_iter_ : int
    n_features_in_ : int

    Examples
    --------
    >>> X = np.array([[2.0, 2.0], [1.5, 2.5], [-1.0, -1.5], [-2.0, -1.0]])
    >>> svm = LinearSVM(C=10.0).fit(X, [1, 1, 0, 0])
    >>> svm.predict([[1.0, 1.0], [-1.0, -2.0]]).tolist()
    [1, 0]
    """

    def __init__(self, C=1.0, fit_intercept=True, max_epochs=5000, tol=0.0):
        self.C = C
        self.fit_intercept = fit_intercept
        self.max_epochs = max_epochs
        self.tol = tol

    def fit(self, X: Any, y: Any) -> LinearSVM:
        """Minimise the SVM objective on ``X`` (n, p) and two-class labels ``y``."""
        C = check_real(self.C, "C", low=0, low_open=True)
        fit_b = check_bool(self.fit_intercept, "fit_intercept")
        T = check_int(self.max_epochs, "max_epochs", low=1)
        tol = check_real(self.tol, "tol", low=0)
        Xa = _check_X(X)
        labels = check_1d(y, "y", kind="any", length=len(Xa))
        classes = np.unique(labels)
        if len(classes) != 2:
            raise ValueError(f"y must hold exactly two classes, got {len(classes)}: "
                             f"{classes[:5].tolist()}")
        t_y = np.where(labels == classes[1], 1.0, -1.0)
        n, d = Xa.shape
        lam = 1.0 / (C * n)  # the objective divided by C n: lam/2 ||w||^2 + mean hinge
        w, b = np.zeros(d), 0.0
        w_avg, b_avg, weight = np.zeros(d), 0.0, 0.0
        curve, last = [], None
        yX = t_y[:, None] * Xa
        for t in range(1, T + 1):
            active = t_y * (Xa @ w + b) < 1  # inside the margin or wrong: hinge slope -y x
            g_w = lam * w - yX[active].sum(axis=0) / n
            g_b = -t_y[active].sum() / n if fit_b else 0.0
            step = 1.0 / (lam * (t + 1))
            w = w - step * g_w
            b = b - step * g_b
            weight += t
            w_avg += (t / weight) * (w - w_avg)  # running t-weighted average
            b_avg += (t / weight) * (b - b_avg)
            if t % 100 == 0:
                curve.append(float(0.5 * w_avg @ w_avg
                                   + C * np.maximum(0.0, 1.0 - t_y * (Xa @ w_avg + b_avg)).sum()))
                now = np.r_[w_avg, b_avg]
                if tol and last is not None and \
                        np.linalg.norm(now - last) <= tol * max(np.linalg.norm(now), 1e-12):
                    break
                last = now
        self.coef_ = w_avg[None, :]
        self.intercept_ = np.array([b_avg])
        self.classes_ = classes
        self.objective_curve_ = curve
        self.n_iter_ = t
        self.n_features_in_ = d
        return self

    def decision_function(self, X: Any) -> np.ndarray:
        """Signed score ``x w + b`` (not a probability): > 0 predicts ``classes_[1]``."""
        _check_fitted(self, "coef_")
        Xa = _check_X(X)
        if Xa.shape[1] != self.n_features_in_:
            raise ValueError(f"X has {Xa.shape[1]} columns; the model was fitted on "
                             f"{self.n_features_in_}")
        return Xa @ self.coef_[0] + self.intercept_[0]

    def predict(self, X: Any) -> np.ndarray:
        """``classes_[1]`` where the decision function is positive, else ``classes_[0]``."""
        return self.classes_[(self.decision_function(X) > 0).astype(int)]
