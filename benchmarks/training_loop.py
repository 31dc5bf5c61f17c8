"""Steps per second of the lecture's recipe: the fast tensor loop against the lecture's DataLoader loop.

Both loops train the lecture's CNN with batch 10, shuffling, Adam (lr 1e-5) and cross
entropy, on the same device, one after the other in this one run, and both call the
same ``dlcourse.training.step``. Run from the repository root:

    PYTHONPATH=code python benchmarks/training_loop.py [--steps 300] [--rounds 3] [--device cpu|cuda] [--threads N]
"""

import argparse
import itertools
import statistics
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
    parser.add_argument("--rounds", type=int, default=3, help="alternate the two loops this many times")
    parser.add_argument("--device", default="cuda" if torch.cuda.is_available() else "cpu")
    parser.add_argument("--threads", type=int, default=torch.get_num_threads(), help="CPU threads (default: all cores)")
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    device = torch.device(args.device)
    torch.manual_seed(0)
    print(f"device: {device_description(device)}, torch {torch.__version__}, {args.steps} timed steps per loop and round")
    ratios = []
    for round_ in range(1, args.rounds + 1):
        # Alternating the loops spreads any change in the machine's load over both.
        slow = steps_per_second(dataloader_batches(), device, args.steps)
        fast = steps_per_second(tensor_batches(device), device, args.steps)
        ratios.append(fast / slow)
        print(f"round {round_}: DataLoader loop {slow:7.1f} steps/s, tensor loop {fast:7.1f} steps/s, ratio {fast / slow:5.2f}x")
    print(f"median ratio: {statistics.median(ratios):.2f}x")


if __name__ == "__main__":
    main()
