import numpy as np
import pytest

from dlcourse import activations as act

# Points away from the kinks of step and ReLU at 0, where no derivative exists.
Z = np.concatenate([np.linspace(-5, -0.05, 40), np.linspace(0.05, 5, 40)])


@pytest.mark.parametrize("name", sorted(act.ACTIVATIONS))
def test_derivative_matches_finite_differences(name):
    f, f_prime = act.ACTIVATIONS[name]
    h = 1e-5
    numeric = (f(Z + h) - f(Z - h)) / (2 * h)
    np.testing.assert_allclose(f_prime(Z), numeric, atol=1e-6)


@pytest.mark.parametrize("slope", [0.5, 1.0, 2.0])
def test_sigmoid_slope_derivative(slope):
    h = 1e-5
    numeric = (act.sigmoid(Z + h, slope) - act.sigmoid(Z - h, slope)) / (
        2 * h
    )
    np.testing.assert_allclose(
        act.sigmoid_prime(Z, slope), numeric, atol=1e-6
    )
    assert act.sigmoid_prime(0.0, slope) == pytest.approx(slope / 4)


def test_ranges():
    z = np.linspace(-20, 20, 101)
    assert np.all((act.sigmoid(z) >= 0) & (act.sigmoid(z) <= 1))
    assert np.all(np.abs(act.tanh(z)) <= 1)
    assert np.all(act.relu(z) >= 0)
    np.testing.assert_allclose(
        act.tanh(z), 2 * act.sigmoid(2 * z) - 1, atol=1e-12
    )
