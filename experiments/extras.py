"""The optional packages of the ``experiments`` extra, imported with an error that names the extra.

``pip install asen`` brings numpy, torch and tqdm; the plots need matplotlib and the 8x8 digits need
scikit-learn, which come with ``pip install 'asen[experiments]'``. :func:`import_extra` imports one of
them and, when it is missing, raises :class:`MissingExtraError` (a :class:`ModuleNotFoundError`) saying
what needs it and how to install it, instead of a bare ``No module named 'matplotlib'`` after the training.
This module imports nothing heavy itself.

Examples
--------
>>> import_extra("json", "the doctest").__name__
'json'
>>> try:
...     import_extra("no_such_package", "this example")
... except MissingExtraError as exc:
...     print(exc)
no_such_package is needed for this example but is not installed; install the experiments extra: pip install 'asen[experiments]'
"""

from __future__ import annotations

import importlib
from types import ModuleType

__all__ = ["EXTRA", "INSTALL_HINT", "MissingExtraError", "import_extra", "pyplot"]

EXTRA = "experiments"
INSTALL_HINT = f"pip install 'asen[{EXTRA}]'"

# import name -> distribution name, for the message
_DISTRIBUTIONS = {"sklearn": "scikit-learn"}


class MissingExtraError(ModuleNotFoundError):
    """An optional package of the ``experiments`` extra is not installed (the message says which)."""


def import_extra(module: str, needed_for: str) -> ModuleType:
    """``importlib.import_module(module)``; if it is missing, :class:`MissingExtraError` naming the extra.

    ``needed_for`` says what needs it (``"the experiment plots"``) in the message.
    """
    try:
        return importlib.import_module(module)
    except ImportError as exc:
        top = module.split(".")[0]
        if exc.name is not None and exc.name.split(".")[0] != top:
            raise  # the package is there but one of its own dependencies is broken: keep that error
        dist = _DISTRIBUTIONS.get(top, top)
        raise MissingExtraError(
            f"{dist} is needed for {needed_for} but is not installed; install the {EXTRA} extra: {INSTALL_HINT}",
            name=top,
        ) from exc


def pyplot(needed_for: str = "the experiment plots") -> ModuleType:
    """``matplotlib.pyplot`` on the non-interactive Agg backend (files only, no display needed)."""
    matplotlib = import_extra("matplotlib", needed_for)
    matplotlib.use("Agg")
    return import_extra("matplotlib.pyplot", needed_for)
