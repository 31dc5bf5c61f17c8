"""Convolution filters and max pooling, written out in NumPy.

A filter slides an n×n kernel over the image. The output pixel is the sum of
the elementwise products of the kernel with the n×n patch *centred* on the
target pixel. That is what ``torch.nn.functional.conv2d`` computes too:
strictly speaking a cross-correlation, because the kernel is not flipped (a
textbook convolution flips it first). For the symmetric kernels below the two
agree.
"""

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

#: The lecture's filters, 3×3 each. "edges" responds to a change in any
#: direction; the two Sobel kernels only to a change from left to right
#: ("vertical edges") or from top to bottom ("horizontal edges"). They are
#: the kernels here that a flip changes: each flips to its negative.
KERNELS = {
    "identity": np.array([[0, 0, 0], [0, 1, 0], [0, 0, 0]], dtype=float),
    "blur": np.full((3, 3), 1 / 9),
    "edges": np.array(
        [[-1, -1, -1], [-1, 8, -1], [-1, -1, -1]], dtype=float
    ),
    "vertical edges": np.array(
        [[-1, 0, 1], [-2, 0, 2], [-1, 0, 1]], dtype=float
    ),
    "horizontal edges": np.array(
        [[-1, -2, -1], [0, 0, 0], [1, 2, 1]], dtype=float
    ),
}


def convolve(image: np.ndarray, kernel: np.ndarray) -> np.ndarray:
    """Filter a 2-D image: each output pixel is sum(kernel * patch centred on
    that pixel).

    The image is padded with zeros, so border pixels have a full patch and
    the output has the image's size. The kernel must be square with an odd
    side n, so that it has a centre pixel.
    """
    n = kernel.shape[0]
    if kernel.shape != (n, n) or n % 2 == 0:
        raise ValueError(
            "the kernel must be n×n with n odd, to have a centre; got "
            f"shape {kernel.shape}"
        )
    padded = np.pad(np.asarray(image, dtype=float), n // 2)
    # patches[i, j] is centred on pixel (i, j)
    patches = sliding_window_view(padded, (n, n))
    return np.sum(patches * kernel, axis=(-2, -1))


def max_pool(
    feature_map: np.ndarray, size: int = 2, stride: int | None = None
) -> np.ndarray:
    """Keep the largest value of each size×size window, moving the window by
    ``stride`` (default: size)."""
    stride = size if stride is None else stride
    windows = sliding_window_view(feature_map, (size, size))[
        ::stride, ::stride
    ]
    return windows.max(axis=(-2, -1))


def relu_feature_map(image: np.ndarray, kernel: np.ndarray) -> np.ndarray:
    """The feature map of one kernel: the filtered image through a ReLU, high
    where the feature is."""
    return np.maximum(convolve(image, kernel), 0)


def shift(image: np.ndarray, rows: int = 0, cols: int = 0) -> np.ndarray:
    """The image moved down by ``rows`` and right by ``cols`` pixels
    (negative: up, left); zeros fill in."""
    height, width = image.shape
    moved = np.zeros_like(image)
    moved[
        max(rows, 0) : height + min(rows, 0),
        max(cols, 0) : width + min(cols, 0),
    ] = image[
        max(-rows, 0) : height + min(-rows, 0),
        max(-cols, 0) : width + min(-cols, 0),
    ]
    return moved


def relative_change(a: np.ndarray, b: np.ndarray) -> float:
    """How different b is from a: ||a - b|| / ||a||, 0 when equal."""
    return float(np.linalg.norm(a - b) / np.linalg.norm(a))


def shift_sensitivity(
    image: np.ndarray,
    kernel: np.ndarray,
    rows: int = 0,
    cols: int = 1,
    size: int = 2,
) -> tuple[float, float]:
    """How much a small shift of the image changes its feature map, before
    and after max pooling.

    Returns (relative change of the feature map, relative change of the
    pooled map). Within a pooling window the maximum often stays the same
    when its pixel moves by one, so the pooled map changes less: pooling
    makes features less sensitive to where exactly they are.
    """
    before = relu_feature_map(image, kernel)
    after = relu_feature_map(shift(image, rows, cols), kernel)
    return relative_change(before, after), relative_change(
        max_pool(before, size), max_pool(after, size)
    )
