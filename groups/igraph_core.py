"""igraph's compiled core (where bliss lives), loaded on first use and without igraph's plotting stack.

``import igraph`` runs the package's ``__init__``, which imports ``matplotlib.pyplot`` whenever matplotlib
is installed: about a second, more than bliss needs for an image-sized graph. asen only calls
``GraphBase`` (graph construction, ``automorphism_group``, ``count_automorphisms``,
``canonical_permutation``), all in the extension module ``igraph._igraph``, so that module alone is
loaded, under its own name. The package itself still imports normally afterwards (its ``__init__`` finds
the core in ``sys.modules``); a one-shot import hook then binds it as the package's ``_igraph``
attribute, which the package would otherwise lack. Where any of this fails, or igraph is already
imported, the ordinary ``import igraph`` is used.
"""

from __future__ import annotations

import functools
import importlib.abc
import importlib.machinery
import importlib.util
import os
import sys
from types import ModuleType
from typing import Any

__all__ = ["igraph_core", "igraph_version"]

_CORE = "igraph._igraph"


@functools.cache
def igraph_core() -> Any:
    """A module with igraph's ``GraphBase``; ``ImportError`` when igraph is not installed."""
    if "igraph" in sys.modules or _CORE in sys.modules:
        return _full_import()
    try:
        core = _load_core()
    except Exception:  # noqa: BLE001 - any failure of the shortcut falls back to the documented import
        return _full_import()
    if core is None:
        return _full_import()
    sys.meta_path.insert(0, _BindCoreOnImport(core))
    return core


def igraph_version() -> str:
    """The installed igraph's version string (without importing the package)."""
    from importlib.metadata import version

    return version("igraph")


def _full_import() -> Any:
    import igraph

    return igraph


def _load_core() -> ModuleType | None:
    spec = importlib.util.find_spec("igraph")  # a top-level package: found, not imported
    if spec is None:
        raise ImportError("igraph is not installed (pip install 'igraph>=0.11')")
    for folder in spec.submodule_search_locations or ():
        for suffix in importlib.machinery.EXTENSION_SUFFIXES:
            path = os.path.join(folder, "_igraph" + suffix)
            if os.path.exists(path):
                core_spec = importlib.util.spec_from_file_location(_CORE, path)
                module = importlib.util.module_from_spec(core_spec)
                sys.modules[_CORE] = module  # the package's own import finds it here
                core_spec.loader.exec_module(module)
                return module if hasattr(module, "GraphBase") else None
    return None


class _BindCoreOnImport(importlib.abc.MetaPathFinder):
    """Sets ``igraph._igraph`` once the package is imported (after the core was loaded on its own)."""

    def __init__(self, core: ModuleType):
        self.core = core

    def find_spec(self, fullname: str, path: Any = None, target: Any = None) -> Any:
        if fullname != "igraph":
            return None
        sys.meta_path.remove(self)
        spec = importlib.util.find_spec(fullname)
        if spec is None or spec.loader is None:
            return spec
        exec_module, core = spec.loader.exec_module, self.core

        def exec_and_bind(module: ModuleType) -> None:
            exec_module(module)
            module._igraph = core

        spec.loader.exec_module = exec_and_bind
        return spec
