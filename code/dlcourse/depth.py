"""Deep versus shallow: the sawtooth that depth computes with few neurons
(Telgarsky 2016).

The tent map t(x) = 2 ReLU(x) − 4 ReLU(x − ½) folds [0, 1] onto itself: up
from 0 to 1, then down again. Composing it k times, t∘t∘…∘t, gives a sawtooth
with 2^k linear pieces. A deep network computes it with k hidden layers of 2
ReLU neurons each; one hidden layer of ReLU neurons adds at most one kink per
neuron, so a shallow network needs about 2^k neurons for the same function.
"""

import numpy as np
import torch
from torch import nn

from dlcourse.activations import relu

# the chapters evaluate the sawtooth networks with depth.evaluate
from dlcourse.networks import evaluate  # noqa: F401


def tent(x: np.ndarray) -> np.ndarray:
    """t(x) = 2 ReLU(x) − 4 ReLU(x − ½): 2x on [0, ½], 2 − 2x on [½, 1]."""
    return 2 * relu(x) - 4 * relu(np.asarray(x) - 0.5)


def sawtooth(x: np.ndarray, k: int) -> np.ndarray:
    """The tent map applied k times: 2^(k−1) teeth and 2^k linear pieces
    on [0, 1]."""
    for _ in range(k):
        x = tent(x)
    return x


def _linear(weight: list, bias: list) -> nn.Linear:
    """A linear layer with the given weights and biases (float64, no training
    needed)."""
    layer = nn.Linear(len(weight[0]), len(weight)).double()
    with torch.no_grad():
        layer.weight.copy_(torch.tensor(weight, dtype=torch.float64))
        layer.bias.copy_(torch.tensor(bias, dtype=torch.float64))
    return layer


def deep_sawtooth(k: int) -> nn.Sequential:
    """k hidden layers of 2 ReLU neurons computing sawtooth(x, k) exactly.

    Each hidden layer holds ReLU(u) and ReLU(u − ½) of the previous tent's
    value u; the next layer's weights (2, −4) combine them into t(u).
    """
    layers = [_linear([[1.0], [1.0]], [0.0, -0.5]), nn.ReLU()]
    for _ in range(k - 1):
        layers += [
            _linear([[2.0, -4.0], [2.0, -4.0]], [0.0, -0.5]),
            nn.ReLU(),
        ]
    return nn.Sequential(*layers, _linear([[2.0, -4.0]], [0.0]))


def shallow_sawtooth(k: int) -> nn.Sequential:
    """One hidden layer of 2^k ReLU neurons computing sawtooth(x, k) on
    [0, 1].

    Neuron i is ReLU(x − i/2^k), a kink at the i-th breakpoint; its output
    weight is the change of slope there: +2^k at 0, then −2·2^k, +2·2^k, ...
    """
    n = 2**k
    slope_changes = [n] + [(-2 if i % 2 else 2) * n for i in range(1, n)]
    hidden = _linear([[1.0]] * n, [-i / n for i in range(n)])
    return nn.Sequential(hidden, nn.ReLU(), _linear([slope_changes], [0.0]))


def hidden_neurons(net: nn.Sequential) -> int:
    """The number of ReLU neurons: the outputs of every linear layer that a
    ReLU follows."""
    return sum(
        layer.out_features
        for layer, after in zip(net, net[1:])
        if isinstance(after, nn.ReLU)
    )


def linear_pieces(f: np.ndarray, x: np.ndarray, tol: float = 1e-6) -> int:
    """How many linear pieces the samples f(x) form: one more than the number
    of slope changes.

    The grid must contain every kink (a dyadic grid does for the sawtooth),
    or a piece that straddles a kink is counted as an extra one.
    """
    slopes = np.diff(f) / np.diff(x)
    return 1 + int(
        np.sum(np.abs(np.diff(slopes)) > tol * np.abs(slopes).max())
    )


def dyadic_grid(k: int) -> np.ndarray:
    """The points i/2^(k+2) of [0, 1]: every kink of sawtooth(·, k) lies on
    it, with points in between."""
    return np.linspace(0, 1, 2 ** (k + 2) + 1)
