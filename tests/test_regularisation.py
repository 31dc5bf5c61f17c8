"""The generalisation chapter's remedies do what the chapter says."""

import torch
from torch import nn

from dlcourse import regularisation
from dlcourse.cnn import LectureCNN


def test_with_its_defaults_the_network_is_the_lectures_cnn():
    torch.manual_seed(0)
    lecture = LectureCNN()
    torch.manual_seed(0)
    plain = regularisation.cnn()
    x = torch.rand(3, 1, 28, 28)
    assert torch.equal(lecture(x), plain(x))


def test_dropout_is_random_while_training_and_off_in_eval_mode():
    model = regularisation.cnn(dropout=0.5)
    x = torch.rand(2, 1, 28, 28)
    assert not torch.equal(model(x), model(x))
    model.eval()
    assert torch.equal(model(x), model(x))
    features = nn.Sequential(*list(model)[:9])(x)
    assert torch.allclose(model(x), model[-1](features))


def test_batch_norm_uses_running_statistics_in_eval_mode():
    model = regularisation.cnn(batch_norm=True)
    norm = model[1]
    assert isinstance(norm, nn.BatchNorm2d)
    before = norm.running_mean.clone()
    model(torch.rand(8, 1, 28, 28))
    assert not torch.equal(norm.running_mean, before)
    model.eval()
    after = norm.running_mean.clone()
    model(torch.rand(8, 1, 28, 28))
    assert torch.equal(norm.running_mean, after)


def test_the_penaltys_gradient_is_lambda_times_the_weight():
    model = nn.Linear(3, 2)
    regularisation.l2_penalty(model, 0.1).backward()
    for w in model.parameters():
        assert torch.allclose(w.grad, 0.1 * w.detach())


def test_adams_weight_decay_is_the_penalty_added_to_the_loss():
    """Coupled L2: Adam(weight_decay=λ) takes the step Adam takes on the
    loss plus ½λ‖w‖² (AdamW's decoupled decay does not)."""
    x, y = torch.rand(5, 3), torch.rand(5, 2)
    models = [nn.Linear(3, 2) for _ in range(3)]
    for m in models[1:]:
        m.load_state_dict(models[0].state_dict())
    decay = torch.optim.Adam(models[0].parameters(), weight_decay=0.1)
    penalty = torch.optim.Adam(models[1].parameters())
    decoupled = torch.optim.AdamW(models[2].parameters(), weight_decay=0.1)
    for _ in range(3):
        for model, optimizer, lam in zip(
            models, (decay, penalty, decoupled), (0, 0.1, 0)
        ):
            optimizer.zero_grad()
            loss = (model(x) - y).pow(2).mean()
            loss = loss + regularisation.l2_penalty(model, lam)
            loss.backward()
            optimizer.step()
    coupled, added, adamw = (m.weight.detach() for m in models)
    assert torch.allclose(coupled, added, atol=1e-6)
    assert not torch.allclose(coupled, adamw, atol=1e-4)


def test_augment_moves_the_digit_but_keeps_its_shape():
    image = torch.zeros(1, 28, 28)
    image[0, 10:18, 12:16] = 1.0
    torch.manual_seed(0)
    moved = [regularisation.augment(image) for _ in range(5)]
    assert all(m.shape == (1, 28, 28) for m in moved)
    assert len({tuple(m.flatten().tolist()) for m in moved}) == 5
