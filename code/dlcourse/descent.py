"""Gradient descent on a loss whose gradient we know exactly, to see why
it works and when it does not.

Near a point w, L(w + Δw) ≈ L(w) + ∇L · Δw. The step Δw = −η ∇L makes the
change ΔL ≈ −η ‖∇L‖², which is negative: the loss falls, as long as η is
small enough for the linear approximation to hold.
"""

from collections.abc import Callable

import numpy as np

#: The curvatures of the valley L(w) = ½ (λ₁ w₁² + λ₂ w₂²): steep across,
#: shallow along.
CURVATURES = np.array([10.0, 1.0])


def valley(w: np.ndarray) -> float:
    """L(w) = ½ Σ λ_i w_i², a long narrow valley with its minimum 0 at 0."""
    return 0.5 * float(np.sum(CURVATURES * np.asarray(w) ** 2))


def valley_gradient(w: np.ndarray) -> np.ndarray:
    """∇L(w) = (λ₁ w₁, λ₂ w₂)."""
    return CURVATURES * np.asarray(w, dtype=float)


def descent_path(
    gradient: Callable[[np.ndarray], np.ndarray],
    w: np.ndarray,
    eta: float,
    steps: int,
) -> list[np.ndarray]:
    """The points gradient descent visits: w, then w after each step
    w → w − η ∇L(w)."""
    path = [np.asarray(w, dtype=float)]
    for _ in range(steps):
        path.append(path[-1] - eta * gradient(path[-1]))
    return path


def gradient_descent(
    loss: Callable[[np.ndarray], float],
    gradient: Callable[[np.ndarray], np.ndarray],
    w: np.ndarray,
    eta: float,
    steps: int,
) -> list[float]:
    """The loss before and after each step (:func:`descent_path`)."""
    return [loss(point) for point in descent_path(gradient, w, eta, steps)]


def largest_stable_rate() -> float:
    """η = 2 / λ_max: along the steepest direction a step multiplies w_i by
    (1 − η λ_i), which shrinks it only while |1 − η λ_i| < 1."""
    return 2.0 / float(CURVATURES.max())
