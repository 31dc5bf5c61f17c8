"""CPU speed-ups for the training command: same maths, less time.

``fit`` in the course package is the plain loop a student reads. The
training command (``python -m coursesite.runs train --fast``) and the loop
benchmark wrap it with these, which change where numbers live in memory,
never their values:

- :func:`channels_last` stores the convolutions' weights (and so their
  feature maps and gradients) channels-last while a run trains, and puts the
  model back as it was afterwards;
- :func:`keep_freed_memory` asks glibc to keep freed memory for the next
  step. It is process-wide and cannot be undone, so only the command's own
  process (and the benchmark's) calls it.
"""

import ctypes
from collections.abc import Iterator
from contextlib import contextmanager

import torch
from torch import nn


@contextmanager
def channels_last(model: nn.Module) -> Iterator[nn.Module]:
    """Within the block, the model's 4-D weights, feature maps and their
    gradients are channels-last (NHWC).

    oneDNN on a CPU and cuDNN on a GPU then run the convolutions, and above
    all the max-pooling, vectorised across channels. MNIST's one-channel
    images are already in both layouts, so the activations follow the
    weights. On leaving, the hooks are removed and the weights stored in
    the default layout again.
    """
    model.to(memory_format=torch.channels_last)
    hooks = [
        module.register_forward_hook(_channels_last_gradient)
        for module in model.modules()
    ]
    try:
        yield model
    finally:
        for hook in hooks:
            hook.remove()
        model.to(memory_format=torch.contiguous_format)


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


def keep_freed_memory() -> bool:
    """Ask glibc's malloc to keep freed memory for reuse, for the rest of
    the process; returns whether it could (False where the C library is not
    glibc: macOS, Windows, musl).

    Every step allocates and frees the same few megabytes of feature maps
    and gradients. By default glibc hands many such blocks back to the
    kernel, and the next step pays for fresh zeroed pages: on a 2-core CPU,
    hundreds of page faults and about a third of a batch-10 step.
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
