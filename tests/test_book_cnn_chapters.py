"""The built convolution, PyTorch and MNIST chapters carry the answers the
package computes."""

import pytest
from helpers import page, prose, quiz_answers, quiz_options
from torch import nn

from coursesite import runs
from dlcourse.cnn import LectureCNN
from dlcourse.shapes import (
    classic_vs_convolutional,
    derived_flattened_size,
    most_parameters,
)
from dlcourse.training import accuracy, mnist_tensors

pytestmark = pytest.mark.slow


def test_convolution_quiz_answer_is_computed(built_book):
    soup = page(built_book, "book/convolutions")
    counts = classic_vs_convolutional(
        pixels=100, nodes=10, kernel=3, maps=10
    )
    assert (
        quiz_answers(soup)
        == [most_parameters(counts)]
        == ["the classic layer"]
    )
    assert quiz_options(soup) == [
        "the classic layer",
        "the convolutional layer",
        "both the same",
    ]
    text = prose(soup)
    assert (
        f"with {counts['the classic layer']:,} parameters against {counts['the convolutional layer']:,}"
        in text
    )


def test_convolution_chapter_checks_conv2d_and_pooling(built_book):
    text = prose(soup := page(built_book, "book/convolutions"))
    assert "(checked on the test image: yes)" in text
    assert "PyTorch’s max_pool2d: yes" in text
    assert "Grace Hopper" in " ".join(
        img.get("alt", "") for img in soup.select(".cell_output img")
    )


def test_pytorch_quiz_answer_is_computed(built_book):
    soup = page(built_book, "book/pytorch")
    padded = LectureCNN()
    padded.conv2 = nn.Conv2d(32, 64, kernel_size=3, stride=1, padding=1)
    answer = f"{derived_flattened_size(padded):,}"
    assert quiz_answers(soup) == [answer]
    assert f"The answer is {answer};" in prose(soup)


def test_pytorch_chapter_derives_and_confirms_2304(built_book):
    text = prose(page(built_book, "book/pytorch"))
    flat = f"{derived_flattened_size(LectureCNN()):,}"
    assert f"64 × 6 × 6 = {flat} numbers" in text
    assert f"receives {flat} numbers per image" in text
    assert "all agree: yes" in text
    # shown from the real source
    assert "class LectureCNN(nn.Module)" in text


def test_mnist_chapter_sets_the_dense_network_beside_the_cnn(built_book):
    """The new cached run loads, and the accuracies the page glues are what
    the loaded weights give on the test set now."""
    text = prose(page(built_book, "book/mnist"))
    images, labels = mnist_tensors(train=False)
    dense = accuracy(runs.load("dense").model, images, labels)
    cnn = accuracy(runs.load("improved").model, images, labels)
    mistakes = round((1 - cnn) * len(labels))
    assert f"test accuracy of {dense:.4f}" in text
    assert f"with the improved recipe makes {mistakes:,}" in text
    assert dense < cnn
