import numpy as np
import pytest

from dlcourse import depth
from dlcourse.networks import count_parameters


@pytest.mark.parametrize("k", range(1, 7))
def test_both_networks_compute_the_sawtooth(k):
    # finer than needed: points inside every piece
    x = depth.dyadic_grid(k + 3)
    for net in (depth.deep_sawtooth(k), depth.shallow_sawtooth(k)):
        np.testing.assert_allclose(
            depth.evaluate(net, x), depth.sawtooth(x, k), atol=1e-12
        )


@pytest.mark.parametrize("k", range(1, 8))
def test_sawtooth_has_two_to_the_k_pieces(k):
    x = depth.dyadic_grid(k)
    assert depth.linear_pieces(depth.sawtooth(x, k), x) == 2**k


def test_tent_folds_the_unit_interval():
    np.testing.assert_allclose(
        depth.tent(np.array([0, 0.25, 0.5, 0.75, 1])), [0, 0.5, 1, 0.5, 0]
    )


def test_linear_pieces_counts_kinks():
    x = np.linspace(-1, 1, 9)
    assert depth.linear_pieces(2 * x + 1, x) == 1
    assert depth.linear_pieces(np.abs(x), x) == 2


@pytest.mark.parametrize("k", range(1, 8))
def test_depth_grows_linearly_width_exponentially(k):
    deep, shallow = depth.deep_sawtooth(k), depth.shallow_sawtooth(k)
    assert depth.hidden_neurons(deep) == 2 * k
    assert depth.hidden_neurons(shallow) == 2**k
    assert count_parameters(deep) == 6 * k + 1  # 4 + 6(k − 1) + 3
    assert count_parameters(shallow) == 3 * 2**k + 1
