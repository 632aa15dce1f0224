"""How a permutation group acts on the tensors a function takes and returns.

A :class:`TensorAction` lists the *point slots* of one tensor. A slot is a run of consecutive axes that
together carry the ``n`` points, flattened row-major (one axis for a set of ``n`` points, ``H x W`` axes
for an image with ``n = H*W`` pixels). ``g`` moves the data of every slot at once, with the conventions
of :mod:`asen.groups.perm`, ``(g . x)[g[i]] = x[i]``:

========================  ===============  ==========================================
data                      slots            text form (CLI ``--in-axes``/``--out-axes``)
========================  ===============  ==========================================
points on axis 1          ``((1,),)``      ``"1"``
image on axes 1, 2        ``((1, 2),)``    ``"1*2"``
pair features on 1 and 2  ``((1,), (2,))`` ``"1,2"``
invariant (no points)     ``()``           ``"none"``
node indices (edge_index) ``index=True``     ``"index"``
========================  ===============  ==========================================

Axes count on the tensor exactly as the function receives or returns it, batch axis included.

An *index* tensor does not carry data of the points, it names them: every entry is a point index in
``0..n-1`` (PyTorch Geometric's ``edge_index`` of shape ``(2, E)``), and ``g`` relabels the entries,
``g . edge_index = g[edge_index]``: edge ``k`` joins ``g[u_k]`` and ``g[v_k]``, edge order (and so every
edge attribute) unchanged. See :mod:`asen.verify.graphs` for graph inputs.

Examples
--------
>>> import numpy as np
>>> A = TensorAction.parse("1,2")
>>> A, A.is_invariant
(TensorAction('1,2'), False)
>>> x = np.arange(9.0).reshape(1, 3, 3)
>>> bool(A.apply(np.array([1, 2, 0]), x)[0, 1, 1] == x[0, 0, 0])   # (g.A)[g[i], g[j]] = A[i, j]
True
>>> edge_index = np.array([[0, 1], [1, 2]])                          # edges 0->1 and 1->2
>>> TensorAction.parse("index").apply(np.array([1, 2, 0]), edge_index).tolist()
[[1, 2], [2, 0]]
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from ..groups import act, inverse

__all__ = ["TensorAction", "as_action", "as_actions", "check_indices"]

_INVARIANT_WORDS = ("none", "invariant", "-", "")
_INDEX_WORDS = ("index", "indices")


@dataclass(frozen=True)
class TensorAction:
    """The point slots of one tensor: each a tuple of consecutive axes, flattened row-major.

    Parameters
    ----------
    slots
        One tuple of axes per copy of the points; ``()`` for a tensor the group does not move.
    index
        The tensor holds point indices (``edge_index``), relabelled by ``g``; needs ``slots=()``.
    """

    slots: tuple[tuple[int, ...], ...] = ()
    index: bool = False

    def __post_init__(self) -> None:
        slots = tuple(tuple(int(a) for a in s) for s in self.slots)
        if self.index and slots:
            raise ValueError(f"an index tensor has no point slots, got slots={slots}")
        object.__setattr__(self, "index", bool(self.index))
        for s in slots:
            if not s:
                raise ValueError(f"a point slot needs at least one axis, got slots={slots}")
            if list(s) != list(range(s[0], s[0] + len(s))):
                raise ValueError(f"the axes of a point slot must be consecutive and increasing, got {s}")
        object.__setattr__(self, "slots", slots)

    # ------------------------------------------------------------------ constructors
    @classmethod
    def points(cls, axis: int = 1) -> TensorAction:
        """The points lie on one axis (a set or sequence of ``n`` items)."""
        return cls(((axis,),))

    @classmethod
    def image(cls, *axes: int) -> TensorAction:
        """The points lie on consecutive axes flattened row-major (pixel ``(r, c)`` is ``r*W + c``)."""
        return cls((tuple(axes),))

    @classmethod
    def pairs(cls, first: int = 1, second: int = 2) -> TensorAction:
        """Pair features: the points lie on two axes and move on both, ``(g.A)[g[i], g[j]] = A[i, j]``."""
        return cls(((first,), (second,)))

    @classmethod
    def invariant(cls) -> TensorAction:
        """A tensor the group does not move (an invariant output, a global input)."""
        return cls(())

    @classmethod
    def indices(cls) -> TensorAction:
        """A tensor of point indices (``edge_index``): ``g`` relabels its entries, ``g[edge_index]``."""
        return cls((), index=True)

    @classmethod
    def parse(cls, text: str) -> TensorAction:
        """Read the text form: ``"1"``, ``"1*2"`` (image), ``"1,2"`` (pairs), ``"none"`` (invariant),
        ``"index"`` (point indices such as ``edge_index``)."""
        if not isinstance(text, str):
            raise TypeError(f"an axes spec must be a string, got {type(text).__name__}")
        body = text.strip().lower()
        if body in _INVARIANT_WORDS:
            return cls(())
        if body in _INDEX_WORDS:
            return cls((), index=True)
        slots = []
        for part in body.split(","):
            try:
                slots.append(tuple(int(a) for a in part.split("*")))
            except ValueError:
                raise ValueError(
                    f"cannot read axes spec {text!r}: expected e.g. '1', '1*2' (image), '1,2' (pairs), 'none' "
                    "or 'index' (node indices such as edge_index)"
                ) from None
        return cls(tuple(slots))

    # ------------------------------------------------------------------ queries
    @property
    def is_invariant(self) -> bool:
        """True when the group does not move this tensor."""
        return not self.slots and not self.index

    def __str__(self) -> str:
        if self.index:
            return "index"
        if not self.slots:
            return "none"
        return ",".join("*".join(str(a) for a in s) for s in self.slots)

    def __repr__(self) -> str:
        return f"TensorAction({str(self)!r})"

    def normalised(self, shape: Sequence[int], degree: int, *, name: str = "tensor") -> TensorAction:
        """Check the slots against ``shape`` and the group's degree; return them with non-negative axes.

        Raises
        ------
        ValueError
            If an axis is out of range, slots overlap, or a slot does not hold exactly ``degree`` points.
            (An index tensor fits any shape; its values are checked by :func:`check_indices`.)
        """
        if self.index:
            return self
        ndim = len(shape)
        out = []
        used: set[int] = set()
        for s in self.slots:
            for a in s:
                if not -ndim <= a < ndim:
                    raise ValueError(
                        f"{name}: axes spec {str(self)!r} names axis {a}, but the {name} has {ndim} "
                        f"dimension(s) (shape {tuple(shape)})"
                    )
            fixed = tuple(a % ndim for a in s)
            if list(fixed) != list(range(fixed[0], fixed[0] + len(fixed))):
                raise ValueError(f"{name}: the axes {s} of a point slot are not consecutive for ndim={ndim}")
            if used & set(fixed):
                raise ValueError(f"{name}: axes spec {str(self)!r} uses an axis twice")
            used |= set(fixed)
            size = int(np.prod([shape[a] for a in fixed]))
            if size != degree:
                dims = " x ".join(str(shape[a]) for a in fixed)
                raise ValueError(
                    f"{name}: axes {fixed} of shape {tuple(shape)} hold {dims} = {size} points, but the "
                    f"group has degree {degree} (for an invariant tensor use 'none'; for an image use '1*2')"
                )
            out.append(fixed)
        return TensorAction(tuple(out))

    # ------------------------------------------------------------------ the action
    def apply(self, g: np.ndarray, x: Any) -> Any:
        """``g . x``: move the points of every slot of ``x`` (a numpy array or torch tensor).

        ``g`` acts on all slots at once, so pair features move on both axes. Slots must be normalised
        (non-negative axes), see :meth:`normalised`. An index tensor becomes ``g[x]`` (same dtype).
        """
        if self.index:
            if hasattr(x, "numpy") and not isinstance(x, np.ndarray):  # a torch tensor
                import torch

                return torch.as_tensor(np.asarray(g), device=x.device)[x.long()].to(x.dtype)
            return np.asarray(g)[np.asarray(x)].astype(np.asarray(x).dtype)
        if not self.slots:
            return x
        g = np.asarray(g)
        for s in self.slots:
            shape = tuple(x.shape)
            flat = x.reshape(shape[: s[0]] + (-1,) + shape[s[-1] + 1 :])
            x = act(g, flat, s[0]).reshape(shape)
        return x

    def apply_many(self, perms: np.ndarray, x: np.ndarray) -> np.ndarray:
        """``g . x`` for every row ``g`` of ``perms``, stacked on a new leading axis (numpy only)."""
        perms = np.asarray(perms)
        if self.index:
            return np.ascontiguousarray(perms[:, np.asarray(x)].astype(x.dtype))
        if not self.slots:
            return np.broadcast_to(x, (len(perms),) + x.shape).copy()
        inv = inverse(perms)
        out = np.broadcast_to(x, (len(perms),) + x.shape)
        m = len(perms)
        rows = np.arange(m)
        for s in self.slots:
            shape = out.shape
            a = s[0] + 1  # axis in the stacked array
            flat = out.reshape(shape[:a] + (-1,) + shape[s[-1] + 2 :])
            moved = np.moveaxis(flat, a, 1)  # (m, n, ...)
            picked = moved[rows[:, None], inv]  # (m, n, ...): value at point i comes from inv[i]
            out = np.moveaxis(picked, 1, a).reshape(shape)
        return np.ascontiguousarray(out)


def as_action(spec: Any, *, what: str = "axes") -> TensorAction:
    """Read one tensor's action: an int axis, a text form, ``None`` (invariant) or a :class:`TensorAction`."""
    if isinstance(spec, TensorAction):
        return spec
    if spec is None:
        return TensorAction.invariant()
    if isinstance(spec, bool):
        raise TypeError(f"{what}: expected an axis, a spec string or a TensorAction, got {spec!r}")
    if isinstance(spec, (int, np.integer)):
        return TensorAction.points(int(spec))
    if isinstance(spec, str):
        return TensorAction.parse(spec)
    raise TypeError(
        f"{what}: expected an int axis, a string such as '1', '1*2', '1,2', 'none' or 'index', or a TensorAction; "
        f"got {spec!r} (for several arguments pass a list with one entry per argument)"
    )


def as_actions(spec: Any, count: int, *, what: str = "in_axes") -> tuple[TensorAction, ...]:
    """One action per tensor: a list/tuple gives one entry per tensor, anything else applies to all ``count``.

    Raises
    ------
    ValueError
        If a list has the wrong number of entries.
    """
    if isinstance(spec, (list, tuple)):
        if len(spec) != count:
            raise ValueError(f"{what} lists {len(spec)} entries, but there are {count} tensor(s)")
        return tuple(as_action(s, what=f"{what}[{i}]") for i, s in enumerate(spec))
    return (as_action(spec, what=what),) * count


def check_indices(x: np.ndarray, degree: int, *, name: str = "tensor") -> None:
    """Check that an index tensor holds integer point indices in ``0..degree-1``.

    Raises
    ------
    ValueError
        If ``x`` is not an integer array or names a point outside ``0..degree-1``.
    """
    x = np.asarray(x)
    if x.dtype.kind not in "iu":
        raise ValueError(f"{name}: an 'index' tensor must hold integers (node indices), got dtype {x.dtype}")
    if x.size and (int(x.min()) < 0 or int(x.max()) >= degree):
        bad = int(x.min()) if int(x.min()) < 0 else int(x.max())
        raise ValueError(
            f"{name}: the 'index' tensor names point {bad}, but the group has degree {degree} "
            f"(indices must lie in 0..{degree - 1})"
        )
