"""Training a network on MNIST: the loop, the scores, and the test.

The lecture feeds the network through a ``DataLoader``: every batch of 10
images is made by converting 10 PIL images with ``ToTensor`` and stacking
them (:func:`train_epoch_dataloader`). MNIST is only 47 MB as floats, so
the book's runs convert it once, keep it as two tensors on the training
device, and make each batch by indexing with a slice of a shuffled
permutation (:func:`train_epoch`). Each epoch still visits every image once
in a random order, and every step is the same :func:`step`, so both loops
do the same maths.

The last 10,000 training images are held out as a *validation* set
(:func:`hold_out`): :func:`fit` scores the network on them after every
epoch, and the test set is used once, at the end.
"""

from collections.abc import Callable, Iterator

import torch
from torch import nn
from torch.utils.data import DataLoader
from tqdm.auto import tqdm

from dlcourse.data import mnist

Loss = Callable[[torch.Tensor, torch.Tensor], torch.Tensor]
Data = tuple[torch.Tensor, torch.Tensor]


def mnist_tensors(
    train: bool = True, device: str | torch.device = "cpu"
) -> Data:
    """All of MNIST's training (or test) images as one (N, 1, 28, 28) tensor
    in [0, 1], and the labels.

    Dividing the bytes by 255 is exactly what ``ToTensor`` does to each
    image.
    """
    data = mnist(train=train)
    images = data.data.unsqueeze(1).float().div(255)
    return images.to(device), data.targets.to(device)


def hold_out(data: Data, n: int = 10_000) -> tuple[Data, Data]:
    """The images to learn from, and the last ``n`` held out of them as a
    validation set."""
    images, labels = data
    cut = len(labels) - n
    return (images[:cut], labels[:cut]), (images[cut:], labels[cut:])


def shuffled_batches(
    n: int,
    batch_size: int,
    generator: torch.Generator,
    device: str | torch.device = "cpu",
) -> Iterator[torch.Tensor]:
    """The indices of one epoch: a fresh random permutation of 0..n-1, cut
    into batches.

    The permutation is drawn on the CPU (so a seed gives the same order on
    every device) and moved to ``device`` once per epoch.
    """
    order = torch.randperm(n, generator=generator).to(device)
    yield from order.split(batch_size)


def step(
    model: nn.Module,
    optimizer: torch.optim.Optimizer,
    loss_fn: Loss,
    x: torch.Tensor,
    y: torch.Tensor,
) -> torch.Tensor:
    """One gradient step: forget old gradients, compute the loss,
    backpropagate, update the weights."""
    optimizer.zero_grad()
    loss = loss_fn(model(x), y)
    loss.backward()
    optimizer.step()
    return loss.detach()


def train_epoch_dataloader(
    model: nn.Module,
    optimizer: torch.optim.Optimizer,
    loss_fn: Loss,
    loader: DataLoader,
    device: str | torch.device = "cpu",
) -> list[float]:
    """The lecture's loop: one pass over a DataLoader, returning every
    batch's loss."""
    losses = []
    for x, y in loader:
        loss = step(model, optimizer, loss_fn, x.to(device), y.to(device))
        losses.append(loss.item())
    return losses


def train_epoch(
    model: nn.Module,
    optimizer: torch.optim.Optimizer,
    loss_fn: Loss,
    data: Data,
    batch_size: int,
    generator: torch.Generator,
    augment: Callable[[torch.Tensor], torch.Tensor] | None = None,
) -> list[float]:
    """One pass over tensors already on the device, returning every batch's
    loss.

    ``augment``, when given, changes each image of a batch on its own (a
    new random draw per image) before the step. The losses stay on the
    device until the epoch ends: reading each one back with ``.item()``
    would make a GPU wait for every step.
    """
    images, labels = data
    losses = []
    for i in shuffled_batches(
        len(labels), batch_size, generator, labels.device
    ):
        x = images[i]
        if augment is not None:
            x = torch.stack([augment(image) for image in x])
        losses.append(step(model, optimizer, loss_fn, x, labels[i]))
    return torch.stack(losses).tolist()


@torch.no_grad()
def predict(
    model: nn.Module, images: torch.Tensor, batch_size: int = 1000
) -> torch.Tensor:
    """The predicted digit (the largest score) for every image.

    ``eval()`` for the test (layers such as dropout behave differently while
    training), then the model's mode is put back as it was.
    """
    was_training = model.training
    model.eval()
    predictions = torch.cat(
        [model(x).argmax(dim=1) for x in images.split(batch_size)]
    )
    model.train(was_training)
    return predictions


def accuracy(
    model: nn.Module, images: torch.Tensor, labels: torch.Tensor
) -> float:
    """The fraction of images whose predicted digit is the label."""
    return (predict(model, images) == labels).float().mean().item()


@torch.no_grad()
def evaluate(
    model: nn.Module, loss_fn: Loss, data: Data, batch_size: int = 1000
) -> dict[str, float]:
    """The mean loss over a data set in eval mode and, when the targets
    are class labels (whole numbers), the accuracy."""
    images, targets = data
    was_training = model.training
    model.eval()
    total = sum(
        loss_fn(model(x), y).item() * len(y)
        for x, y in zip(images.split(batch_size), targets.split(batch_size))
    )
    model.train(was_training)
    scores = {"loss": total / len(targets)}
    if not targets.is_floating_point():
        scores["accuracy"] = accuracy(model, images, targets)
    return scores


def fit(
    model: nn.Module,
    train: Data,
    validation: Data,
    epochs: int,
    batch_size: int,
    optimizer: torch.optim.Optimizer,
    loss_fn: Loss,
    lr_decay: float = 1.0,
    augment: Callable[[torch.Tensor], torch.Tensor] | None = None,
    seed: int = 0,
    test: Data | None = None,
) -> dict[str, list[float] | float]:
    """Train ``model`` on ``train`` (inputs, targets) for ``epochs`` epochs
    of shuffled batches.

    After each epoch the learning rate is multiplied by ``lr_decay``, and
    the loss (and accuracy) on the training and on the validation data are
    recorded: the gap between the two is how we see overfitting. ``test``,
    when given, is scored once, at the end. Returns every batch's loss and
    those scores, e.g. ``history["validation_accuracy"][epoch]``.
    """
    generator = torch.Generator().manual_seed(seed)
    schedule = torch.optim.lr_scheduler.ExponentialLR(optimizer, lr_decay)
    history = {"batch_loss": []}
    for _ in tqdm(range(epochs), unit="epoch", mininterval=10):
        history["batch_loss"] += train_epoch(
            model, optimizer, loss_fn, train, batch_size, generator, augment
        )
        schedule.step()
        for name, data in (("train", train), ("validation", validation)):
            for score, value in evaluate(model, loss_fn, data).items():
                history.setdefault(f"{name}_{score}", []).append(value)
    if test is not None:
        for score, value in evaluate(model, loss_fn, test).items():
            history[f"test_{score}"] = value
    return history


def best_epoch(history: dict) -> int:
    """The epoch (counted from 1) that early stopping on the validation set
    picks: the best validation accuracy, or the lowest validation loss when
    there is no accuracy."""
    if "validation_accuracy" in history:
        scores = history["validation_accuracy"]
        return scores.index(max(scores)) + 1
    scores = history["validation_loss"]
    return scores.index(min(scores)) + 1
