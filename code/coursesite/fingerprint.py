"""When is code "changed"? One rule for the cached runs and the executed pages.

Both depend on modules of the course package: a run on the modules that build
and train its model, a page on the modules its code cells import. Both follow
the imports through the package (statically, with :func:`imported_names`) and
hash each module's *normalised* source (:func:`normalised_source`): comments,
docstrings and layout are ignored, every statement counts. The hash is the
same under every Python version from 3.11 on, so a run trained on a machine
with another Python is still current here.
"""

import ast
import hashlib
import importlib.util
from pathlib import Path


def imported_names(source: str, package: str = "") -> set[str]:
    """Absolute names of every module that ``source`` imports, statically.

    ``package`` is the package the code lives in, to resolve relative imports
    (``from . import x``); leave it empty for a page's code cells. For ``from
    a import b`` both ``a`` and ``a.b`` are returned, because ``b`` may be a
    submodule; names that are not modules are dropped by the caller.
    """
    names: set[str] = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = _absolute(node.module or "", node.level, package)
            if base:
                names.add(base)
                names.update(
                    f"{base}.{alias.name}"
                    for alias in node.names
                    if alias.name != "*"
                )
    return names


def _absolute(module: str, level: int, package: str) -> str:
    """``from ..module import`` written inside ``package``, as an absolute
    name."""
    if level == 0:
        return module
    parts = package.split(".")
    if not package or level > len(parts):
        return ""  # a relative import outside a package: not ours to resolve
    base = ".".join(parts[: len(parts) - level + 1])
    return f"{base}.{module}" if module else base


def _without_docstrings(tree: ast.AST) -> ast.AST:
    for node in ast.walk(tree):
        body = getattr(node, "body", None)
        if (
            isinstance(body, list)
            and body
            and isinstance(body[0], ast.Expr)
            and isinstance(body[0].value, ast.Constant)
            and isinstance(body[0].value.value, str)
        ):
            node.body = body[1:] or [ast.Pass()]
    return tree


def _canonical(node: object) -> object:
    """A node as nested lists of its type and its non-empty fields.

    ``ast.dump`` is not used: its output differs between Python versions
    (3.12 adds ``type_params=[]``, 3.13 leaves out empty fields). Leaving out
    every empty field and every position gives the same form on each.
    """
    if isinstance(node, ast.AST):
        fields = [
            [name, _canonical(value)]
            for name, value in ast.iter_fields(node)
            if value is not None and value != []
        ]
        return [type(node).__name__, fields]
    if isinstance(node, list):
        return [_canonical(item) for item in node]
    return repr(node)


def normalised_source(source: str) -> str:
    """The statements of a module without its comments, docstrings and
    layout, as text: editing prose changes nothing, any statement does."""
    tree = _without_docstrings(ast.parse(source))
    return repr(_canonical(tree))


def source_hash(source: str) -> str:
    """sha256 of the normalised source."""
    return hashlib.sha256(normalised_source(source).encode()).hexdigest()


class Package:
    """The source files of one importable package, where the build imports
    it from."""

    def __init__(self, name: str) -> None:
        spec = importlib.util.find_spec(name)
        if spec is None or not spec.submodule_search_locations:
            raise ValueError(
                f"cannot find the package {name!r} to track; install it "
                "(pip install --no-deps -e .) or fix stale_pages_packages "
                "in _config.yml"
            )
        self.name = name
        self.root = Path(list(spec.submodule_search_locations)[0])

    def file(self, module: str) -> Path | None:
        """The source file of ``module`` if it belongs to this package,
        else None."""
        if module != self.name and not module.startswith(self.name + "."):
            return None
        path = self.root.joinpath(*module.split(".")[1:])
        for candidate in (path / "__init__.py", path.with_suffix(".py")):
            if candidate.is_file():
                return candidate
        return None

    def closure(self, names: set[str]) -> set[str]:
        """The package's modules that importing ``names`` executes,
        transitively.

        Importing ``a.b.c`` runs ``a/__init__.py`` and ``a/b/__init__.py``
        too, so parents count as dependencies.
        """
        seen: set[str] = set()
        todo = [name for name in names if self.file(name)]
        while todo:
            module = todo.pop()
            if module in seen:
                continue
            seen.add(module)
            parts = module.split(".")
            todo += [".".join(parts[:i]) for i in range(1, len(parts))]
            path = self.file(module)
            package = (
                module
                if path.name == "__init__.py"
                else module.rpartition(".")[0]
            )
            todo += [
                name
                for name in imported_names(path.read_text(), package)
                if self.file(name)
            ]
        return seen

    def fingerprint(self, modules: set[str]) -> dict[str, str]:
        """{module: hash of its normalised source}: what decides whether a
        run or a page's outputs are out of date."""
        return {
            m: source_hash(self.file(m).read_text()) for m in sorted(modules)
        }
