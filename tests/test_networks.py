import matplotlib.pyplot as plt
import numpy as np
import pytest
import torch
from torch import nn

from dlcourse import networks


def test_quiz_network_has_330_parameters():
    model = networks.fully_connected(networks.QUIZ_SIZES)
    # 3 layers of 10 × 10 weights and 10 biases each.
    assert networks.count_parameters(model) == 330
    assert [size for _, _, size in networks.layer_parameters(model)] == [
        100,
        10,
    ] * 3


@pytest.mark.parametrize(
    "sizes", [(2, 3, 1), (784, 30, 10), (5, 4, 4, 4, 2)]
)
def test_parameter_count_is_weights_plus_biases(sizes):
    expected = sum(
        n_in * n_out + n_out for n_in, n_out in zip(sizes[:-1], sizes[1:])
    )
    assert (
        networks.count_parameters(networks.fully_connected(sizes))
        == expected
    )


def test_frozen_parameters_are_not_counted():
    model = networks.fully_connected([3, 4, 2])
    model[0].weight.requires_grad_(False)
    assert networks.count_parameters(model) == 4 + 2 * 4 + 2


def test_fully_connected_layers_and_output():
    model = networks.fully_connected([4, 6, 3], activation=nn.ReLU)
    assert [type(layer) for layer in model] == [
        nn.Linear,
        nn.ReLU,
        nn.Linear,
    ]
    assert model(torch.zeros(5, 4)).shape == (5, 3)


@pytest.mark.parametrize("sizes", [(3,), (3, 0, 1), ()])
def test_bad_sizes_are_refused(sizes):
    with pytest.raises(ValueError, match="sizes"):
        networks.fully_connected(sizes)


def test_wider_networks_contain_the_narrower_ones():
    narrow, wide = (
        networks.random_hidden_layer(4, (-2, 2)),
        networks.random_hidden_layer(16, (-2, 2)),
    )
    torch.testing.assert_close(wide[0].weight[:4], narrow[0].weight)
    torch.testing.assert_close(wide[0].bias[:4], narrow[0].bias)


def test_universal_approximation_error_falls_with_width():
    errors = [
        error
        for _, error in networks.approximation_errors(
            networks.APPROXIMATION_WIDTHS
        ).values()
    ]
    assert errors == sorted(errors, reverse=True)
    assert errors[-1] < 0.01 < errors[0] / 100


def test_fitted_network_is_a_real_torch_model():
    ((net, error),) = networks.approximation_errors([32]).values()
    x = np.linspace(-2, 2, 7)
    expected = net(torch.tensor(x)[:, None]).detach().numpy().ravel()
    np.testing.assert_allclose(networks.evaluate(net, x), expected)
    assert np.max(np.abs(expected - networks.universal_target(x))) <= error


def test_draw_network_joins_every_neuron_to_the_layer_before():
    fig, ax = plt.subplots()
    networks.draw_network(ax, [3, 4, 2])
    assert len(ax.lines) == 3 * 4 + 4 * 2
    assert sum(len(c.get_offsets()) for c in ax.collections) == 3 + 4 + 2
    plt.close(fig)
