"""The build pipeline's order, written down once (CONTRIBUTING.md, "The
build pipeline"), is the order the extensions really register."""

import importlib
import re

import yaml
from helpers import REPO

#: Sphinx's events in the order a build emits them.
EVENTS = (
    "config-inited",
    "builder-inited",
    "env-get-outdated",
    "env-before-read-docs",
    "html-page-context",
    "build-finished",
)
#: A row of the table: | event | priority | extension | listener | ...
ROW = re.compile(r"^\| ([a-z-]+) \| (\d+) \| (\w+) \| (\w+) \|", re.M)


class Recorder:
    """A stand-in Sphinx application that records every ``connect``; the
    rest of an extension's ``setup`` (config values, nodes) does nothing."""

    def __init__(self) -> None:
        self.listeners: list[tuple[str, int, str, str]] = []
        self.extension = ""

    def connect(self, event: str, callback, priority: int = 500) -> int:
        self.listeners.append(
            (event, priority, self.extension, callback.__name__)
        )
        return len(self.listeners)

    def __getattr__(self, name: str):
        return lambda *args, **kwargs: None


def registered() -> list[tuple[str, int, str, str]]:
    """Every listener the book's extensions connect, in the order Sphinx
    calls them: by event, priority, then the extensions' order."""
    config = yaml.safe_load((REPO / "_config.yml").read_text())
    app = Recorder()
    for name in config["sphinx"]["local_extensions"]:
        app.extension = name
        importlib.import_module(name).setup(app)
    order = {listener: i for i, listener in enumerate(app.listeners)}
    return sorted(
        app.listeners,
        key=lambda row: (EVENTS.index(row[0]), row[1], order[row]),
    )


def documented() -> list[tuple[str, int, str, str]]:
    text = (REPO / "CONTRIBUTING.md").read_text()
    section = text.split("## The build pipeline\n", 1)[1].split("\n## ")[0]
    return [
        (event, int(priority), extension, listener)
        for event, priority, extension, listener in ROW.findall(section)
    ]


def test_the_pipeline_table_lists_every_listener_in_order():
    assert documented() == registered()


def test_the_recorder_sees_the_extensions_listeners():
    """The comparison above reads something: the extensions of
    ``_config.yml`` connect to every event of the table."""
    assert {row[0] for row in registered()} == set(EVENTS)
    assert len(registered()) >= 20
