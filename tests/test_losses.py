import numpy as np
import pytest

from dlcourse import activations, losses

M = np.linspace(-4, 4, 161)


@pytest.mark.parametrize("name", sorted(losses.MARGIN_LOSSES))
def test_margin_losses_are_nonnegative_and_punish_mistakes(name):
    loss = losses.MARGIN_LOSSES[name]
    assert np.all(loss(M) >= 0)
    # a mistake costs more than a right answer
    assert np.all(loss(M[M < 0]) >= loss(np.array(1.0)))


def test_hinge_is_zero_beyond_margin_one_and_logistic_never():
    assert np.all(losses.hinge(M[M >= 1]) == 0)
    assert np.all(losses.logistic(M) > 0)
    assert losses.logistic(np.array(0.0)) == pytest.approx(np.log(2))
    assert np.all(np.diff(losses.logistic(M)) < 0)


def test_logistic_does_not_overflow():
    assert np.isfinite(losses.logistic(np.array(-1000.0)))
    assert losses.logistic(np.array(-1000.0)) == pytest.approx(1000.0)


def test_squared_margin_is_the_squared_error_for_labels_plus_minus_one():
    scores = np.linspace(-3, 3, 13)
    for y in (-1, 1):
        np.testing.assert_allclose(
            losses.squared_margin(y * scores), (y - scores) ** 2
        )


def test_logistic_loss_is_cross_entropy_of_a_sigmoid():
    scores = np.linspace(-5, 5, 11)
    for y in (-1, 1):
        # label −1/+1 as target 0/1
        target = np.full_like(scores, (y + 1) / 2)
        per_example = [
            losses.cross_entropy(activations.sigmoid(s), t)
            for s, t in zip(scores, target)
        ]
        np.testing.assert_allclose(losses.logistic(y * scores), per_example)


@pytest.mark.parametrize("name", sorted(losses.LOSSES))
def test_output_loss_gradients_match_finite_differences(name):
    loss, gradient = losses.LOSSES[name]
    rng = np.random.default_rng(0)
    a, y = rng.uniform(0.1, 0.9, 6), rng.integers(0, 2, 6).astype(float)
    h = 1e-6
    numeric = [
        (loss(a + h * e, y) - loss(a - h * e, y)) / (2 * h)
        for e in np.eye(6)
    ]
    np.testing.assert_allclose(gradient(a, y), numeric, rtol=1e-6)
    # (almost) no loss when a = y
    assert loss(y * 0.999999 + 0.0000005, y) < 1e-5
