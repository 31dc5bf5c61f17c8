import matplotlib.pyplot as plt
import numpy as np

from dlcourse import toy2d


def test_xor_is_one_when_exactly_one_input_is_one():
    points, labels = toy2d.xor()
    assert [tuple(p) for p in points.astype(int)] == [
        (0, 0),
        (0, 1),
        (1, 0),
        (1, 1),
    ]
    assert list(labels) == [0, 1, 1, 0]


def test_two_moons_is_balanced_reproducible_and_interleaved():
    points, labels = toy2d.two_moons(100, noise=0.0, seed=4)
    assert points.shape == (100, 2) and np.bincount(labels).tolist() == [
        50,
        50,
    ]
    np.testing.assert_array_equal(
        points, toy2d.two_moons(100, noise=0.0, seed=4)[0]
    )
    upper, lower = points[labels == 0], points[labels == 1]
    # class 0 on the unit circle's upper half
    np.testing.assert_allclose(np.hypot(*upper.T), 1.0)
    np.testing.assert_allclose(
        np.hypot(lower[:, 0] - 1, lower[:, 1] - 0.5), 1.0
    )
    # Interleaved: each moon reaches into the other's horizontal range, so no vertical line separates them.
    assert upper[:, 0].max() > lower[:, 0].min()


def test_decision_boundary_shades_both_classes_and_shows_the_data():
    points, labels = toy2d.xor()
    fig, ax = plt.subplots()
    toy2d.plot_decision_boundary(
        ax, lambda x: (x[0] > 0.5).astype(int), points, labels, resolution=20
    )
    # the shaded regions and one scatter per class
    assert len(ax.collections) == 3
    assert ax.get_xlabel() == "x₁" and ax.get_ylabel() == "x₂"
    plt.close(fig)
