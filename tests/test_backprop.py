import numpy as np
import pytest

from dlcourse import backprop as bp
from dlcourse import toy2d


def batch(
    n_in: int, n_out: int, m: int = 5, seed: int = 1
) -> tuple[np.ndarray, np.ndarray]:
    """Random inputs (one a column) and targets in (0, 1), valid for both losses."""
    rng = np.random.default_rng(seed)
    return rng.standard_normal((n_in, m)), rng.uniform(
        0.05, 0.95, (n_out, m)
    )


# Cross entropy needs outputs in (0, 1): only a sigmoid output layer gives them.
@pytest.mark.parametrize(
    "activation,loss",
    [
        ("sigmoid", "squared"),
        ("tanh", "squared"),
        ("relu", "squared"),
        ("sigmoid", "cross entropy"),
    ],
)
def test_backprop_equals_autograd_and_finite_differences(activation, loss):
    net = bp.Network([3, 4, 5, 2], activation=activation, loss=loss, seed=2)
    x, y = batch(3, 2)
    ours = net.backprop(x, y)
    assert bp.max_difference(ours, bp.autograd_gradients(net, x, y)) < 1e-12
    assert (
        bp.max_difference(ours, bp.finite_difference_gradients(net, x, y))
        < 1e-6
    )


def test_gradients_have_the_parameters_shapes():
    net = bp.Network([2, 3, 1])
    grad_w, grad_b = net.backprop(*batch(2, 1))
    assert [g.shape for g in grad_w] == [w.shape for w in net.weights]
    assert [g.shape for g in grad_b] == [b.shape for b in net.biases]


def test_batch_gradient_is_the_sum_of_the_examples_gradients():
    net = bp.Network([2, 3, 1])
    x, y = batch(2, 1, m=4)
    singles = [net.backprop(x[:, [i]], y[:, [i]]) for i in range(4)]
    summed = (
        [sum(g[0][l] for g in singles) for l in range(2)],
        [sum(g[1][l] for g in singles) for l in range(2)],
    )
    assert bp.max_difference(net.backprop(x, y), summed) < 1e-12


def test_max_difference_sees_a_wrong_gradient():
    net = bp.Network([2, 3, 1])
    x, y = batch(2, 1)
    grad_w, grad_b = net.backprop(x, y)
    grad_w[1] = grad_w[1] + 1e-3
    assert bp.max_difference(
        (grad_w, grad_b), bp.autograd_gradients(net, x, y)
    ) == pytest.approx(1e-3)


def test_sgd_step_moves_against_the_gradient():
    net = bp.Network([2, 3, 1])
    x, y = batch(2, 1, m=8)
    before = net.cost(x, y)
    net.sgd_step(x, y, eta=0.1)
    assert net.cost(x, y) < before


def test_minibatches_cover_every_example_once():
    batches = bp.minibatches(10, 3, np.random.default_rng(0))
    assert [len(b) for b in batches] == [3, 3, 3, 1]
    assert sorted(np.concatenate(batches)) == list(range(10))
    with pytest.raises(ValueError, match="minibatch size"):
        bp.minibatches(10, 0, np.random.default_rng(0))


def test_training_learns_xor():
    points, labels = toy2d.xor()
    net = bp.Network([2, 3, 1], seed=0)
    x, y = points.T, labels[None, :].astype(float)
    costs = net.train(x, y, epochs=3000, m=4, eta=2.0)
    assert costs[-1] < costs[0] / 10
    assert list(net.predict(x)) == list(labels)


def test_training_separates_two_moons():
    points, labels = toy2d.two_moons(200, noise=0.2, seed=0)
    net = bp.Network([2, 8, 8, 1], seed=0)
    x, y = points.T, labels[None, :].astype(float)
    costs = net.train(x, y, epochs=200, m=10, eta=1.0)
    assert costs[-1] < costs[0] / 2
    assert np.mean(net.predict(x) == labels) > 0.9


def test_unknown_activation_or_loss_is_refused_with_the_choices():
    with pytest.raises(ValueError, match="choose from"):
        bp.Network([2, 1], activation="softplus")
    with pytest.raises(ValueError, match="cross entropy"):
        bp.Network([2, 1], loss="hinge")


def test_predict_is_the_most_active_output_or_a_threshold():
    one_output = bp.Network([2, 1])
    x = np.random.default_rng(3).standard_normal((2, 6))
    np.testing.assert_array_equal(
        one_output.predict(x),
        (one_output.feedforward(x)[0] > 0.5).astype(int),
    )
    two_outputs = bp.Network([2, 3, 2])
    np.testing.assert_array_equal(
        two_outputs.predict(x), two_outputs.feedforward(x).argmax(axis=0)
    )
