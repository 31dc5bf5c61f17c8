"""The lecture's test loop counts the right answers of a model."""

import torch
from torch.utils.data import DataLoader, TensorDataset

from dlcourse.evaluation import evaluate_accuracy


class Fixed(torch.nn.Module):
    """Scores given in advance, one row per image (the image is its index);
    a dropout layer shows that the loop switches to evaluation mode."""

    def __init__(self, scores: torch.Tensor) -> None:
        super().__init__()
        self.scores = scores
        self.dropout = torch.nn.Dropout(p=0.999)

    def forward(self, index: torch.Tensor) -> torch.Tensor:
        return self.dropout(self.scores[index])


def test_accuracy_is_the_fraction_whose_argmax_is_the_label():
    scores = torch.tensor([[2.0, 1.0], [0.0, 3.0], [5.0, 4.0], [1.0, 1.5]])
    labels = torch.tensor([0, 1, 1, 0])
    data = TensorDataset(torch.arange(4), labels)
    model = Fixed(scores)
    model.train()
    assert evaluate_accuracy(model, DataLoader(data, batch_size=3)) == 0.5
    assert not model.training
