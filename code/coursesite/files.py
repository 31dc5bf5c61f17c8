"""Writing a file so that an interrupted write never leaves half of one.

The data, the build's records and the site's assets are all written this way:
a reader, or the next build, finds the old file or the new one, never a
truncated one.
"""

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO


@contextmanager
def atomic_write(
    path: Path, binary: bool = False, **options
) -> Iterator[IO]:
    """Open a new file beside ``path`` for the block to write; rename it to
    ``path`` only when the block ends without an error. ``options`` go to
    ``open`` (``encoding=...``).

    Renaming within a folder replaces a file in one step. If the block
    raises, the new file is deleted and ``path`` is left as it was. The file
    is created with ``open``, so it gets the usual permissions (readable by
    all under the common umask): a web server must be able to read the
    site's files.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    part = path.with_name(f".{path.name}.{uuid.uuid4().hex}.part")
    try:
        with open(part, "xb" if binary else "x", **options) as stream:
            yield stream
        os.replace(part, path)
    except BaseException:
        part.unlink(missing_ok=True)
        raise
