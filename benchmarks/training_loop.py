"""Steps per second of the lecture's recipe: the fast tensor loop against the lecture's DataLoader loop.

Both loops train the lecture's CNN with batch 10, shuffling, Adam (lr 1e-5) and cross
entropy, on the same device, one after the other in this one run, and both call the
same ``dlcourse.training.step``. Run from the repository root:

    PYTHONPATH=code python benchmarks/training_loop.py [--steps 300] [--device cpu|cuda] [--threads N]
"""

import argparse
import itertools
import time

import torch
from torch import nn
from torch.utils.data import DataLoader

from dlcourse.cnn import LectureCNN
from dlcourse.data import mnist
from dlcourse.runs import device_description
from dlcourse.training import mnist_tensors, shuffled_batches, step

BATCH_SIZE, LR, WARMUP = 10, 1e-5, 20


def steps_per_second(batches, device: torch.device, steps: int) -> float:
    """Train a fresh lecture CNN on ``batches`` (pairs x, y) and time ``steps`` steps after a warm-up."""
    model = LectureCNN().to(device)
    optimizer = torch.optim.Adam(model.parameters(), lr=LR)
    loss_fn = nn.CrossEntropyLoss()
    for i, (x, y) in enumerate(itertools.islice(batches, WARMUP + steps)):
        if i == WARMUP:
            if device.type == "cuda":
                torch.cuda.synchronize()
            start = time.perf_counter()
        step(model, optimizer, loss_fn, x.to(device), y.to(device))
    if device.type == "cuda":
        torch.cuda.synchronize()
    return steps / (time.perf_counter() - start)


def dataloader_batches():
    """The lecture's input pipeline: ToTensor on each image, batches of 10, shuffled."""
    return iter(DataLoader(mnist(train=True), batch_size=BATCH_SIZE, shuffle=True))


def tensor_batches(device: torch.device):
    """The fast pipeline: MNIST once as tensors on the device, batches by indexing."""
    images, labels = mnist_tensors(train=True, device=device)
    generator = torch.Generator().manual_seed(0)
    for idx in shuffled_batches(len(labels), BATCH_SIZE, generator):
        idx = idx.to(device)
        yield images[idx], labels[idx]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, default=300)
    parser.add_argument("--device", default="cuda" if torch.cuda.is_available() else "cpu")
    parser.add_argument("--threads", type=int, default=1, help="CPU threads (1 is fastest on a shared 2-core machine)")
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    device = torch.device(args.device)
    torch.manual_seed(0)
    slow = steps_per_second(dataloader_batches(), device, args.steps)
    fast = steps_per_second(tensor_batches(device), device, args.steps)
    print(f"device: {device_description(device)}, torch {torch.__version__}, {args.steps} timed steps each")
    print(f"DataLoader loop: {slow:8.1f} steps/s")
    print(f"tensor loop:     {fast:8.1f} steps/s")
    print(f"ratio:           {fast / slow:8.2f}x")


if __name__ == "__main__":
    main()
