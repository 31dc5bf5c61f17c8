"""Refuse a built site that carries a Live Code token.

``live_code_token`` in ``_config.yml`` is written into every page
(``window.LIVE_CODE``), where anyone who can read the site can read it, and
the build allows it only for a server on loopback (a laptop's own). The
publishing workflow runs this on the built site before it deploys anything:

    python tools/no_token.py _build/html

It exits non-zero, naming the pages and the fix, if any page sets a token.
"""

import json
import re
import sys
from pathlib import Path

#: The settings line that ``_ext/live_code.py`` writes into every page.
SETTINGS = re.compile(r"window\.LIVE_CODE = (\{.*?\});")


def pages_with_a_token(html: Path) -> list[str]:
    """The site's pages whose Live Code settings hold a token."""
    found = []
    for page in sorted(html.rglob("*.html")):
        for settings in SETTINGS.findall(page.read_text(errors="replace")):
            if json.loads(settings).get("token"):
                found.append(page.relative_to(html).as_posix())
    return found


def main(argv: list[str]) -> int:
    if len(argv) != 1 or not Path(argv[0]).is_dir():
        print(
            "usage: python tools/no_token.py SITE_FOLDER (e.g. _build/html)"
        )
        return 2
    html = Path(argv[0])
    found = pages_with_a_token(html)
    if not found:
        print(f"no_token: no Live Code token in the {html} site")
        return 0
    print(
        f"no_token: {len(found)} page(s) of {html} carry a Live Code token "
        f"(first: {found[0]}); it would be published to every reader. "
        "Remove live_code_token from _config.yml (sphinx: config:) and "
        "rebuild; readers give their token in the page's address "
        '(CHAPTER.html#token=TOKEN), as the README\'s "Live code" says.',
        file=sys.stderr,
    )
    return 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
