"""Training a classifier on MNIST: the lecture's DataLoader loop and a faster
loop with the same maths.

The lecture feeds the network through a ``DataLoader``: every batch of 10
images is made by converting 10 PIL images with ``ToTensor`` and stacking
them. MNIST is only 47 MB as floats, so the fast loop converts it once, keeps
it as two tensors on the training device, and makes each batch by indexing
with a slice of a shuffled permutation. It also stores the convolution
weights channels-last (see :func:`channels_last`), updates them with Adam's
fused kernel (see :func:`adam`) and keeps freed memory for the next step (see
:func:`keep_freed_memory`). Each epoch still visits every image once in a
random order, and every step is the same :func:`step`, so both loops do the
same maths.
"""

import ctypes
from collections.abc import Callable, Iterator

import torch
from torch import nn
from torch.utils.data import DataLoader
from tqdm.auto import tqdm

from dlcourse.data import mnist

Loss = Callable[[torch.Tensor, torch.Tensor], torch.Tensor]


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


def shuffled_batches(
    n: int,
    batch_size: int,
    generator: torch.Generator,
    device: str | torch.device = "cpu",
) -> Iterator[torch.Tensor]:
    """The indices of one epoch: a fresh random permutation of 0..n-1, cut
    into batches.

    The permutation is drawn on the CPU (so a seed gives the same order on
    every device) and moved to ``device`` once per epoch rather than once per
    batch.
    """
    order = torch.randperm(n, generator=generator).to(device)
    yield from order.split(batch_size)


def channels_last(model: nn.Module) -> nn.Module:
    """Store the model's convolution weights channels-last (NHWC), in place;
    returns the model.

    The numbers are the same, only their order in memory changes: oneDNN on a
    CPU and cuDNN on a GPU then run the convolutions, and above all the
    max-pooling, vectorised across channels. MNIST's one-channel images are
    already in both layouts, so the activations follow the weights. Dense
    layers (2-D weights) are left as they are.
    """
    model.to(memory_format=torch.channels_last)
    for module in model.modules():
        module.register_forward_hook(_channels_last_gradient)
    return model


def _channels_last_gradient(
    module: nn.Module, inputs: tuple, output: object
) -> None:
    """Ask for the gradient of a module's 4-D output in channels-last order
    too.

    Flattening a channels-last map copies it in NCHW order, so without this
    the gradient of the last map would come back NCHW, and the backward pass
    would start by converting between the two layouts.
    """
    if (
        isinstance(output, torch.Tensor)
        and output.dim() == 4
        and output.requires_grad
    ):
        output.register_hook(
            lambda grad: grad.contiguous(memory_format=torch.channels_last)
        )


def adam(parameters: Iterator[nn.Parameter], **options) -> torch.optim.Adam:
    """Adam with its fused kernel: one pass over each weight tensor per
    update.

    The default implementation runs a dozen small tensor operations per
    weight tensor; with batches of 10 their overhead is a sixth of a step on
    a CPU. The update itself is the same (Kingma and Ba's, bias-corrected).
    """
    return torch.optim.Adam(parameters, fused=True, **options)


def keep_freed_memory() -> bool:
    """Ask glibc's malloc to keep freed memory for reuse; returns whether it
    could (False where the C library is not glibc: macOS, Windows, musl).

    Every step allocates and frees the same few megabytes of feature maps
    and gradients. By default glibc hands many such blocks back to the
    kernel (unmapping them, or shrinking its heap), and the next step pays
    for fresh zeroed pages: on a 2-core CPU with two threads, hundreds of
    page faults and about a third of a batch-10 step. This changes where
    memory comes from, not what is computed, for the whole process.
    """
    try:
        libc = ctypes.CDLL("libc.so.6")
    except OSError:
        return False
    trim_threshold, mmap_threshold = -1, -3  # mallopt's M_* parameters
    return bool(
        libc.mallopt(trim_threshold, 1 << 30)
        and libc.mallopt(mmap_threshold, 32 << 20)
    )


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
    progress: tqdm | None = None,
) -> list[float]:
    """The fast loop: one pass over tensors already on the device, returning
    every batch's loss.

    The losses stay on the device until the epoch ends: reading each one back
    with ``.item()`` would make a GPU wait for every step.
    """
    losses = []
    for idx in shuffled_batches(
        len(labels), batch_size, generator, labels.device
    ):
        losses.append(
            step(model, optimizer, loss_fn, images[idx], labels[idx])
        )
        if progress is not None:
            progress.update()
    return torch.stack(losses).tolist()


@torch.no_grad()
def predict(
    model: nn.Module, images: torch.Tensor, batch_size: int = 1000
) -> torch.Tensor:
    """The predicted digit (the largest score) for every image."""
    model.eval()
    predictions = torch.cat(
        [model(x).argmax(dim=1) for x in images.split(batch_size)]
    )
    model.train()
    return predictions


def accuracy(
    model: nn.Module, images: torch.Tensor, labels: torch.Tensor
) -> float:
    """The fraction of images whose predicted digit is the label."""
    return (predict(model, images) == labels).float().mean().item()


def fit(
    model: nn.Module,
    recipe: dict,
    device: str | torch.device,
    loss_fn: Loss,
    evaluate: Callable[[nn.Module], float],
    metric: str,
    reconstruct: bool = False,
) -> dict:
    """Train ``model`` on the MNIST training images with Adam, as the recipe
    says.

    After each epoch the learning rate is multiplied by the recipe's
    ``lr_decay`` (default 1: constant) and ``evaluate(model)`` is recorded as
    ``epoch_<metric>``. The targets are the labels, or the images themselves
    when ``reconstruct``. A recipe may set ``subset`` to train on only the
    first images (for quick tests). Returns every batch loss, the per-epoch
    metric and its final value.
    """
    keep_freed_memory()
    channels_last(model)
    generator = torch.Generator().manual_seed(recipe["seed"])
    images, labels = mnist_tensors(train=True, device=device)
    images, labels = (
        images[: recipe.get("subset")],
        labels[: recipe.get("subset")],
    )
    targets = images if reconstruct else labels
    optimizer = adam(model.parameters(), lr=recipe["lr"])
    schedule = torch.optim.lr_scheduler.ExponentialLR(
        optimizer, gamma=recipe.get("lr_decay", 1.0)
    )
    steps = -(-len(images) // recipe["batch_size"]) * recipe["epochs"]
    metrics = {"batch_loss": [], f"epoch_{metric}": []}
    with tqdm(
        total=steps, desc=recipe["name"], unit="step", mininterval=10
    ) as progress:
        for _ in range(recipe["epochs"]):
            metrics["batch_loss"] += train_epoch(
                model,
                optimizer,
                loss_fn,
                images,
                targets,
                recipe["batch_size"],
                generator,
                progress,
            )
            schedule.step()
            metrics[f"epoch_{metric}"].append(evaluate(model))
            progress.set_postfix({metric: metrics[f"epoch_{metric}"][-1]})
    metrics[metric] = metrics[f"epoch_{metric}"][-1]
    return metrics


def fit_classifier(
    model: nn.Module, recipe: dict, device: str | torch.device
) -> tuple[dict, dict]:
    """Train a digit classifier with cross entropy; its metric is the
    accuracy on the 10,000 test images."""
    test_images, test_labels = mnist_tensors(train=False, device=device)
    metrics = fit(
        model,
        recipe,
        device,
        nn.CrossEntropyLoss(),
        lambda m: accuracy(m, test_images, test_labels),
        "test_accuracy",
    )
    return metrics, {}
