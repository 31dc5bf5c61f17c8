"""TeX to HTML at build time with KaTeX, so a page typesets no maths itself.

The one place that turns formulas into markup: the lecture slides
(``_ext/slides.py``) call :func:`render` once per deck with all its formulas,
so Node.js starts once and KaTeX (pinned in ``package.json``) is loaded once.
The markup needs KaTeX's style sheet and fonts (``katex/dist`` in
``node_modules``), which the build serves from the site's ``_static``.
"""

import json
import subprocess
from dataclasses import dataclass
from pathlib import Path

#: Reads ``[tex, display, output]`` triples as JSON on stdin and writes, for
#: each, ``{"html": ...}`` or ``{"error": ...}``: one bad formula does not
#: hide the others.
_SCRIPT = r"""
const katex = require(process.argv[1]);
let input = "";
process.stdin.setEncoding("utf8");
process.stdin.on("data", (chunk) => { input += chunk; });
process.stdin.on("end", () => {
  const out = JSON.parse(input).map(([tex, displayMode, output]) => {
    try {
      return { html: katex.renderToString(tex, {
        displayMode, output, throwOnError: true, strict: "ignore" }) };
    } catch (e) {
      return { error: String(e.message || e) };
    }
  });
  process.stdout.write(JSON.stringify(out));
});
"""


@dataclass(frozen=True)
class Formula:
    """One formula: its TeX, display (a block) or inline, and KaTeX's output
    kind: ``htmlAndMathml`` (needs KaTeX's CSS; read aloud through its
    MathML) or ``mathml`` (the browser's own maths, for a page without
    KaTeX's CSS such as the speaker view)."""

    tex: str
    display: bool
    output: str = "htmlAndMathml"


class MathError(ValueError):
    """A formula KaTeX cannot typeset; the message names it."""


def render(formulas: list[Formula], katex: Path) -> list[str]:
    """The markup of each formula, in order; ``katex`` is the folder of the
    npm package. Raises :class:`MathError` naming every formula KaTeX
    refused."""
    if not formulas:
        return []
    if not (katex / "package.json").is_file():
        raise MathError(
            f"KaTeX is not installed in {katex}: run `npm ci "
            "--ignore-scripts` in the repository root (package.json pins it)."
        )
    result = subprocess.run(
        ["node", "-e", _SCRIPT, str(katex.resolve())],
        input=json.dumps([[f.tex, f.display, f.output] for f in formulas]),
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        raise MathError(f"node could not run KaTeX:\n{result.stderr}")
    rendered = json.loads(result.stdout)
    errors = [
        f"  {f.tex!r}: {r['error']}"
        for f, r in zip(formulas, rendered)
        if "error" in r
    ]
    if errors:
        raise MathError(
            "KaTeX cannot typeset these formulas:\n" + "\n".join(errors)
        )
    return [r["html"] for r in rendered]
