"""Gradient descent lowers the loss for a small learning rate and diverges
for one above 2 / λ_max."""

import numpy as np
import pytest

from dlcourse import descent

START = np.array([1.0, 1.0])


def test_gradient_is_the_derivative_of_the_valley():
    h, w = 1e-6, np.array([0.3, -0.7])
    numeric = [
        (descent.valley(w + h * e) - descent.valley(w - h * e)) / (2 * h)
        for e in np.eye(2)
    ]
    assert np.allclose(descent.valley_gradient(w), numeric)


def test_a_small_step_lowers_the_loss_by_eta_times_gradient_squared():
    eta = 1e-4
    g = descent.valley_gradient(START)
    before, after = descent.gradient_descent(
        descent.valley, descent.valley_gradient, START, eta, 1
    )
    assert after - before == pytest.approx(-eta * g @ g, rel=1e-2)


def test_below_the_stable_rate_descent_converges_above_it_diverges():
    eta_max = descent.largest_stable_rate()
    good = descent.gradient_descent(
        descent.valley, descent.valley_gradient, START, 0.9 * eta_max, 100
    )
    bad = descent.gradient_descent(
        descent.valley, descent.valley_gradient, START, 1.1 * eta_max, 100
    )
    assert np.all(np.diff(good) < 0) and good[-1] < 1e-3
    assert bad[-1] > 1e3 * bad[0]


def test_each_step_multiplies_each_coordinate_by_one_minus_eta_lambda():
    eta, steps = 0.15, 5
    path = descent.descent_path(descent.valley_gradient, START, eta, steps)
    factors = 1 - eta * descent.CURVATURES
    assert len(path) == steps + 1
    for n, point in enumerate(path):
        assert np.allclose(point, START * factors**n)
