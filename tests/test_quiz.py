import pytest
from bs4 import BeautifulSoup

from coursesite.quiz import quiz_html


def test_exactly_the_answer_is_marked_correct():
    soup = BeautifulSoup(
        quiz_html("Q?", ["a", "b", "c"], "b", "because"), "html.parser"
    )
    marks = {
        b.get_text(): b["data-correct"]
        for b in soup.select("button.dl-quiz-option")
    }
    assert marks == {"a": "false", "b": "true", "c": "false"}
    assert "because" in soup.find("details").get_text()


def test_answer_must_be_an_option():
    with pytest.raises(ValueError, match="not among the options"):
        quiz_html("Q?", ["a", "b"], "z", "")


def test_text_is_escaped():
    assert "<b>" not in quiz_html("<b>?", ["x"], "x", "")
