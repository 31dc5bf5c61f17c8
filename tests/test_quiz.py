import pytest
from browser import offline_chromium, open_page, serve_site
from bs4 import BeautifulSoup
from playwright.sync_api import expect

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


#: The element that has the keyboard's focus, described for the test.
FOCUSED = """() => {
  const e = document.activeElement;
  const style = getComputedStyle(e);
  return {
    tag: e.tagName.toLowerCase(),
    option: e.matches('.dl-quiz button.dl-quiz-option'),
    quiz: e.closest('.dl-quiz')?.id ?? null,
    index: [...(e.closest('.dl-quiz')?.querySelectorAll('.dl-quiz-option')
      ?? [])].indexOf(e),
    ring: e.matches(':focus-visible') && (
      (style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0)
      || style.boxShadow !== 'none'),
  };
}"""


@pytest.mark.slow
def test_a_quiz_is_answered_with_the_keyboard_alone(built_book):
    """Tab reaches an option (with a visible focus ring), Space and Enter
    choose, the feedback says right or wrong, and the explanation opens
    from the keyboard."""
    with (
        serve_site(built_book / "html") as site,
        offline_chromium() as (new_context, _),
    ):
        page = new_context(
            viewport={"width": 1280, "height": 800}
        ).new_page()
        open_page(page, f"{site}/book/perceptrons.html")
        keys = page.keyboard
        for _ in range(500):
            keys.press("Tab")
            focused = page.evaluate(FOCUSED)
            if focused["option"]:
                break
        assert focused["option"], "Tab never reaches a quiz option"
        assert focused["ring"], "the focused option shows no focus ring"
        quiz = page.locator(f"#{focused['quiz']}")
        options = quiz.locator("button.dl-quiz-option")
        marks = [
            options.nth(i).get_attribute("data-correct")
            for i in range(options.count())
        ]
        right, wrong = marks.index("true"), marks.index("false")
        feedback = quiz.locator(".dl-quiz-feedback")

        def go_to(index: int) -> None:
            here = page.evaluate(FOCUSED)["index"]
            for _ in range(abs(index - here)):
                keys.press("Tab" if index > here else "Shift+Tab")
            assert page.evaluate(FOCUSED)["index"] == index

        go_to(wrong)
        keys.press("Space")
        expect(feedback).to_contain_text("Not quite")
        expect(options.nth(wrong)).to_have_attribute("aria-pressed", "true")
        go_to(right)
        keys.press("Enter")
        expect(feedback).to_have_text("Correct!")
        expect(options.nth(right)).to_have_attribute("aria-pressed", "true")
        expect(options.nth(wrong)).to_have_attribute("aria-pressed", "false")
        go_to(options.count() - 1)
        keys.press("Tab")
        assert page.evaluate(FOCUSED)["tag"] == "summary"
        keys.press("Enter")
        expect(quiz.locator("details p")).to_be_visible()
        expect(quiz.locator("details p")).to_contain_text("Answer:")
