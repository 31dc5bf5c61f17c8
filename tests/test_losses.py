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


def test_softmax_is_a_probability_vector_unchanged_by_a_shift():
    s = np.array([2.0, -1.0, 0.5, 1000.0])
    p = losses.softmax(s)
    assert np.all(np.isfinite(p)) and p.sum() == pytest.approx(1.0)
    assert np.all(losses.softmax(s[:3]) > 0)
    assert np.allclose(losses.softmax(s[:3] + 7.0), losses.softmax(s[:3]))
    assert np.argmax(p) == np.argmax(s)


def test_categorical_cross_entropy_is_minus_log_p_and_matches_torch():
    import torch

    s, y = np.array([0.3, -1.2, 2.0, 0.1]), 1
    loss = losses.categorical_cross_entropy(s, y)
    assert loss == pytest.approx(-np.log(losses.softmax(s)[y]))
    torch_loss = torch.nn.functional.cross_entropy(
        torch.tensor(s)[None], torch.tensor([y])
    )
    assert loss == pytest.approx(torch_loss.item())


def test_categorical_cross_entropy_gradient_is_p_minus_one_hot():
    s, y, h = np.array([0.3, -1.2, 2.0, 0.1]), 2, 1e-6
    numeric = [
        (
            losses.categorical_cross_entropy(s + h * e, y)
            - losses.categorical_cross_entropy(s - h * e, y)
        )
        / (2 * h)
        for e in np.eye(len(s))
    ]
    gradient = losses.categorical_cross_entropy_gradient(s, y)
    assert np.allclose(gradient, numeric, atol=1e-8)
    assert gradient.sum() == pytest.approx(0.0, abs=1e-12)


def test_two_class_categorical_cross_entropy_is_the_binary_one():
    # two scores (0, s): p_1 = σ(s), so −ln p_y is the binary cross entropy
    for s in (-3.0, 0.0, 1.5):
        a = activations.sigmoid(s)
        assert losses.categorical_cross_entropy(
            np.array([0.0, s]), 1
        ) == pytest.approx(losses.cross_entropy(a, 1.0))
        assert losses.categorical_cross_entropy(
            np.array([0.0, s]), 0
        ) == pytest.approx(losses.cross_entropy(a, 0.0))
