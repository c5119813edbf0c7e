"""Tests of mkt_lessons.neural against independent oracles: central finite differences,
scikit-learn's MLPClassifier (same weights -> same probabilities; same start and batches ->
same training steps), LogisticRegression, SVC / LinearSVC and sklearn.metrics.hinge_loss,
and the breast-cancer data set shipped inside scikit-learn's wheel."""

from __future__ import annotations

import warnings
from importlib.resources import files

import numpy as np
import pytest
from sklearn.base import clone
from sklearn.datasets import load_breast_cancer
from sklearn.exceptions import ConvergenceWarning
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import hinge_loss as sk_hinge_loss
from sklearn.metrics import roc_auc_score
from sklearn.model_selection import train_test_split
from sklearn.neural_network import MLPClassifier as SkMLP
from sklearn.preprocessing import StandardScaler
from sklearn.svm import SVC, LinearSVC

from mkt_lessons import neural
from mkt_lessons.neural import LinearSVM, MLPClassifier


def _data(n=120, p=5, seed=0, classes=2):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, p))
    score = X[:, 0] - X[:, 1] ** 2 + 0.5 * rng.normal(size=n)
    y = np.digitize(score, np.quantile(score, np.linspace(0, 1, classes + 1)[1:-1]))
    return X, y


def _random_net(sizes, seed=0, scale=0.7):
    rng = np.random.default_rng(seed)
    W = [rng.normal(scale=scale, size=(a, b)) for a, b in zip(sizes[:-1], sizes[1:], strict=True)]
    b = [rng.normal(scale=scale, size=s) for s in sizes[1:]]
    return W, b


def _sk_with_weights(X, y, hidden, activation, W, b):
    """A scikit-learn MLP of the right shape whose weights are then replaced by ours."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        sk = SkMLP(hidden_layer_sizes=hidden, activation=activation, max_iter=1,
                   random_state=0).fit(X, y)
    assert [w.shape for w in sk.coefs_] == [w.shape for w in W]
    sk.coefs_ = [w.copy() for w in W]
    sk.intercepts_ = [c.copy() for c in b]
    return sk


# --------------------------------------------------------------------------- gradients
ARCHS = [((), 1), ((6,), 1), ((5, 4), 1), ((4,), 3), ((3, 3, 3), 1)]


@pytest.mark.parametrize("activation", neural.ACTIVATIONS)
@pytest.mark.parametrize("hidden,n_out", ARCHS, ids=lambda a: str(a))
@pytest.mark.parametrize("alpha", [0.0, 0.3])
def test_backprop_matches_finite_differences(activation, hidden, n_out, alpha):
    X, y = _data(40, 4, seed=len(hidden), classes=max(n_out, 2))
    W, b = _random_net([4, *hidden, n_out], seed=7)
    res = neural.check_gradient(X, y, W, b, activation=activation, alpha=alpha)
    assert res.max_abs_error < 1e-6, res
    assert res.rel_error < 1e-7, res
    assert res.n_params == sum(w.size for w in W) + sum(c.size for c in b)
    assert res.ok(1e-6)


def test_backward_equals_logistic_regression_gradient_without_hidden_layers():
    """No hidden layer = logistic regression: gradient X^T(p - y)/n (+ the L2 term)."""
    X, y = _data(50, 3)
    W, b = _random_net([3, 1], seed=2)
    gW, gb = neural.backward(neural.forward(X, W, b), y, W, alpha=0.5)
    p = 1 / (1 + np.exp(-(X @ W[0][:, 0] + b[0][0])))
    np.testing.assert_allclose(gW[0][:, 0], X.T @ (p - y) / 50 + 0.5 * W[0][:, 0] / 50, rtol=1e-12)
    np.testing.assert_allclose(gb[0][0], np.mean(p - y), rtol=1e-12)


def _grad_times_p1p(X, y, coefs, intercepts):
    """The seed mistake: the logistic 'gradient' multiplied by p(1 - p) (squared error's)."""
    p = neural.forward(X, coefs, intercepts)[-1]
    delta = (p - y[:, None]) * p * (1 - p) / len(X)
    return [X.T @ delta], [delta.sum(axis=0)]


def _grad_wrong_dW(X, y, coefs, intercepts):
    """The other seed mistake: dL/dW_1 built from the *output* error, skipping W_2 and f'."""
    acts = neural.forward(X, coefs, intercepts)
    gW, gb = neural.backward(acts, y, coefs)
    delta_out = (acts[-1] - y[:, None]) / len(X)
    gW[0] = X.T @ np.repeat(delta_out, coefs[0].shape[1], axis=1)
    return gW, gb


def test_gradient_check_catches_the_seed_mistakes():
    X, y = _data(60, 3, seed=3)
    W, b = _random_net([3, 1], seed=1)
    bad = neural.check_gradient(X, y, W, b, grad=_grad_times_p1p)
    assert bad.rel_error > 0.05 and not bad.ok(1e-6)
    W2, b2 = _random_net([3, 4, 1], seed=1)
    bad2 = neural.check_gradient(X, y, W2, b2, grad=_grad_wrong_dW)
    assert not bad2.ok(1e-4)
    assert bad2.worst.startswith("coefs[0]")  # names the layer that is wrong
    good = neural.check_gradient(X, y, W2, b2, grad=lambda *a: neural.backward(
        neural.forward(*a[:1], a[2], a[3]), a[1], a[2]))
    assert good.ok(1e-6)


def test_mlp_loss_by_hand():
    X = np.array([[1.0, 0.0], [0.0, 1.0]])
    W, b = [np.array([[2.0], [-1.0]])], [np.array([0.5])]
    p = 1 / (1 + np.exp(-np.array([2.5, -0.5])))
    y = np.array([1, 0])
    expected = -np.mean([np.log(p[0]), np.log(1 - p[1])]) + 0.2 / 4 * 5.0
    assert neural.mlp_loss(X, y, W, b, alpha=0.2) == pytest.approx(expected, rel=1e-12)


# --------------------------------------------------------------------------- scikit-learn agreement
@pytest.mark.parametrize("activation", neural.ACTIVATIONS)
@pytest.mark.parametrize("hidden,classes", [((7,), 2), ((6, 4), 2), ((5,), 3)])
def test_predict_proba_equals_sklearn_with_the_same_weights(activation, hidden, classes):
    X, y = _data(90, 4, seed=5, classes=classes)
    ours = MLPClassifier(hidden=hidden, activation=activation, max_epochs=3, random_state=0).fit(X, y)
    sk = _sk_with_weights(X, y, hidden, activation, ours.coefs_, ours.intercepts_)
    Xn = np.random.default_rng(9).normal(size=(50, 4)) * 2
    np.testing.assert_allclose(ours.predict_proba(Xn), sk.predict_proba(Xn), rtol=0, atol=1e-10)
    np.testing.assert_array_equal(ours.classes_, sk.classes_)
    np.testing.assert_array_equal(ours.predict(Xn), sk.predict(Xn))


@pytest.mark.parametrize("solver", ["adam", "sgd"])
@pytest.mark.parametrize("activation", ["relu", "tanh"])
def test_training_steps_equal_sklearn(solver, activation):
    """Same initial weights, same batches (no shuffling), same loss -> the same weights after
    five epochs: our Adam and SGD updates are scikit-learn's."""
    X, y = _data(100, 4, seed=11)
    start = MLPClassifier(hidden=(6,), activation=activation, max_epochs=1, random_state=3).fit(X, y)
    W0, b0 = start.coefs_, start.intercepts_
    ours = MLPClassifier(hidden=(6,), activation=activation, solver=solver, alpha=0.01,
                         learning_rate=0.01, batch_size=32, max_epochs=5, tol=0.0,
                         shuffle=False, random_state=0)
    ours._init_weights = lambda sizes, act, rng: ([w.copy() for w in W0], [c.copy() for c in b0])
    ours.fit(X, y)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        sk = SkMLP(hidden_layer_sizes=(6,), activation=activation, solver=solver, alpha=0.01,
                   learning_rate_init=0.01, batch_size=32, shuffle=False, tol=0.0, momentum=0.0,
                   nesterovs_momentum=False, max_iter=1, warm_start=True, random_state=0).fit(X, y)
        for w, src in zip(sk.coefs_ + sk.intercepts_, W0 + b0, strict=True):
            w[...] = src
        sk._optimizer = None  # start a fresh optimiser from our initial weights
        sk.set_params(max_iter=5).fit(X, y)
    for a, b in zip(ours.coefs_ + ours.intercepts_, sk.coefs_ + sk.intercepts_, strict=True):
        np.testing.assert_allclose(a, b, rtol=0, atol=1e-10)
    np.testing.assert_allclose(ours.loss_curve_, sk.loss_curve_[-5:], rtol=1e-10)  # warm start appends


def test_no_hidden_layer_converges_to_logistic_regression():
    """hidden=() minimises mean log-loss + alpha/(2n)||w||^2 = LogisticRegression(C=1/alpha)."""
    X, y = _data(200, 3, seed=4)
    mlp = MLPClassifier(hidden=(), alpha=2.0, learning_rate=0.05, batch_size=200,
                        max_epochs=3000, tol=0.0, patience=3000, random_state=0).fit(X, y)
    lr = LogisticRegression(C=1 / 2.0, tol=1e-12, max_iter=10_000).fit(X, y)
    np.testing.assert_allclose(mlp.coefs_[0][:, 0], lr.coef_[0], atol=1e-4)
    np.testing.assert_allclose(mlp.intercepts_[0], lr.intercept_, atol=1e-4)


# --------------------------------------------------------------------------- estimator behaviour
def test_deterministic_with_random_state_and_different_seeds_differ():
    X, y = _data(150, 4)
    a = MLPClassifier(hidden=(8,), max_epochs=20, random_state=1).fit(X, y)
    b = MLPClassifier(hidden=(8,), max_epochs=20, random_state=1).fit(X, y)
    c = MLPClassifier(hidden=(8,), max_epochs=20, random_state=2).fit(X, y)
    for wa, wb in zip(a.coefs_ + a.intercepts_, b.coefs_ + b.intercepts_, strict=True):
        np.testing.assert_array_equal(wa, wb)
    assert a.loss_curve_ == b.loss_curve_
    assert not np.array_equal(a.coefs_[0], c.coefs_[0])
    np.testing.assert_array_equal(clone(a).fit(X, y).predict_proba(X), a.predict_proba(X))


def test_learns_a_pattern_no_linear_model_can():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(400, 2))
    y = (X[:, 0] * X[:, 1] > 0).astype(int)
    mlp = MLPClassifier(hidden=(16,), learning_rate=0.03, max_epochs=150, random_state=0).fit(X, y)
    assert mlp.score(X, y) > 0.93
    assert LogisticRegression().fit(X, y).score(X, y) < 0.6
    assert mlp.loss_curve_[-1] < 0.5 * mlp.loss_curve_[0]


def test_early_stopping_keeps_the_best_validation_epoch():
    X, y = _data(300, 5, seed=8)
    Xv, yv = _data(200, 5, seed=9)
    mlp = MLPClassifier(hidden=(32,), learning_rate=0.05, alpha=0.0, max_epochs=200,
                        early_stopping=True, patience=5, random_state=0).fit(X, y, Xv, yv)
    curve = mlp.validation_loss_curve_
    assert mlp.n_iter_ == len(curve) == len(mlp.loss_curve_) < 200  # it stopped early
    assert mlp.best_epoch_ == int(np.argmin(curve)) + 1
    kept = neural.mlp_loss(Xv, yv, mlp.coefs_, mlp.intercepts_, activation="relu")
    assert kept == pytest.approx(min(curve), rel=1e-12)
    # without X_val it holds out a stratified share of the rows
    auto = MLPClassifier(hidden=(4,), max_epochs=5, early_stopping=True, validation_fraction=0.2,
                         random_state=0).fit(X, y)
    assert len(auto.validation_loss_curve_) == auto.n_iter_


def test_text_labels_and_predict_proba_columns():
    X, y = _data(80, 3)
    labels = np.where(y == 1, "churned", "stayed")
    mlp = MLPClassifier(hidden=(4,), max_epochs=5, random_state=0).fit(X, labels)
    assert mlp.classes_.tolist() == ["churned", "stayed"]
    P = mlp.predict_proba(X)
    np.testing.assert_allclose(P.sum(axis=1), 1.0)
    assert set(mlp.predict(X)) <= {"churned", "stayed"}


def test_inputs_are_not_modified_and_mismatched_columns_refused():
    X, y = _data(60, 3)
    X0, y0 = X.copy(), y.copy()
    mlp = MLPClassifier(hidden=(3,), max_epochs=3, random_state=0).fit(X, y)
    np.testing.assert_array_equal(X, X0)
    np.testing.assert_array_equal(y, y0)
    with pytest.raises(ValueError, match="columns"):
        mlp.predict_proba(X[:, :2])


# --------------------------------------------------------------------------- SVM
def test_hinge_loss_equals_sklearn():
    rng = np.random.default_rng(0)
    y = rng.integers(0, 2, 50)
    s = rng.normal(size=50) * 2
    assert neural.hinge_loss(y, s) == pytest.approx(sk_hinge_loss(2 * y - 1, s), rel=1e-12)
    assert neural.hinge_loss(2 * y - 1, s) == pytest.approx(sk_hinge_loss(y, s), rel=1e-12)


def _svm_data(n=200, seed=0):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, 4))
    y = (X @ np.array([1.0, -2.0, 0.5, 0.0]) + 0.3 + rng.normal(size=n) > 0).astype(int)
    return X, y


@pytest.mark.parametrize("C", [0.1, 1.0])
def test_linear_svm_matches_svc_with_free_intercept(C):
    X, y = _svm_data()
    ours = LinearSVM(C=C, max_epochs=5000).fit(X, y)
    svc = SVC(kernel="linear", C=C, tol=1e-10).fit(X, y)
    w, b = svc.coef_[0], svc.intercept_[0]
    f_ours = neural.svm_objective(ours.coef_[0], ours.intercept_[0], X, y, C)
    f_svc = neural.svm_objective(w, b, X, y, C)
    assert f_ours <= f_svc * (1 + 1e-3)
    assert np.linalg.norm(ours.coef_[0] - w) <= 1e-2 * np.linalg.norm(w)
    assert abs(ours.intercept_[0] - b) <= 2e-2
    assert np.mean(ours.predict(X) == svc.predict(X)) >= 0.99


def test_linear_svm_matches_linearsvc_without_intercept():
    X, y = _svm_data(seed=1)
    ours = LinearSVM(C=0.5, fit_intercept=False, max_epochs=5000).fit(X, y)
    lsvc = LinearSVC(C=0.5, loss="hinge", fit_intercept=False, dual=True, tol=1e-10,
                     max_iter=200_000).fit(X, y)
    w = lsvc.coef_[0]
    assert ours.intercept_[0] == 0.0
    assert np.linalg.norm(ours.coef_[0] - w) <= 1e-2 * np.linalg.norm(w)
    f_ours = neural.svm_objective(ours.coef_[0], 0.0, X, y, 0.5)
    assert f_ours <= neural.svm_objective(w, 0.0, X, y, 0.5) * (1 + 1e-3)


def test_svm_objective_by_hand_and_curve_decreases():
    X = np.array([[1.0, 2.0], [-1.0, 0.0], [0.5, -0.5]])
    y = np.array([1, -1, 1])
    w, b = np.array([0.5, -0.5]), 0.25
    margins = y * (X @ w + b)  # -0.25, 0.25, 0.75
    expected = 0.5 * 0.5 + 2.0 * np.sum(np.maximum(0, 1 - margins))
    assert neural.svm_objective(w, b, X, y, C=2.0) == pytest.approx(expected)
    Xs, ys = _svm_data(seed=2)
    curve = LinearSVM(C=1.0, max_epochs=3000).fit(Xs, ys).objective_curve_
    assert curve[-1] <= curve[0] and len(curve) == 30


# --------------------------------------------------------------------------- a real data set
def test_breast_cancer_from_the_sklearn_wheel():
    """A public data set read from the file inside scikit-learn's wheel (no download): our MLP
    and scikit-learn's, trained the same way, are equally good; our SVM reaches SVC's objective."""
    assert (files("sklearn.datasets") / "data" / "breast_cancer.csv").is_file()  # in the wheel
    X, y = load_breast_cancer(return_X_y=True)
    assert X.shape == (569, 30) and y.sum() == 357  # the published size and benign count
    X_tr, X_te, y_tr, y_te = train_test_split(X, y, test_size=0.3, stratify=y, random_state=0)
    scaler = StandardScaler().fit(X_tr)
    X_tr, X_te = scaler.transform(X_tr), scaler.transform(X_te)
    ours = MLPClassifier(hidden=(16,), alpha=1e-3, learning_rate=1e-3, batch_size=32,
                         max_epochs=100, random_state=0).fit(X_tr, y_tr)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        sk = SkMLP(hidden_layer_sizes=(16,), alpha=1e-3, learning_rate_init=1e-3, batch_size=32,
                   max_iter=100, random_state=0).fit(X_tr, y_tr)
    auc_ours = roc_auc_score(y_te, ours.predict_proba(X_te)[:, 1])
    auc_sk = roc_auc_score(y_te, sk.predict_proba(X_te)[:, 1])
    assert auc_ours > 0.98 and abs(auc_ours - auc_sk) < 0.01
    svm = LinearSVM(C=0.1, max_epochs=4000).fit(X_tr, y_tr)
    svc = SVC(kernel="linear", C=0.1, tol=1e-10).fit(X_tr, y_tr)
    f_ours = neural.svm_objective(svm.coef_[0], svm.intercept_[0], X_tr, y_tr, 0.1)
    f_svc = neural.svm_objective(svc.coef_[0], svc.intercept_[0], X_tr, y_tr, 0.1)
    assert f_ours <= f_svc * 1.01
    assert roc_auc_score(y_te, svm.decision_function(X_te)) > 0.98


def test_validation_arguments_are_checked():
    X, y = _data(60, 3)
    with pytest.raises(ValueError, match="X_val and y_val"):
        MLPClassifier(early_stopping=True, max_epochs=2).fit(X, y, X_val=X)
    with pytest.raises(ValueError, match="early_stopping=True"):
        MLPClassifier(max_epochs=2).fit(X, y, X, y)
    with pytest.raises(ValueError, match="y_val has label"):
        MLPClassifier(early_stopping=True, max_epochs=2).fit(X, y, X, y + 5)
    with pytest.raises(ValueError, match="X_val has 2 columns"):
        MLPClassifier(early_stopping=True, max_epochs=2).fit(X, y, X[:, :2], y)
    with pytest.raises(ValueError, match="single class"):
        MLPClassifier(max_epochs=2).fit(X, np.zeros(60))


def test_dataframe_input_gives_the_same_model():
    import pandas as pd

    X, y = _data(80, 3)
    frame = pd.DataFrame(X, columns=["recency", "frequency", "monetary"])
    a = MLPClassifier(hidden=(4,), max_epochs=5, random_state=0).fit(frame, pd.Series(y))
    b = MLPClassifier(hidden=(4,), max_epochs=5, random_state=0).fit(X, y)
    np.testing.assert_array_equal(a.predict_proba(frame), b.predict_proba(X))
    with pytest.raises(TypeError, match="X"):
        a.predict_proba(frame.assign(recency=frame["recency"].astype(str)))
