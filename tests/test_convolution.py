"""The package's own convolution and pooling against PyTorch's, and pooling's robustness to shifts."""

import numpy as np
import pytest
import torch
import torch.nn.functional as F

from dlcourse.convolution import (
    KERNELS,
    convolve,
    max_pool,
    relative_change,
    relu_feature_map,
    shift,
    shift_sensitivity,
)

rng = np.random.default_rng(0)


def torch_conv2d(image: np.ndarray, kernel: np.ndarray) -> np.ndarray:
    """PyTorch's conv2d on one image and one kernel, zero-padded to keep the size."""
    out = F.conv2d(
        torch.tensor(image)[None, None],
        torch.tensor(np.array(kernel))[None, None],
        padding=kernel.shape[0] // 2,
    )
    return out[0, 0].numpy()


@pytest.mark.parametrize("name", KERNELS)
def test_convolve_matches_torch_conv2d(name):
    image = rng.random((17, 23))
    np.testing.assert_allclose(
        convolve(image, KERNELS[name]),
        torch_conv2d(image, KERNELS[name]),
        atol=1e-12,
    )


def test_convolve_matches_conv2d_for_a_random_5x5_kernel():
    image, kernel = rng.random((12, 9)), rng.normal(size=(5, 5))
    np.testing.assert_allclose(
        convolve(image, kernel), torch_conv2d(image, kernel), atol=1e-12
    )


def test_output_pixel_is_the_sum_of_products_with_the_centred_patch():
    image, kernel = rng.random((8, 8)), rng.normal(size=(3, 3))
    assert convolve(image, kernel)[4, 5] == pytest.approx(
        np.sum(kernel * image[3:6, 4:7])
    )


def test_identity_keeps_the_image_and_blur_keeps_a_constant_interior():
    image = rng.random((10, 10))
    np.testing.assert_array_equal(
        convolve(image, KERNELS["identity"]), image
    )
    assert np.allclose(
        convolve(np.ones((6, 6)), KERNELS["blur"])[1:-1, 1:-1], 1
    )


def test_edges_are_zero_on_flat_regions_and_not_on_an_edge():
    step = np.zeros((6, 6))
    step[:, 3:] = 1
    edges = convolve(step, KERNELS["edges"])
    assert edges[1:-1, 1].tolist() == [0] * 4 and np.all(edges[1:-1, 2] != 0)


@pytest.mark.parametrize("name", ["vertical edges", "horizontal edges"])
def test_conv2d_does_not_flip_the_kernel(name):
    """A textbook convolution flips the kernel; conv2d and ours do not: Sobel's flip is its negative."""
    image, sobel = rng.random((9, 9)), KERNELS[name]
    np.testing.assert_allclose(np.flip(sobel), -sobel)
    np.testing.assert_allclose(
        torch_conv2d(image, np.flip(sobel)),
        -convolve(image, sobel),
        atol=1e-12,
    )


def test_even_kernel_is_refused():
    with pytest.raises(ValueError, match="odd"):
        convolve(np.zeros((5, 5)), np.ones((2, 2)))


@pytest.mark.parametrize("size,stride", [(2, 2), (3, 2), (2, 1), (3, 3)])
def test_max_pool_matches_torch(size, stride):
    fmap = rng.random((13, 12))
    expected = F.max_pool2d(torch.tensor(fmap)[None, None], size, stride)[
        0, 0
    ].numpy()
    np.testing.assert_array_equal(max_pool(fmap, size, stride), expected)


def test_shift_moves_pixels_and_fills_zeros():
    image = np.arange(1, 10).reshape(3, 3)
    assert shift(image, 0, 1).tolist() == [[0, 1, 2], [0, 4, 5], [0, 7, 8]]
    assert shift(image, -1, 0).tolist() == [[4, 5, 6], [7, 8, 9], [0, 0, 0]]
    np.testing.assert_array_equal(
        shift(shift(image, 1, 1), -1, -1)[:2, :2], image[:2, :2]
    )


def test_feature_map_is_non_negative_and_keeps_the_layout():
    image = np.zeros((10, 10))
    image[2:5, 6:9] = 1
    fmap = relu_feature_map(image, KERNELS["blur"])
    assert fmap.min() >= 0 and np.unravel_index(
        fmap.argmax(), fmap.shape
    ) == (3, 7)


@pytest.mark.parametrize("name", KERNELS)
def test_pooling_reduces_the_change_a_one_pixel_shift_makes_on_mnist(
    mnist_digits, name
):
    changes = np.array(
        [shift_sensitivity(digit, KERNELS[name]) for digit in mnist_digits]
    )
    before, after = changes.mean(axis=0)
    assert after < before
    assert (changes[:, 1] < changes[:, 0]).mean() > 0.9


def test_relative_change_is_zero_for_equal_maps():
    a = rng.random((4, 4))
    assert relative_change(a, a) == 0 and relative_change(
        a, 2 * a
    ) == pytest.approx(1)


@pytest.fixture(scope="module")
def mnist_digits() -> np.ndarray:
    from dlcourse.data import mnist

    return mnist(train=True).data[:100].numpy() / 255
