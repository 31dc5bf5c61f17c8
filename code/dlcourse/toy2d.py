"""Two-class problems in the plane that no single perceptron can solve, and a
picture of a classifier.

A perceptron separates the plane with one straight line. XOR and two
interleaved half-moons need a curved boundary: a network with a hidden layer.
Points are rows (n × 2) and labels are 0 or 1, as a plot expects them.
"""

from collections.abc import Callable

import matplotlib.pyplot as plt
import numpy as np

from dlcourse.perceptron import binary_inputs


def xor() -> tuple[np.ndarray, np.ndarray]:
    """The four binary inputs and their XOR: 1 when exactly one input is
    1."""
    points = np.array(binary_inputs(2), dtype=float)
    return points, (points.sum(axis=1) == 1).astype(int)


def two_moons(
    n: int = 200, noise: float = 0.1, seed: int = 0
) -> tuple[np.ndarray, np.ndarray]:
    """Two interleaved half-circles of n/2 points each, with Gaussian noise:
    class 0 above, class 1 below."""
    rng = np.random.default_rng(seed)
    angle = rng.uniform(0, np.pi, n)
    labels = np.arange(n) % 2
    upper = np.column_stack([np.cos(angle), np.sin(angle)])
    lower = np.column_stack([1 - np.cos(angle), 0.5 - np.sin(angle)])
    points = np.where(labels[:, None] == 0, upper, lower)
    return points + noise * rng.standard_normal((n, 2)), labels


def plot_decision_boundary(
    ax: plt.Axes,
    predict: Callable[[np.ndarray], np.ndarray],
    points: np.ndarray,
    labels: np.ndarray,
    resolution: int = 200,
) -> None:
    """Shade the plane by the class ``predict`` gives each point (it takes
    one point a column) and show the data."""
    margin = 0.5
    (x_min, y_min), (x_max, y_max) = (
        points.min(axis=0) - margin,
        points.max(axis=0) + margin,
    )
    gx, gy = np.meshgrid(
        np.linspace(x_min, x_max, resolution),
        np.linspace(y_min, y_max, resolution),
    )
    classes = predict(np.vstack([gx.ravel(), gy.ravel()])).reshape(gx.shape)
    ax.contourf(
        gx,
        gy,
        classes,
        levels=[-0.5, 0.5, 1.5],
        colors=["tab:blue", "tab:red"],
        alpha=0.2,
    )
    for label, color in ((0, "tab:blue"), (1, "tab:red")):
        ax.scatter(
            *points[labels == label].T,
            s=25,
            color=color,
            edgecolor="black",
            label=f"class {label}",
        )
    # subscript digits, not mathtext's smaller subscripts: readable when
    # three panels share the page's width
    ax.set(xlabel="x₁", ylabel="x₂")
    ax.legend(loc="upper right")
