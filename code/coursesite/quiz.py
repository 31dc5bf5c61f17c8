"""Multiple-choice quizzes that work in the static page, with no server.

A quiz is one HTML block: the options are buttons (reached with Tab, chosen
with Space or Enter; the chosen one is ``aria-pressed``), a few lines of
inline JavaScript mark the reader's choice right or wrong in words, and the
explanation sits in a ``<details>`` element the reader can reveal. The correct option is
passed in by the chapter, computed by the package, never typed into the page.
"""

import hashlib
import html

from IPython.display import HTML

_SCRIPT = """
<script>
var buttons = document.querySelectorAll('#{id} button.dl-quiz-option');
buttons.forEach(function (b) {{
  b.addEventListener('click', function () {{
    var quiz = document.getElementById('{id}');
    quiz.querySelectorAll('button.dl-quiz-option').forEach(function (o) {{
      o.classList.remove('dl-quiz-right', 'dl-quiz-wrong');
      o.setAttribute('aria-pressed', String(o === b));
    }});
    var right = b.dataset.correct === 'true';
    b.classList.add(right ? 'dl-quiz-right' : 'dl-quiz-wrong');
    quiz.querySelector('.dl-quiz-feedback').textContent =
      right ? 'Correct!'
            : 'Not quite: try again, or reveal the explanation.';
  }});
}});
</script>
"""

_STYLE = """
<style>
.dl-quiz { border: 1px solid #c9d3dd; border-radius: 6px;
  padding: 0.8em 1em; margin: 1em 0; }
.dl-quiz-question { font-weight: 600; margin-bottom: 0.5em; }
.dl-quiz-option { margin: 0.2em 0.4em 0.2em 0; padding: 0.3em 0.9em;
  border-radius: 4px; border: 1px solid #8a9aa9; background: #f6f8fa;
  color: #1f2328; cursor: pointer; font-family: monospace; }
.dl-quiz-right { background: #2da44e; border-color: #2da44e; color: #fff; }
.dl-quiz-wrong { background: #cf222e; border-color: #cf222e; color: #fff; }
.dl-quiz-feedback { min-height: 1.4em; margin: 0.4em 0; font-weight: 600; }
</style>
"""


def quiz_html(
    question: str, options: list[str], answer: str, explanation: str
) -> str:
    """The quiz as an HTML string; ``answer`` must be one of ``options``."""
    options = [str(o) for o in options]
    if str(answer) not in options:
        raise ValueError(
            f"quiz answer {answer!r} is not among the options {options}"
        )
    # A stable id (same question, same id) keeps re-executed outputs
    # identical.
    digest = hashlib.sha1((question + "|".join(options)).encode())
    quiz_id = f"dl-quiz-{digest.hexdigest()[:10]}"
    buttons = "".join(
        f'<button type="button" class="dl-quiz-option" aria-pressed="false" '
        f'data-correct="{str(o == str(answer)).lower()}">'
        f"{html.escape(o)}</button>"
        for o in options
    )
    return (
        f'{_STYLE}<div class="dl-quiz" id="{quiz_id}">'
        f'<div class="dl-quiz-question">{html.escape(question)}</div>'
        f'<div class="dl-quiz-options">{buttons}</div>'
        f'<div class="dl-quiz-feedback" aria-live="polite"></div>'
        "<details><summary>Show the answer and explanation</summary>"
        f"<p><strong>Answer: {html.escape(str(answer))}.</strong> "
        f"{html.escape(explanation)}</p></details></div>"
        + _SCRIPT.format(id=quiz_id)
    )


def multiple_choice(
    question: str, options: list[str], answer: str, explanation: str
) -> HTML:
    """Display a quiz in a notebook or a built page (see ``quiz_html``)."""
    return HTML(quiz_html(question, options, answer, explanation))
