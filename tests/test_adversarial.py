"""The idealised GAN game: the best discriminator and the equilibrium."""

import numpy as np
import pytest
import torch

from dlcourse.adversarial import game_value, optimal_discriminator
from dlcourse.evaluation import nearest_images


def test_a_perfect_generator_leaves_the_discriminator_at_one_half():
    p = np.array([0.1, 0.6, 0.3])
    assert np.allclose(optimal_discriminator(p, p), 0.5)
    assert game_value(p, p) == pytest.approx(-np.log(4))


def test_the_optimal_discriminator_beats_any_other_and_an_imperfect_model():
    p_data, p_model = np.array([0.5, 0.3, 0.2]), np.array([0.2, 0.2, 0.6])
    d = optimal_discriminator(p_data, p_model)
    assert d[0] == pytest.approx(0.5 / 0.7)
    for other in (np.full(3, 0.5), np.array([0.9, 0.5, 0.1])):
        value = np.sum(p_data * np.log(other)) + np.sum(
            p_model * np.log(1 - other)
        )
        assert value < game_value(p_data, p_model)
    assert game_value(p_data, p_model) > -np.log(4)


def test_nearest_images_finds_a_copy_at_distance_zero():
    pool = torch.rand(
        50, 1, 4, 4, generator=torch.Generator().manual_seed(0)
    )
    images = torch.stack([pool[7], pool[3] + 0.01])
    index, distance = nearest_images(images, pool)
    assert index.tolist() == [7, 3]
    # cdist's fast matrix-product form rounds a zero distance to ~1e-3
    assert distance[0] == pytest.approx(0.0, abs=1e-2)
    assert distance[1] == pytest.approx(0.04, abs=1e-2)
