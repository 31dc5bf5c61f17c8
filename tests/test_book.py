"""The strict book build: every page is there, executed, with figures and no errors."""

import json

import numpy as np
import pytest
from helpers import (
    build_book,
    copy_book,
    course_chapters,
    executed_images,
    page,
    prose,
    quiz_answers,
    quiz_options,
    toc_files,
)

from dlcourse import backprop, depth, networks
from dlcourse.perceptron import outputs_as_option

pytestmark = pytest.mark.slow


def test_every_toc_entry_has_a_page(built_book):
    missing = [
        doc
        for doc in toc_files()
        if not (built_book / "html" / f"{doc}.html").exists()
    ]
    assert not missing, f"no HTML for {missing}"


@pytest.mark.parametrize("doc", course_chapters())
def test_figures_were_executed(built_book, doc):
    images = executed_images(page(built_book, doc))
    assert images, f"{doc}: no figure drawn by its code"
    for img in images:
        assert (built_book / "html" / "book" / img["src"]).resolve().exists()
        assert img.get("alt") and "_images" not in img["alt"], (
            f"{doc}: figure without alt text"
        )


def test_no_warning_or_traceback_in_any_executed_cell(built_book):
    """A raising cell already fails the strict build (see
    test_a_raising_cell_fails_the_build); what the build lets through is a
    cell that prints a warning or a caught traceback to stderr."""
    notebooks = list((built_book / "jupyter_execute").rglob("*.ipynb"))
    assert notebooks, "nothing was executed"
    for nb_path in notebooks:
        nb = json.loads(nb_path.read_text())
        for cell in nb["cells"]:
            for out in cell.get("outputs", []):
                text = "".join(out.get("text", ""))
                assert out.get("name") != "stderr" or not any(
                    word in text for word in ("Traceback", "Warning")
                ), f"{nb_path.name}: {text[:500]}"


def test_perceptron_quiz_answer_is_computed(built_book):
    soup = page(built_book, "book/perceptrons")
    assert quiz_answers(soup) == [outputs_as_option([-2, -2], 3)]
    assert quiz_options(soup) == [
        "0,0,0,0",
        "0,1,1,0",
        "0,0,0,1",
        "0,1,1,1",
        "1,1,1,0",
    ]
    assert "are 1,1,1,0" in prose(soup)  # the glued answer in the prose
    # the reader predicts first: the quiz comes before the package's outputs
    html = str(soup)
    assert html.index('class="dl-quiz-question"') < html.index("output 0")


def test_networks_quiz_answer_is_computed(built_book):
    soup = page(built_book, "book/networks")
    answer = str(
        networks.count_parameters(
            networks.fully_connected(networks.QUIZ_SIZES)
        )
    )
    assert quiz_answers(soup) == [answer]
    assert quiz_options(soup) == ["30", "100", "300", "330", "600"]
    assert f"the quiz network has {answer} parameters" in prose(soup)


def test_training_quizzes_and_gradient_check_are_computed(built_book):
    soup = page(built_book, "book/training")
    grid = depth.dyadic_grid(5)
    pieces = depth.linear_pieces(
        depth.evaluate(depth.deep_sawtooth(5), grid), grid
    )
    updates = len(backprop.minibatches(60_000, 64, np.random.default_rng(0)))
    assert quiz_answers(soup) == [str(updates), str(pieces)]
    text = prose(soup)
    vs_autograd = float(
        text.split("the largest difference from autograd is ")[1].split(":")[
            0
        ]
    )
    vs_finite = float(
        text.split("The largest difference from finite differences is ")[
            1
        ].split(",")[0]
    )
    assert vs_autograd < 1e-12 and vs_finite < 1e-6
    accuracy = float(text.split("the network classifies ")[1].split("%")[0])
    assert accuracy > 90


def test_a_raising_cell_fails_the_build(tmp_path):
    book = copy_book(tmp_path / "src")
    (book / "_toc.yml").write_text(
        "format: jb-book\nroot: book/perceptrons\nchapters:\n  - file: book/bibliography\n"
    )
    chapter = book / "book" / "perceptrons.md"
    chapter.write_text(
        chapter.read_text()
        + "\n```{code-cell} ipython3\nraise RuntimeError('broken cell')\n```\n"
    )
    result = build_book(book, tmp_path / "out")
    assert result.returncode != 0
    assert "broken cell" in result.stdout + result.stderr
