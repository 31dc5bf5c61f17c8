"""The theme's style sheet, only the rules the book's pages can use
(measured: benchmarks/lighthouse.py).

pydata-sphinx-theme ships all of Bootstrap and its own rules in one style
sheet, 307 kB (45 kB compressed), which every page must fetch and match
against each element before its first paint. The book uses about a third
of it. On a phone's slow network that sheet was the largest file before the
first paint; on the simulated phone of Lighthouse, perceptrons' largest
paint came at 2.6-2.8 s with it and at 2.0 s without any theme style.

When the build ends, this extension writes the site's copy again from the
theme's own file, and drops each selector that needs a class or an id no
built page and no script of the site contains (the way PurgeCSS decides):

* a class counts as used when any page or script holds it as a word,
  so classes that scripts add (``show``, ``active``) stay;
* a class that a script builds from a template, ``bs-${name}-auto``, stays
  when it fits the template: Bootstrap's tooltips place themselves so;
* Font Awesome's icons stay only when named (thebe builds ``fa-${icon}`` for
  ipywidgets' icons, which would keep all 2,000; the book has none);
* what a selector asks inside brackets (``:not(.x)``, ``[class*=col-]``),
  and every rule without a selector (``@font-face``, ``:root``'s variables,
  ``@keyframes``), stays.

Font Awesome's fonts are drawn with ``font-display: swap``: the theme ships
``block``, which hides a page's icons, and text that shares their font, for
up to three seconds. The fonts themselves are cut to what the remaining
rules draw by ``_ext/icon_fonts.py``.
"""

import re
from collections.abc import Callable
from pathlib import Path

import tinycss2
from shared import THEME_CSS, theme_file
from sphinx.application import Sphinx

#: A word of a page or a script: what may be a class or an id.
WORD = re.compile(r"[\w-]+")
#: A name a script builds, ``bs-${…}-auto``: the words on either side. Only
#: those that start with a word of their own count (``${size}-0`` would keep
#: every Bootstrap utility of size 0).
TEMPLATE = re.compile(r"([\w-]*)\$\{[^}]*\}([\w-]*)")
#: At-rules whose block holds rules (``@media``) rather than declarations.
GROUPS = {"media", "supports", "layer", "container"}
FONT_DISPLAY = ("font-display:block", "font-display:swap")


def names_used(outdir: Path) -> Callable[[str], bool]:
    """Whether a class or id may appear on some element of the site."""
    words: set[str] = set()
    built: set[str] = set()
    files = [*outdir.rglob("*.html"), *(outdir / "_static").rglob("*.js")]
    for f in files:
        if not f.is_file():
            continue
        text = f.read_text(encoding="utf8", errors="ignore")
        words.update(WORD.findall(text))
        if f.suffix == ".js":
            built.update(
                re.escape(before) + r"[\w-]+" + re.escape(after)
                for before, after in TEMPLATE.findall(text)
                if before.endswith("-") and before not in ("-", "fa-")
            )
    template = re.compile("|".join(sorted(built)) or "(?!)")
    return lambda name: name in words or bool(template.fullmatch(name))


def required(selector: list) -> list[str]:
    """The classes and ids a selector needs outside brackets."""
    names, after_dot = [], False
    for token in selector:
        if token.type == "ident" and after_dot:
            names.append(token.value)
        elif token.type == "hash":
            names.append(token.value)
        after_dot = token.type == "literal" and token.value == "."
    return names


def selectors(prelude: list) -> list[list]:
    """A rule's selector list (its prelude's tokens), one list per selector."""
    found: list[list] = [[]]
    for token in prelude:
        if token.type == "literal" and token.value == ",":
            found.append([])
        else:
            found[-1].append(token)
    return found


def selectors_used(prelude: list, used: Callable[[str], bool]) -> list:
    """A rule's selector list without the selectors no element can match."""
    kept = [s for s in selectors(prelude) if all(map(used, required(s)))]
    comma = tinycss2.ast.LiteralToken(0, 0, ",")
    return [token for s in kept for token in [comma, *s]][1:]


def keep_used_rules(rules: list, used: Callable[[str], bool]) -> list:
    """``rules`` without those that no element of the site can match."""
    kept = []
    for rule in rules:
        if rule.type == "qualified-rule":
            rule.prelude = selectors_used(rule.prelude, used)
            if not rule.prelude:
                continue
        elif rule.type == "at-rule" and rule.lower_at_keyword in GROUPS:
            if rule.content is not None:
                inner = tinycss2.parse_rule_list(rule.content)
                rule.content = keep_used_rules(inner, used)
                if not any(r.type.endswith("rule") for r in rule.content):
                    continue
        kept.append(rule)
    return kept


def only_used_rules(app: Sphinx, exception) -> None:
    """The site's theme style sheet, cut to what the pages can use."""
    outdir = Path(app.outdir)
    css = outdir / THEME_CSS
    if exception or app.builder.format != "html" or not css.is_file():
        return
    original = theme_file(THEME_CSS.relative_to("_static"))
    rules = tinycss2.parse_stylesheet(original.read_text(encoding="utf8"))
    kept = keep_used_rules(rules, names_used(outdir))
    css.write_text(
        tinycss2.serialize(kept).replace(*FONT_DISPLAY), encoding="utf8"
    )


def setup(app: Sphinx) -> dict:
    # after the extensions that copy their scripts into the site (500)
    app.connect("build-finished", only_used_rules, priority=800)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
