"""The lecture's convolutional network for MNIST, defined once for every
chapter and run.

conv 1→32 (3×3, stride 1, padding 1) → ReLU → 2×2 max-pool → conv 32→64 (3×3,
stride 1) → ReLU → 2×2 max-pool → flatten → linear → 10 class scores.
"""

import torch
from torch import nn

from dlcourse.training import Data, fit


class LectureCNN(nn.Module):
    """The CNN of the lecture. Outputs raw scores (logits); cross entropy
    applies the softmax."""

    def __init__(self) -> None:
        super().__init__()
        self.conv1 = nn.Conv2d(1, 32, kernel_size=3, stride=1, padding=1)
        self.conv2 = nn.Conv2d(32, 64, kernel_size=3, stride=1)
        self.pool = nn.MaxPool2d(2)
        # The lecture's "mystery" input size: 64 maps of 6×6 pixels (see
        # flattened_size).
        self.fc = nn.Linear(64 * 6 * 6, 10)

    def features(self, x: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        """The feature maps after each convolution and its ReLU, before
        pooling (for plots)."""
        a1 = torch.relu(self.conv1(x))
        a2 = torch.relu(self.conv2(self.pool(a1)))
        return a1, a2

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        _, a2 = self.features(x)
        return self.fc(torch.flatten(self.pool(a2), start_dim=1))


def train(
    model: nn.Module,
    train: Data,
    validation: Data,
    epochs: int,
    batch_size: int,
    lr: float,
    lr_decay: float = 1.0,
    weight_decay: float = 0.0,
    augment=None,
    seed: int = 0,
    test: Data | None = None,
) -> dict:
    """Train as the lecture does: Adam on the cross entropy of the scores.

    ``weight_decay`` (λ) adds λw to every weight's gradient, which is the
    gradient of the L2 penalty ½λ‖w‖² (see :mod:`dlcourse.regularisation`).
    """
    optimizer = torch.optim.Adam(
        model.parameters(), lr=lr, weight_decay=weight_decay
    )
    return fit(
        model,
        train,
        validation,
        epochs,
        batch_size,
        optimizer,
        nn.CrossEntropyLoss(),
        lr_decay,
        augment,
        seed,
        test,
    )
