"""Networks of neurons: fully connected layers, their parameters, universal
approximation.

A fully connected layer l computes a^l = σ(w^l a^{l-1} + b^l): every neuron
sees every output of the layer before. The package builds such networks from
``torch.nn`` so that the parameters we count are the ones PyTorch would
train.
"""

from collections.abc import Callable, Sequence
from itertools import product

import matplotlib.pyplot as plt
import numpy as np
import torch
from torch import nn

#: The lecture's quiz network: 10 inputs, two hidden layers of 10 neurons and
#: 10 outputs.
QUIZ_SIZES = (10, 10, 10, 10)
#: The widths of the hidden layer in the networks chapter's
#: universal-approximation demo: 1, 2, 4, ..., 256 neurons, each twice the
#: one before.
APPROXIMATION_WIDTHS = tuple(2**k for k in range(9))


def fully_connected(
    sizes: Sequence[int], activation: type[nn.Module] = nn.Sigmoid
) -> nn.Sequential:
    """A multilayer perceptron: sizes[0] inputs, ..., sizes[-1] outputs.

    An activation follows every hidden layer; the output layer stays linear
    (raw scores), because the loss decides how scores become probabilities.
    """
    if len(sizes) < 2 or min(sizes) < 1:
        raise ValueError(
            "sizes must list an input and an output layer, each of at "
            f"least 1 neuron; got {sizes}"
        )
    layers: list[nn.Module] = []
    for n_in, n_out in zip(sizes[:-1], sizes[1:]):
        layers += [nn.Linear(n_in, n_out), activation()]
    return nn.Sequential(*layers[:-1])


def count_parameters(model: nn.Module) -> int:
    """How many numbers training must estimate: all trainable entries."""
    return sum(p.numel() for p in model.parameters() if p.requires_grad)


def layer_parameters(
    model: nn.Module,
) -> list[tuple[str, tuple[int, ...], int]]:
    """Each parameter tensor's name, shape and size: weights n_out × n_in,
    one bias per neuron."""
    return [
        (name, tuple(p.shape), p.numel())
        for name, p in model.named_parameters()
    ]


def draw_network(ax: plt.Axes, sizes: Sequence[int]) -> None:
    """Draw neurons as circles in columns, one column a layer, each joined to
    every neuron before it."""
    columns = [np.linspace(-1, 1, n) * (n - 1) / max(sizes) for n in sizes]
    for l, (left, right) in enumerate(zip(columns[:-1], columns[1:])):
        for y0, y1 in product(left, right):
            ax.plot([l, l + 1], [y0, y1], color="grey", linewidth=0.6)
    for l, ys in enumerate(columns):
        color = (
            "tab:green"
            if l == 0
            else "tab:orange"
            if l == len(sizes) - 1
            else "tab:blue"
        )
        ax.scatter(
            [l] * len(ys),
            ys,
            s=120,
            color=color,
            edgecolor="black",
            zorder=3,
        )
    names = ["input"] + ["hidden"] * (len(sizes) - 2) + ["output"]
    ax.set_xticks(
        range(len(sizes)),
        [f"{name}\n{n} neurons" for name, n in zip(names, sizes)],
    )
    ax.set_yticks([])
    ax.set_ylabel("neurons of a layer")
    for side in ("top", "right", "left"):
        ax.spines[side].set_visible(False)


def universal_target(x: np.ndarray) -> np.ndarray:
    """A continuous function with a kink at 0 for the approximation demo:
    sin(3x) + |x|/2."""
    return np.sin(3 * x) + 0.5 * np.abs(x)


def random_hidden_layer(
    width: int, domain: tuple[float, float], seed: int = 0
) -> nn.Sequential:
    """A 1 → width → 1 sigmoid network, hidden steps at random places.

    Neuron i is σ(w_i (x − c_i)), a smooth step at c_i of steepness |w_i|.
    The same seed gives the same first neurons for every width, so a wider
    network contains the narrower ones and can only approximate better.
    """
    # One stream per quantity: the first k draws do not depend on width.
    centres = np.random.default_rng([seed, 0]).uniform(*domain, width)
    steepness = np.random.default_rng([seed, 1]).uniform(2, 20, width)
    sign = np.random.default_rng([seed, 2]).choice([-1.0, 1.0], width)
    slopes = sign * steepness
    net = fully_connected([1, width, 1])
    with torch.no_grad():
        net[0].weight.copy_(torch.tensor(slopes[:, None]))
        net[0].bias.copy_(torch.tensor(-slopes * centres))
    return net.double()


def fit_output_layer(
    net: nn.Sequential, x: np.ndarray, y: np.ndarray
) -> nn.Sequential:
    """Give the output layer the least-squares best weights for f(x) = y.

    With the hidden neurons fixed, the output v·h(x) + b is linear in (v, b),
    so the best fit is one linear solve: no training loop, no learning rate.
    """
    inputs = torch.tensor(x, dtype=torch.float64)[:, None]
    with torch.no_grad():
        hidden = net[:-1](inputs).numpy()
        design = np.hstack([hidden, np.ones((len(x), 1))])
        coefficients, *_ = np.linalg.lstsq(design, y, rcond=1e-8)
        net[-1].weight.copy_(torch.tensor(coefficients[None, :-1]))
        net[-1].bias.fill_(coefficients[-1])
    return net


def evaluate(net: nn.Module, x: np.ndarray) -> np.ndarray:
    """The outputs of a network with one input and one output (float64) on
    the points x."""
    with torch.no_grad():
        return (
            net(torch.tensor(x, dtype=torch.float64)[:, None])
            .numpy()
            .ravel()
        )


def approximation_errors(
    widths: Sequence[int],
    f: Callable[[np.ndarray], np.ndarray] = universal_target,
    domain: tuple[float, float] = (-2.0, 2.0),
    seed: int = 0,
) -> dict[int, tuple[nn.Sequential, float]]:
    """Fit a one-hidden-layer network of each width to f; return it and its
    worst error.

    The fit uses 401 points; the error max |net(x) − f(x)| is measured on ten
    times as many, so it is the error on the whole interval, not only at the
    fitted points.
    """
    x_fit, x_check = np.linspace(*domain, 401), np.linspace(*domain, 4001)
    fits = {}
    for width in widths:
        net = fit_output_layer(
            random_hidden_layer(width, domain, seed), x_fit, f(x_fit)
        )
        fits[width] = (
            net,
            float(np.max(np.abs(evaluate(net, x_check) - f(x_check)))),
        )
    return fits
