"""The training loop does the lecture's maths: same inputs, same batches,
same steps, with or without the training command's speed-ups."""

import subprocess
import sys
import textwrap

import pytest
import torch
from torch import nn
from torch.utils.data import DataLoader, Subset

from coursesite import speed
from coursesite.speed import channels_last
from dlcourse.cnn import LectureCNN
from dlcourse.data import mnist
from dlcourse.training import (
    accuracy,
    best_epoch,
    evaluate,
    fit,
    hold_out,
    mnist_tensors,
    predict,
    shuffled_batches,
    train_epoch,
    train_epoch_dataloader,
)

N, BATCH = 200, 10


def test_tensors_are_what_to_tensor_gives():
    images, labels = mnist_tensors(train=True)
    dataset = mnist(train=True)
    assert images.shape == (60000, 1, 28, 28) and labels.shape == (60000,)
    for i in (0, 1, 59999):
        image, label = dataset[i]
        assert torch.equal(images[i], image) and labels[i].item() == label
    assert labels[0].item() == 5


def test_an_epoch_visits_every_image_once_in_a_new_order():
    generator = torch.Generator().manual_seed(0)
    first = torch.cat(list(shuffled_batches(N, BATCH, generator)))
    second = torch.cat(list(shuffled_batches(N, BATCH, generator)))
    assert torch.equal(first.sort().values, torch.arange(N)) and torch.equal(
        second.sort().values, torch.arange(N)
    )
    assert not torch.equal(first, second)
    assert [len(b) for b in shuffled_batches(25, 10, generator)] == [
        10,
        10,
        5,
    ]


@pytest.mark.slow  # trains
def test_tensor_loop_equals_the_dataloader_loop_on_the_same_batches():
    """Feed the lecture's DataLoader the tensor loop's shuffled order:
    losses and weights must agree, also with the weights channels-last (a
    change of memory layout, not of maths)."""
    images, labels = mnist_tensors(train=True)
    order = torch.randperm(N, generator=torch.Generator().manual_seed(1))
    loader = DataLoader(
        Subset(mnist(train=True), range(N)),
        batch_size=BATCH,
        sampler=order.tolist(),
    )
    models = []
    for _ in range(2):
        torch.manual_seed(0)
        model = LectureCNN()
        optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
        models.append((model, optimizer))
    loss_fn = nn.CrossEntropyLoss()
    slow = train_epoch_dataloader(*models[0], loss_fn, loader)
    with channels_last(models[1][0]):
        fast = train_epoch(
            *models[1],
            loss_fn,
            (images[:N], labels[:N]),
            BATCH,
            torch.Generator().manual_seed(1),
        )
    assert len(fast) == N // BATCH
    assert torch.allclose(torch.tensor(fast), torch.tensor(slow), atol=1e-5)
    for p, q in zip(models[0][0].parameters(), models[1][0].parameters()):
        assert torch.allclose(p, q, atol=1e-5)
    assert fast[-1] < fast[0]


def test_channels_last_leaves_no_hook_and_the_default_layout_behind():
    model = LectureCNN()
    with channels_last(model):
        assert model.conv2.weight.is_contiguous(
            memory_format=torch.channels_last
        )
        assert model.conv2.weight.stride() != (288, 9, 3, 1)
    assert all(not m._forward_hooks for m in model.modules())
    assert model.conv2.weight.stride() == (288, 9, 3, 1)


def test_channels_last_changes_the_layout_of_weights_and_gradients_not_their_values():
    x = mnist_tensors(train=False)[0][:10]
    plain = LectureCNN()
    fast = LectureCNN()
    fast.load_state_dict(plain.state_dict())
    layouts = []

    def record_layout(module, inputs, out):
        out.register_hook(
            lambda grad: layouts.append(
                grad.is_contiguous(memory_format=torch.channels_last)
            )
        )

    plain(x).logsumexp(dim=1).sum().backward()
    with channels_last(fast):
        # recorded after the layout's own hooks, so it sees what they give
        for module in (fast.conv1, fast.conv2, fast.pool):
            module.register_forward_hook(record_layout)
        fast(x).logsumexp(dim=1).sum().backward()
        assert fast.conv2.weight.is_contiguous(
            memory_format=torch.channels_last
        )
    # conv1, pool, conv2, pool: the last pool's output is flattened, which
    # alone would hand back NCHW
    assert layouts == [True] * 4, (
        "every gradient flowing back through the maps should be channels-last"
    )
    for p, q in zip(plain.parameters(), fast.parameters()):
        assert torch.allclose(p.grad, q.grad, atol=1e-6)


REFILL_FAULTS = textwrap.dedent("""
    import ctypes, resource, sys
    from coursesite.speed import keep_freed_memory

    if sys.argv[1] == "keep":
        assert keep_freed_memory()
    libc = ctypes.CDLL("libc.so.6")
    libc.malloc.restype, libc.free.argtypes = ctypes.c_void_p, [ctypes.c_void_p]

    def page_faults_to_fill(size):
        before = resource.getrusage(resource.RUSAGE_SELF).ru_minflt
        buffer = libc.malloc(size)
        ctypes.memset(buffer, 1, size)
        libc.free(buffer)
        return resource.getrusage(resource.RUSAGE_SELF).ru_minflt - before

    print(page_faults_to_fill(16 << 20), page_faults_to_fill(16 << 20))
""")


def refill_page_faults(mode: str) -> list[int]:
    """Page faults to fill 16 MB, free it and fill 16 MB again, in a fresh process (the setting
    is process-wide and cannot be undone)."""
    result = subprocess.run(
        [sys.executable, "-c", REFILL_FAULTS, mode],
        capture_output=True,
        text=True,
        check=True,
    )
    return [int(n) for n in result.stdout.split()]


def test_keep_freed_memory_reuses_freed_pages_instead_of_faulting_new_ones():
    """A step frees megabytes of feature maps and allocates them again. By default glibc hands
    such blocks back to the kernel, and filling the next one faults in 4096 fresh pages."""
    first, second = refill_page_faults("default")
    assert first > 3000 and second > 3000, (first, second)
    first, second = refill_page_faults("keep")
    assert first > 3000 and second < 100, (first, second)


def test_keep_freed_memory_does_nothing_where_the_c_library_is_not_glibc(
    monkeypatch,
):
    """On macOS, Windows or musl there is no libc.so.6: training goes on with the default malloc."""

    def no_glibc(name):
        raise OSError(f"{name}: cannot open shared object file")

    monkeypatch.setattr(speed.ctypes, "CDLL", no_glibc)
    assert speed.keep_freed_memory() is False


def test_accuracy_counts_correct_predictions():
    class Echo(nn.Module):
        """Scores that pick the digit written in the first pixel."""

        def forward(self, x):
            return nn.functional.one_hot(x[:, 0, 0, 0].long(), 10).float()

    images = torch.zeros(4, 1, 28, 28)
    images[:, 0, 0, 0] = torch.tensor([3.0, 1.0, 4.0, 1.0])
    assert accuracy(Echo(), images, torch.tensor([3, 1, 4, 5])) == 0.75


def test_predict_tests_in_eval_mode_and_puts_the_mode_back():
    modes = []

    class Recorder(nn.Module):
        def forward(self, x):
            modes.append(self.training)
            return torch.zeros(len(x), 10)

    model = Recorder()
    for mode in (True, False):
        model.train(mode)
        predict(model, torch.zeros(3, 1, 28, 28))
        assert model.training is mode
    assert modes == [False, False]


def test_validation_is_held_out_of_the_training_images():
    images, labels = mnist_tensors(train=True)
    (train, _), (validation, _) = hold_out((images, labels))
    assert len(train) + len(validation) == len(images) == 60000
    assert torch.equal(validation, images[-10000:])
    assert torch.equal(train, images[:50000])


def test_augment_draws_a_new_transform_for_every_image():
    """One random transform applied to a whole batch is not augmentation:
    the same image, repeated, must come out changed in different ways."""
    calls = []

    def shift(image):
        calls.append(image.shape)
        return torch.roll(image, int(torch.randint(-3, 4, ())), dims=2)

    seen = []
    model = nn.Sequential(nn.Flatten(), nn.Linear(784, 10))
    original = model.forward
    model.forward = lambda x: seen.append(x.clone()) or original(x)
    image = mnist_tensors(train=False)[0][:1]
    data = (image.repeat(8, 1, 1, 1), torch.zeros(8, dtype=torch.long))
    optimizer = torch.optim.SGD(model.parameters(), lr=0.0)
    torch.manual_seed(0)
    train_epoch(
        model,
        optimizer,
        nn.CrossEntropyLoss(),
        data,
        8,
        torch.Generator(),
        shift,
    )
    assert calls == [(1, 28, 28)] * 8
    distinct = {tuple(x.flatten().tolist()) for x in seen[0]}
    assert len(distinct) > 1


def test_evaluate_scores_in_eval_mode_and_counts_accuracy_for_labels_only():
    model = nn.Sequential(nn.Flatten(), nn.Dropout(0.9), nn.Linear(784, 10))
    images = mnist_tensors(train=False)[0][:50]
    labels = torch.arange(50) % 10
    loss_fn = nn.CrossEntropyLoss()
    first = evaluate(model, loss_fn, (images, labels), batch_size=7)
    again = evaluate(model, loss_fn, (images, labels), batch_size=7)
    model.eval()
    with torch.no_grad():
        whole = loss_fn(model(images), labels).item()
    assert model.training is False
    assert abs(first["loss"] - whole) < 1e-5 and first == again
    assert first["accuracy"] == accuracy(model, images, labels)
    rebuild = evaluate(model, loss_fn, (images, images.flatten(1)[:, :10]))
    assert set(rebuild) == {"loss"}


def test_fit_records_both_sets_every_epoch_and_the_test_once():
    torch.manual_seed(0)
    model = nn.Sequential(nn.Flatten(), nn.Linear(784, 10))
    images, labels = mnist_tensors(train=False)
    train, validation = (
        (images[:100], labels[:100]),
        (
            images[100:150],
            labels[100:150],
        ),
    )
    optimizer = torch.optim.SGD(model.parameters(), lr=0.5)
    history = fit(
        model,
        train,
        validation,
        3,
        20,
        optimizer,
        nn.CrossEntropyLoss(),
        lr_decay=0.5,
        test=(images[150:200], labels[150:200]),
    )
    for name in ("train", "validation"):
        assert len(history[f"{name}_loss"]) == 3
        assert len(history[f"{name}_accuracy"]) == 3
    assert len(history["batch_loss"]) == 3 * 5
    assert history["train_loss"][-1] < history["train_loss"][0]
    assert history["train_accuracy"][-1] == accuracy(model, *train)
    assert history["test_accuracy"] == accuracy(
        model, images[150:200], labels[150:200]
    )
    assert optimizer.param_groups[0]["lr"] == 0.5 * 0.5**3


def test_best_epoch_is_the_best_validation_accuracy_else_the_lowest_loss():
    assert best_epoch({"validation_accuracy": [0.5, 0.9, 0.8]}) == 2
    assert best_epoch({"validation_loss": [3.0, 2.0, 1.0, 1.5]}) == 3
