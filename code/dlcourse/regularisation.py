"""What fights overfitting: a penalty on large weights, dropout, more
(augmented) data; and batch normalisation, a training aid.

:func:`cnn` is the lecture's CNN with the two optional layers: with their
defaults it is the same network as :class:`dlcourse.cnn.LectureCNN`.
"""

import torch
from torch import nn
from torchvision.transforms import v2


def cnn(dropout: float = 0.0, batch_norm: bool = False) -> nn.Sequential:
    """conv 1→32 → [batch norm] → ReLU → pool → conv 32→64 → [batch norm]
    → ReLU → pool → flatten → dropout → linear → 10 scores.

    ``nn.Dropout(p)`` zeroes each of the 2,304 features with probability p
    while training and scales the others by 1/(1 − p); in eval mode it
    passes them through. ``nn.BatchNorm2d`` normalises each channel by the
    mean and variance of the batch while training, and by running averages
    of them in eval mode.
    """

    def norm(channels: int) -> nn.Module:
        return nn.BatchNorm2d(channels) if batch_norm else nn.Identity()

    return nn.Sequential(
        nn.Conv2d(1, 32, kernel_size=3, stride=1, padding=1),
        norm(32),
        nn.ReLU(),
        nn.MaxPool2d(2),
        nn.Conv2d(32, 64, kernel_size=3, stride=1),
        norm(64),
        nn.ReLU(),
        nn.MaxPool2d(2),
        nn.Flatten(),
        nn.Dropout(dropout),
        nn.Linear(64 * 6 * 6, 10),
    )


def l2_penalty(model: nn.Module, lam: float) -> torch.Tensor:
    """½λ‖w‖², summed over every parameter: added to the loss, its gradient
    λw pulls each weight towards zero at every step."""
    return 0.5 * lam * sum(w.pow(2).sum() for w in model.parameters())


#: A small random rotation (up to 10°) and shift (up to 10 % of the width,
#: rounded to whole pixels: at most 3) of one digit.
shift_and_rotate = v2.RandomAffine(degrees=10, translate=(0.1, 0.1))


def augment(image: torch.Tensor) -> torch.Tensor:
    """One training image (1, 28, 28), rotated and shifted by a fresh random
    draw: called once per image, never once per batch."""
    return shift_and_rotate(image)
