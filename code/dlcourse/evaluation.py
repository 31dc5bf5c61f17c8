"""Looking at a trained network: its mistakes, its confusion matrix, smoothed
loss curves, digit grids."""

from collections.abc import Sequence

import matplotlib.pyplot as plt
import numpy as np
import torch


def confusion_matrix(
    predictions: torch.Tensor, labels: torch.Tensor, classes: int = 10
) -> torch.Tensor:
    """Entry (i, j) counts the images of digit i that were predicted as j;
    the diagonal is right."""
    return torch.bincount(
        labels * classes + predictions, minlength=classes * classes
    ).view(classes, classes)


def evaluate_accuracy(
    model: torch.nn.Module, loader: torch.utils.data.DataLoader
) -> float:
    """The lecture's test loop: the fraction of the loader's images whose
    most probable class is their label.

    ``model.eval()`` switches layers that behave differently in training
    (dropout, batch normalisation) to their test behaviour, and
    ``torch.no_grad()`` skips the bookkeeping for gradients, which testing
    never needs. The softmax is the lecture's; it is monotonic, so the
    argmax of the probabilities is the argmax of the scores.
    """
    model.eval()
    correct = 0
    with torch.no_grad():
        for img, label in loader:
            output = torch.softmax(model(img), dim=1)
            pred = output.argmax(dim=1)
            correct += (pred == label).sum().item()
    return correct / len(loader.dataset)


def nearest_images(
    images: torch.Tensor, pool: torch.Tensor
) -> tuple[torch.Tensor, torch.Tensor]:
    """For each image, the index of the closest image of ``pool`` and the
    Euclidean distance between their pixels.

    A generated image that copied a training image would have a distance
    of (almost) 0 to it.
    """
    distances = torch.cdist(images.flatten(1), pool.flatten(1))
    closest, index = distances.min(dim=1)
    return index, closest


def misclassified(
    predictions: torch.Tensor, labels: torch.Tensor
) -> torch.Tensor:
    """The indices of the images whose prediction is wrong."""
    return (predictions != labels).nonzero().squeeze(1)


def moving_average(values: Sequence[float], window: int) -> np.ndarray:
    """The mean of each run of ``window`` consecutive values: the trend under
    noisy batch losses."""
    return np.convolve(
        np.asarray(values, dtype=float),
        np.ones(window) / window,
        mode="valid",
    )


def show_digits(
    images: torch.Tensor,
    titles: Sequence[str] | None = None,
    ncols: int = 10,
    size: float = 1.0,
) -> None:
    """Show a grid of images or feature maps (any size, any value range),
    with an optional title above each.

    Returns nothing: a cell that ended with a returned figure would show it
    twice, once drawn and once as the cell's value.
    """
    images = (
        images.detach()
        .reshape(len(images), *images.shape[-2:])
        .float()
        .cpu()
    )
    nrows = -(-len(images) // ncols)
    fig, axes = plt.subplots(
        nrows,
        ncols,
        figsize=(ncols * size, nrows * size * (1.3 if titles else 1.0)),
        squeeze=False,
    )
    for i, ax in enumerate(axes.flat):
        ax.axis("off")
        if i < len(images):
            # the pixels as they are, and small PNGs
            ax.imshow(images[i], cmap="gray_r", interpolation="nearest")
            if titles:
                ax.set_title(titles[i], fontsize=9)
    fig.tight_layout()
    plt.show()
