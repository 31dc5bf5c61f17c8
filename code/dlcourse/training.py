"""Training a network on MNIST: the recipe, the loop, and the test.

The lecture feeds the network through a ``DataLoader``: every batch of 10
images is made by converting 10 PIL images with ``ToTensor`` and stacking
them (:func:`train_epoch_dataloader`). MNIST is only 47 MB as floats, so
:func:`fit` converts it once, keeps it as two tensors on the training device,
and makes each batch by indexing with a slice of a shuffled permutation
(:func:`train_epoch`). Each epoch still visits every image once in a random
order, and every step is the same :func:`step`, so both loops do the same
maths.

The last 10,000 training images are held out as a *validation* set
(:func:`split`): a recipe is judged on them after every epoch, and the test
set is used once, at the end.
"""

from collections.abc import Callable, Iterator
from dataclasses import dataclass

import torch
from torch import nn
from torch.utils.data import DataLoader
from tqdm.auto import tqdm

from dlcourse.data import mnist

Loss = Callable[[torch.Tensor, torch.Tensor], torch.Tensor]


@dataclass(frozen=True, kw_only=True)
class Recipe:
    """Everything that decides what a training run ends with.

    ``build(recipe)`` makes the untrained network and ``fit(model, recipe,
    device)`` trains it, returning its metrics and any tensors to keep.
    ``lr_decay`` multiplies the learning rate after every epoch; ``subset``
    trains on the first images only (for quick checks).
    """

    build: Callable[["Recipe"], nn.Module]
    fit: Callable[..., tuple[dict, dict]]
    epochs: int
    batch_size: int
    lr: float
    lr_decay: float = 1.0
    seed: int = 0
    validation: int = 10_000
    subset: int | None = None


def mnist_tensors(
    train: bool = True, device: str | torch.device = "cpu"
) -> tuple[torch.Tensor, torch.Tensor]:
    """All of MNIST's training (or test) images as one (N, 1, 28, 28) tensor
    in [0, 1], and the labels.

    Dividing the bytes by 255 is exactly what ``ToTensor`` does to each
    image.
    """
    data = mnist(train=train)
    images = data.data.unsqueeze(1).float().div(255)
    return images.to(device), data.targets.to(device)


Split = tuple[torch.Tensor, torch.Tensor]


def split(recipe: Recipe, device: str | torch.device) -> tuple[Split, Split]:
    """The training images a recipe learns from, and the validation images
    held out of them (the last ``recipe.validation`` of the 60,000)."""
    images, labels = mnist_tensors(train=True, device=device)
    cut = len(labels) - recipe.validation
    return (
        (images[:cut][: recipe.subset], labels[:cut][: recipe.subset]),
        (images[cut:], labels[cut:]),
    )


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
    images: torch.Tensor,
    labels: torch.Tensor,
    batch_size: int,
    generator: torch.Generator,
) -> list[float]:
    """One pass over tensors already on the device, returning every batch's
    loss.

    The losses stay on the device until the epoch ends: reading each one back
    with ``.item()`` would make a GPU wait for every step.
    """
    batches = shuffled_batches(
        len(labels), batch_size, generator, labels.device
    )
    losses = [
        step(model, optimizer, loss_fn, images[i], labels[i])
        for i in batches
    ]
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


def fit(
    model: nn.Module,
    recipe: Recipe,
    optimizer: torch.optim.Optimizer,
    loss_fn: Loss,
    data: Split,
    evaluate: Callable[[nn.Module], float],
) -> dict[str, list[float]]:
    """Train ``model`` for the recipe's epochs on ``data`` (inputs,
    targets).

    After each epoch the learning rate is multiplied by ``lr_decay`` and
    ``evaluate(model)`` (a score on the validation images) is recorded.
    Returns every batch's loss and the per-epoch validation scores.
    """
    generator = torch.Generator().manual_seed(recipe.seed)
    schedule = torch.optim.lr_scheduler.ExponentialLR(
        optimizer, gamma=recipe.lr_decay
    )
    metrics = {"batch_loss": [], "epoch_validation": []}
    for _ in tqdm(range(recipe.epochs), unit="epoch", mininterval=10):
        metrics["batch_loss"] += train_epoch(
            model, optimizer, loss_fn, *data, recipe.batch_size, generator
        )
        schedule.step()
        metrics["epoch_validation"].append(evaluate(model))
    return metrics


def fit_classifier(
    model: nn.Module,
    recipe: Recipe,
    device: str | torch.device,
    optimizer: torch.optim.Optimizer,
    loss_fn: Loss,
) -> tuple[dict, dict]:
    """Train a digit classifier; its validation accuracy after every epoch,
    its test accuracy once, at the end."""
    train, validation = split(recipe, device)
    metrics = fit(
        model,
        recipe,
        optimizer,
        loss_fn,
        train,
        lambda m: accuracy(m, *validation),
    )
    metrics["test_accuracy"] = accuracy(
        model, *mnist_tensors(train=False, device=device)
    )
    return metrics, {}
