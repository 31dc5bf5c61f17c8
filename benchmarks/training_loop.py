"""Steps per second of the lecture's recipe: the training command's fast loop against the lecture's DataLoader loop.

Every loop trains the lecture's CNN with batch 10, shuffling, Adam (lr 1e-5) and cross
entropy, on the same device in this one run, and every loop calls the same
``dlcourse.training.step``. A middle column times the tensor batches of
``dlcourse.training.fit`` with the lecture's memory layout, to show how much the input
pipeline alone gives; the fast loop adds the channels-last weights of
``python -m coursesite.runs train --fast`` (``coursesite.speed``). The process keeps
freed memory for reuse (``keep_freed_memory``, as ``--fast`` does), so all three loops
allocate alike.

The loops take turns, ``--chunk`` steps each, for ``--rounds`` rounds, and the ratio
reported is the median over rounds of the fast loop's speed over the DataLoader loop's
speed in the same round: on a shared machine whose speed drifts, neighbouring chunks
see the same conditions. Run from the repository root:

    PYTHONPATH=code python benchmarks/training_loop.py [--rounds 20] [--chunk 50] [--device cpu|cuda] [--threads N]
"""

import argparse
import itertools
import statistics
import time
from collections.abc import Iterator
from contextlib import ExitStack

import torch
from torch import nn
from torch.utils.data import DataLoader

from coursesite.runs import device_description
from coursesite.speed import channels_last, keep_freed_memory
from dlcourse.cnn import LectureCNN
from dlcourse.data import mnist
from dlcourse.training import mnist_tensors, shuffled_batches, step

BATCH_SIZE, LR, WARMUP = 10, 1e-5, 20
Batches = Iterator[tuple[torch.Tensor, torch.Tensor]]


class Loop:
    """One training loop: a fresh lecture CNN, its optimizer and an endless supply of batches."""

    def __init__(
        self, batches: Batches, device: torch.device, fast_step: bool
    ) -> None:
        self.model = LectureCNN().to(device)
        # as `train --fast` does, for as long as the benchmark runs
        self.layout = ExitStack()
        if fast_step:
            self.layout.enter_context(channels_last(self.model))
        self.optimizer = torch.optim.Adam(self.model.parameters(), lr=LR)
        self.loss_fn = nn.CrossEntropyLoss()
        self.batches, self.device = batches, device
        self.run(WARMUP)

    def run(self, steps: int) -> float:
        """Train ``steps`` steps; return the steps per second."""
        self._sync()
        start = time.perf_counter()
        for x, y in itertools.islice(self.batches, steps):
            step(
                self.model,
                self.optimizer,
                self.loss_fn,
                x.to(self.device),
                y.to(self.device),
            )
        self._sync()
        return steps / (time.perf_counter() - start)

    def _sync(self) -> None:
        if self.device.type == "cuda":
            torch.cuda.synchronize()


def dataloader_batches() -> Batches:
    """The lecture's input pipeline: ToTensor on each image, batches of 10, shuffled, epoch after epoch."""
    loader = DataLoader(
        mnist(train=True), batch_size=BATCH_SIZE, shuffle=True
    )
    return itertools.chain.from_iterable(itertools.repeat(loader))


def tensor_batches(images: torch.Tensor, labels: torch.Tensor) -> Batches:
    """The fast pipeline: MNIST as tensors on the device, batches by indexing, epoch after epoch."""
    generator = torch.Generator().manual_seed(0)
    while True:
        for idx in shuffled_batches(
            len(labels), BATCH_SIZE, generator, labels.device
        ):
            yield images[idx], labels[idx]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=20)
    parser.add_argument(
        "--chunk", type=int, default=50, help="steps each loop runs per turn"
    )
    parser.add_argument(
        "--device", default="cuda" if torch.cuda.is_available() else "cpu"
    )
    parser.add_argument(
        "--threads",
        type=int,
        default=torch.get_num_threads(),
        help="CPU threads (default: all cores)",
    )
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    device = torch.device(args.device)
    torch.manual_seed(0)
    kept = keep_freed_memory()
    print(
        f"device: {device_description(device)}, torch {torch.__version__}, "
        f"freed memory kept: {kept}, "
        f"{args.rounds} rounds of {args.chunk} steps per loop"
    )
    mnist_on_device = mnist_tensors(train=True, device=device)
    loops = {
        "DataLoader loop": Loop(
            dataloader_batches(), device, fast_step=False
        ),
        "tensor batches": Loop(
            tensor_batches(*mnist_on_device), device, fast_step=False
        ),
        "fast loop": Loop(
            tensor_batches(*mnist_on_device), device, fast_step=True
        ),
    }
    speeds = {name: [] for name in loops}
    for _ in range(args.rounds):
        for name, loop in loops.items():
            speeds[name].append(loop.run(args.chunk))
    baseline = speeds["DataLoader loop"]
    for name, values in speeds.items():
        ratio = statistics.median(v / b for v, b in zip(values, baseline))
        print(
            f"{name:16s} median {statistics.median(values):8.1f} steps/s   "
            f"{ratio:5.2f}x the DataLoader loop"
        )
    print(
        "fast loop = tensor batches + channels-last weights and gradients "
        "(python -m coursesite.runs train --fast)"
    )


if __name__ == "__main__":
    main()
