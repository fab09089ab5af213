"""``corengine plugin new``: a new plugin package, ready to install, test and lint.

The files come from the templates in ``corengine/templates/plugin/`` (Jinja2), so the scaffold follows the
documented format (``docs/plugins.md``) and the bundled plugins' conventions: expected evidence on every
question, a theme on every element, a source and a confidence on every rule value. ``corengine plugin check``
and the package's own scenario tests pass on it as generated.
"""

from __future__ import annotations

import contextlib
import os
import re
from pathlib import Path

import attrs
from attrs import frozen

from corengine._host.manager import ONLY_ENV
from corengine.errors import CorengineError, InputError

TEMPLATES = Path(__file__).parent / "templates" / "plugin"

NAME = re.compile(r"[a-z][a-z0-9]*(?:-[a-z0-9]+)*")
"""A plugin name: lower-case words of letters and digits joined by hyphens (the entry-point name); matched
whole (``fullmatch``: a trailing line break is not part of a name)."""

MAX_NAME = 64
"""The longest plugin name: it is part of folder, file and package names, which file systems bound."""

RESERVED = frozenset({"con", "prn", "aux", "nul", *(f"com{n}" for n in range(10)), *(f"lpt{n}" for n in range(10))})
"""Names Windows reserves for devices: the plugin's data file ``NAME.yaml`` could not be created or checked out
there."""

CODE = re.compile(r"[A-Z]{2,3}")
"""A jurisdiction code: two or three capital letters (matched whole)."""

PARTNER = re.compile(r"[A-Z][A-Z0-9]*")
"""A partner code: capital letters and digits, starting with a letter (matched whole)."""


class ScaffoldError(CorengineError):
    """The scaffold cannot be written (the folder exists, or cannot be made)."""


@frozen
class PluginNames:
    """Every name a new plugin's files use."""

    name: str
    """Entry-point name, e.g. ``yukon``."""
    distribution: str
    """Distribution name, ``corengine-yukon``."""
    package: str
    """Import package, ``corengine_yukon``."""
    code: str
    """Jurisdiction code, ``YT``."""
    partner: str
    """Certifying partner code, ``YUKON``."""
    standard_id: str
    """The standard's id, ``yt-yukon-cor``."""
    title: str
    """A human title, ``Yukon``."""
    corengine_version: str
    """The corengine version the plugin depends on at least."""


def installed_plugins() -> dict[str, str]:
    """The installed plugins' names (entry points of the ``corengine`` group) and the distribution of each, with
    every installed ``corengine-*`` distribution under its plugin name too; only those ``CORENGINE_PLUGINS``
    names when it is set."""
    from importlib.metadata import distributions, entry_points

    found: dict[str, str] = {}
    for dist in distributions():
        dist_name = (dist.metadata["Name"] or "").lower().replace("_", "-")
        if dist_name.startswith("corengine-"):
            found.setdefault(dist_name.removeprefix("corengine-"), dist_name)
    for point in entry_points(group="corengine"):
        found[point.name] = point.dist.name if point.dist is not None else point.value
    only = os.environ.get(ONLY_ENV, "")
    if only.strip():  # the plugins this corengine loads: the allow-list says which (a test suite sets it)
        allowed = {name.strip() for name in only.split(",")}
        found = {name: dist for name, dist in found.items() if name in allowed}
    return found


def names_for(
    name: str, code: str | None = None, partner: str | None = None, installed: dict[str, str] | None = None
) -> PluginNames:
    """The names a plugin called ``name`` uses; an :class:`InputError` for a name, code or partner not allowed,
    or a name an installed plugin has (``installed``: plugin name to distribution; default: what
    :func:`installed_plugins` finds), as installing the new package would replace or shadow it."""
    from corengine._io.distributions import VERSION as __version__

    problems = []
    if len(name) > MAX_NAME:
        problems.append(f"plugin name {name[:20]!r}...: at most {MAX_NAME} characters, not {len(name)}")
    elif not NAME.fullmatch(name):
        problems.append(
            f"plugin name {name!r}: use lower-case letters and digits, words joined by hyphens (e.g. yukon, my-partner)"
        )
    elif name in RESERVED:
        problems.append(f"plugin name {name!r}: a device name on Windows (its data file {name}.yaml); choose another")
    else:
        taken = installed_plugins() if installed is None else installed
        if name in taken:
            problems.append(
                f"plugin name {name!r}: the installed plugin {taken[name]} has it (installing the new package would "
                "replace or shadow it); choose another"
            )
    code = code if code is not None else re.sub(r"[^A-Za-z]", "", name)[:2].upper()
    if not CODE.fullmatch(code):
        problems.append(f"jurisdiction code {code!r}: use two or three capital letters (--code YT)")
    partner = partner if partner is not None else re.sub(r"[^A-Za-z0-9]", "", name).upper()[:MAX_NAME]
    if not PARTNER.fullmatch(partner):
        problems.append(f"partner {partner!r}: use capital letters and digits (--partner YCSA)")
    if problems:
        raise InputError(problems)
    release = __version__.split("+")[0]
    return PluginNames(
        name=name,
        distribution=f"corengine-{name}",
        package="corengine_" + name.replace("-", "_"),
        code=code,
        partner=partner,
        standard_id=f"{code.lower()}-{partner.lower()}-cor",
        title=" ".join(word.capitalize() for word in name.split("-")),
        corengine_version=release if re.match(r"^[0-9]+(\.[0-9]+)*$", release) else "0.1.0",
    )


def layout(names: PluginNames) -> dict[str, str]:
    """Each file of the package (relative path) and the template it comes from."""
    src = f"src/{names.package}"
    return {
        "pyproject.toml": "pyproject.toml.j2",
        "LICENSE": "LICENSE",
        "README.md": "README.md.j2",
        f"{src}/__init__.py": "__init__.py.j2",
        f"{src}/py.typed": "",
        f"{src}/plugin.py": "plugin.py.j2",
        f"{src}/data/{names.name}.yaml": "jurisdiction.yaml.j2",
        f"{src}/data/standards/{names.standard_id}.yaml": "standard.yaml.j2",
        f"tests/test_{names.package}.yaml": "test_plugin.yaml.j2",
        "examples/audit-pass.yaml": "audit-pass.yaml.j2",
        "examples/audit-fail.yaml": "audit-fail.yaml.j2",
    }


def render(names: PluginNames) -> dict[str, str]:
    """The text of every file of the new package, by relative path."""
    import jinja2

    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(TEMPLATES)),
        autoescape=False,  # the files are TOML, YAML, Python and Markdown, not HTML
        keep_trailing_newline=True,
        undefined=jinja2.StrictUndefined,
    )
    values = {a.name: getattr(names, a.name) for a in attrs.fields(PluginNames)}
    files = {}
    for path, template in layout(names).items():
        if not template:
            files[path] = ""
        elif template.endswith(".j2"):
            files[path] = env.get_template(template).render(**values)
        else:
            files[path] = (TEMPLATES / template).read_text(encoding="utf-8")
    return files


def scaffold(names: PluginNames, into: Path) -> Path:
    """Write the package into ``into/<distribution>``; a :class:`ScaffoldError` when that folder exists.

    :returns: the package's folder.
    """
    target = into / names.distribution
    try:
        exists = target.exists() or target.is_symlink()
    except OSError as exc:
        raise ScaffoldError(f"{target}: cannot create the folder: {exc.strerror or exc}") from None
    if exists:
        raise ScaffoldError(f"{target}: already exists; choose another name or folder (nothing was written)")
    files = render(names)
    made = target  # the outermost folder this call creates: removed whole if anything fails
    while not made.parent.exists() and made.parent != made:
        made = made.parent
    try:
        target.mkdir(parents=True)
    except OSError as exc:
        _remove_quietly(made)
        raise ScaffoldError(f"{target}: cannot create the folder: {exc.strerror or exc}") from None
    try:
        for relative, text in files.items():
            path = target / relative
            path.parent.mkdir(parents=True, exist_ok=True)
            with open(path, "x", encoding="utf-8", newline="\n") as handle:
                handle.write(text)
    except OSError as exc:
        _remove_quietly(made)
        raise ScaffoldError(f"{target}: cannot write the package: {exc.strerror or exc}") from None
    return target


def _remove_quietly(folder: Path) -> None:
    if folder.is_dir() and not folder.is_symlink():
        with contextlib.suppress(OSError):
            _remove(folder)


def _remove(folder: Path) -> None:
    """Remove a folder this module just created (a partial scaffold is never left behind)."""
    for root, dirs, files in os.walk(folder, topdown=False):
        for name in files:
            os.unlink(os.path.join(root, name))
        for name in dirs:
            os.rmdir(os.path.join(root, name))
    os.rmdir(folder)


__all__ = ["PluginNames", "ScaffoldError", "installed_plugins", "layout", "names_for", "render", "scaffold"]
