"""The idealised GAN game of Goodfellow et al. (2014), where both players
can be any function: what the best discriminator is, and what the game is
worth at its equilibrium.

Kept apart from ``dlcourse.gan`` (the trained networks): these formulas
describe the game, not a run.
"""

import numpy as np


def optimal_discriminator(
    p_data: np.ndarray, p_model: np.ndarray
) -> np.ndarray:
    """D*(x) = p_data(x) / (p_data(x) + p_model(x)): for a fixed generator,
    the discriminator that maximises the game's value at every x."""
    p_data, p_model = np.asarray(p_data), np.asarray(p_model)
    return p_data / (p_data + p_model)


def game_value(p_data: np.ndarray, p_model: np.ndarray) -> float:
    """E_data[ln D*] + E_model[ln(1 − D*)] for distributions over finitely
    many points: −ln 4 exactly when the model equals the data."""
    p_data, p_model = np.asarray(p_data), np.asarray(p_model)
    d = optimal_discriminator(p_data, p_model)
    return float(
        np.sum(p_data * np.log(d)) + np.sum(p_model * np.log(1 - d))
    )
