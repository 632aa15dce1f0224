"""``ASEN``: one shared equivariant body, any number of named symmetries and tasks around it.

A symmetry is a certified symmetry-breaking input (vertex and pair colours on ``Omega ⊔ Y``); the body is
equivariant to every permutation of the vertices, so reading the colours makes the model equivariant,
on the points, to exactly the automorphism group of the colouring (``G`` for exact inputs, ``G^(2)`` for
2-closure inputs). Data live on the points; auxiliary vertices start from their learned colour embedding.

Saving and loading
------------------
Each symmetry's colours are buffers and its embeddings parameters, under ``symmetries.<name>.``; the
hyperparameters, task specs and symmetry names travel in the ``_extra_state`` entry. So either

* ``ASEN.from_state_dict(torch.load(path))`` rebuilds the whole model (in the checkpoint's dtype), or
* construct ``ASEN`` with the same hyperparameters and call ``load_state_dict``: missing tasks and
  symmetries are created from the stored shapes first. A stored symmetry replaces a same-named one whose
  shapes differ (the saved colours are the ones the saved embeddings were trained with). A checkpoint whose
  config or same-named task computes differently (another ``orbital_aggregate``, ``head``, ...; ``dropout``
  and the init options may differ) is refused with a ValueError naming the keys, and a load that fails
  removes the tasks and symmetries it added.

Examples
--------
>>> import numpy as np, torch
>>> from asen.models import ASEN, symmetric_symmetry
>>> model = ASEN(3, 2, width=16, num_layers=2, heads=2, seed=0)
>>> model.add_symmetry("s5", symmetric_symmetry(5), seed=0)
>>> model(torch.randn(4, 5, 3), "s5").shape
torch.Size([4, 5, 2])
>>> model
ASEN(base='gatv2', width=16, layers=2, heads=2, pair_dim=16, symmetries=['s5'], tasks=['default'])
"""

from __future__ import annotations

import itertools
import warnings
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import torch
import torch.nn.functional as F
from torch import Tensor, nn

from ..groups import PermGroup, as_group
from .batching import SymmetryBatch, assemble
from .bodies import BODIES, ORBITAL_AGGREGATES, build_body, norm_name
from .bound import SymmetryView
from .heads import HEADS, build_head
from .pair_ops import lookup
from .seeding import torch_seed
from .set_norm import SetNorm
from .symmetry_store import POINT_COLOR_INITS, StoredSymmetry

__all__ = ["ASEN", "DEFAULT_INIT", "ENCODER_NORMS", "LEGACY_INIT"]

#: how a task encoder ends: ``"set"`` (:class:`SetNorm`, the default), ``"layer"`` (LayerNorm), ``"none"``
ENCODER_NORMS = ("set", "layer", "none")
#: the defaults of the options that let a default ASEN learn beyond the 2-closure: the orbital term of
#: every ``gatv2`` layer (rank 8), set-normalised data, small initial auxiliary colours, point colours
#: at unit scale centred over the points, the base's block norm (``None``: ``"set"`` for gatv2), the
#: orbital term's sum capped at ``n`` senders' worth
DEFAULT_INIT: dict[str, Any] = {
    "orbital_rank": 8, "encoder_norm": "set", "color_init_std": 0.05, "point_color_init": "centered",
    "block_norm": None, "orbital_aggregate": "capped",
}
#: the same options as ASEN built them before (the paper's layer and per-vertex LayerNorm blocks, raw
#: encoder output, unit colours); also what a saved config that lacks a key is read as (checkpoints from
#: before the key existed)
LEGACY_INIT: dict[str, Any] = {
    "orbital_rank": None, "encoder_norm": "none", "color_init_std": 1.0, "point_color_init": "scaled",
    "block_norm": "layer", "orbital_aggregate": "sum",
}
DEFAULT_ORBITAL_RANK = DEFAULT_INIT["orbital_rank"]
DEFAULT_COLOR_INIT_STD = DEFAULT_INIT["color_init_std"]

_SYM_PREFIX = "symmetries."
_TASK_PREFIX = "tasks."


def _renamed(old: str, old_value: Any, new: str, new_value: Any, *, where: str = "ASEN") -> Any:
    """The value of keyword ``new``, accepting the deprecated spelling ``old`` with a DeprecationWarning."""
    if old_value is None:
        return new_value
    if new_value is not None:
        raise TypeError(f"{where}: give {new}= only ({old}= is its deprecated alias), not both")
    warnings.warn(f"{where}: {old}= is deprecated, use {new}=", DeprecationWarning, stacklevel=3)
    return old_value


#: config keys of older releases -> their current names (read from saved ``_extra_state``)
_RENAMED_CONFIG = {"colour_init_std": "color_init_std"}

def _current_config(config: Mapping[str, Any], *, warn: bool = True) -> dict[str, Any]:
    """A saved config with renamed keys translated (DeprecationWarning unless ``warn=False``: re-save the
    checkpoint) and keys added since filled with what older releases built (so an old checkpoint rebuilds
    the old model)."""
    out = dict(config)
    for old, new in _RENAMED_CONFIG.items():
        if old in out:
            value = out.pop(old)
            if warn:
                warnings.warn(f"checkpoint config key {old!r} is deprecated (now {new!r}); re-save the model",
                              DeprecationWarning, stacklevel=3)
            out.setdefault(new, value)
    for key, value in LEGACY_INIT.items():
        out.setdefault(key, value)
    return out


def _computation(config: Mapping[str, Any]) -> dict[str, Any]:
    """The entries of a (current) config that change what a model computes from its weights: the init options
    (``color_init_std``, ``point_color_init``) and ``dropout`` (training only) are left out, and so is every
    option its base does not read."""
    base, pairs = config["base"], config["use_pair_colors"]
    out = {k: config[k] for k in ("base", "width", "num_layers", "use_pair_colors")}
    out["pair_dim"] = (config["pair_dim"] or config["width"]) if pairs else None
    out["encoder_norm"] = norm_name(config["encoder_norm"], ENCODER_NORMS, option="encoder_norm")
    if base in ("gatv2", "transformer"):
        out["heads"] = config["heads"]
    if base == "transformer":
        out["ffn_mult"] = config["ffn_mult"]
    if base == "mlp":
        out["max_vertices"] = config["max_vertices"]
    if base in ("gatv2", "orbital_mlp"):
        out["block_norm"] = norm_name(config["block_norm"])
    if base == "gatv2" and pairs:
        out["orbital_rank"] = config["orbital_rank"]
        if config["orbital_rank"] is not None:
            out["orbital_aggregate"] = config["orbital_aggregate"]
    return out


def _task_computation(spec: Mapping[str, Any]) -> dict[str, Any]:
    """The entries of a task spec that change what it computes (``pool`` only for a pooled head)."""
    keys = ("in_dim", "out_dim", "head") + (("pool",) if spec["head"] == "pooled" else ())
    return {k: spec[k] for k in keys}


def _differences(saved: Mapping[str, Any], mine: Mapping[str, Any]) -> str:
    """``"key: checkpoint a, model b; ..."`` for the shared keys whose values differ (empty if none); which
    keys are there follows from shared ones (``base``, ``head``, ...), so a difference always shows."""
    diff = (f"{k}: checkpoint {v!r}, model {mine[k]!r}" for k, v in saved.items() if v != mine.get(k, v))
    return "; ".join(diff)


def _shapes(module: nn.Module, prefix: str) -> dict[str, torch.Size]:
    """``{prefix + name: shape}`` of the parameters and buffers of ``module``."""
    named = itertools.chain(module.named_parameters(), module.named_buffers())
    return {prefix + k: v.shape for k, v in named}


def _floating_dtype(state_dict: Mapping[str, Any]) -> torch.dtype | None:
    """The dtype of the body's weights in ``state_dict`` (of any floating tensor if there are none)."""
    floats = [(k, v.dtype) for k, v in state_dict.items() if isinstance(v, Tensor) and v.is_floating_point()]
    body = [dtype for k, dtype in floats if k.startswith("body.")]
    return (body or [dtype for _, dtype in floats] or [None])[0]


def _check_name(kind: str, name: object) -> str:
    if not isinstance(name, str) or not name or "." in name:
        raise ValueError(f"{kind} name must be a non-empty string without '.', got {name!r}")
    return name


class _Task(nn.Module):
    """Input encoder (data -> width) and output head of one task."""

    def __init__(
        self, in_dim: int, out_dim: int, head: str, pool: str, width: int, pair_dim: int | None, *, norm: str = "none"
    ):
        super().__init__()
        self.spec = {"in_dim": in_dim, "out_dim": out_dim, "head": head, "pool": pool}
        layers = [nn.Linear(in_dim, width), nn.ReLU(), nn.Linear(width, width)]
        self.encoder = nn.Sequential(*layers, *([nn.LayerNorm(width)] if norm == "layer" else []))
        self.set_norm = SetNorm(width) if norm == "set" else None
        self.head = build_head(head, width, out_dim, pair_dim=pair_dim, pool=pool)

    def encode(self, x: Tensor, point_mask: Tensor) -> Tensor:
        """``(B, n, in_dim)`` data -> ``(B, n, width)``; ``point_mask (B, n)`` marks the real points."""
        h = self.encoder(x)
        return h if self.set_norm is None else self.set_norm(h, point_mask)


class ASEN(nn.Module):
    """Any-subgroup equivariant network: a shared body with per-symmetry colour embeddings and per-task heads.

    Parameters
    ----------
    in_dim, out_dim
        When both are given, a task ``"default"`` with this input width, output width and ``head`` is
        added; otherwise add tasks with :meth:`add_task`.
    head
        ``"point"`` (equivariant, ``(B, n, out)``), ``"pooled"`` (invariant, ``(B, out)``) or ``"pair"``
        (``(B, n, n, out)``, dense symmetries only).
    pool
        ``"mean"`` or ``"sum"`` for pooled heads (over the points only).
    base
        ``"gatv2"`` (the paper's base), ``"transformer"``, ``"orbital_mlp"`` (baseline: orbital weight
        sharing), ``"orbital_sum"`` (orbital weight sharing with sum aggregation and no LayerNorm: the
        body that uses exact inputs beyond the 2-closure, see :class:`EquivariantMLP`) or ``"mlp"``
        (baseline: flattened MLP, needs ``max_vertices``).
    width, num_layers, heads
        Body size (defaults 128, 4, 8 as in the paper).
    use_pair_colors
        False builds the same body without any pair input (vertex colours only).
    pair_dim
        Width of the pair-colour embeddings (default: ``width``).
    dropout, ffn_mult, max_vertices
        Body options (``ffn_mult`` for the transformer, ``max_vertices`` for the mlp base).
    orbital_rank
        ``gatv2`` only: rank of the orbital weight-sharing term each layer adds to its attention messages
        (default 8, :data:`DEFAULT_INIT`; ``None`` is the paper's layer). See :class:`PairGATv2`.
    orbital_aggregate
        ``gatv2`` with the orbital term: ``"capped"`` (default) scales its sum over a receiver's ``d``
        senders by ``min(1, n / d)``, ``n`` the sample's points, so a point that hundreds of sparse frames
        send to hears them at the scale of ``n`` senders (at 4 layers the plain ``"sum"``, what checkpoints
        saved before the key read, misses the sign of A_6 in 1 of 3 seeds; docs/results.md, "Session 17").
        Inputs without auxiliary vertices (``d = n``) compute the same either way.
    block_norm
        ``gatv2`` and ``orbital_mlp``: the normalisation in every body block ``h <- h + relu(Norm(W conv(h)))``
        (:data:`~asen.models.bodies.BLOCK_NORMS`): ``"set"`` (:class:`SetNorm` with the statistics of the
        sample's points, applied to every vertex; the gatv2 default), ``"layer"`` (a LayerNorm per vertex:
        the paper's block, ``True``, the orbital_mlp default and what checkpoints saved before the key read)
        or ``"none"`` (``False``). A per-vertex LayerNorm lifts every auxiliary vertex to unit scale and
        hides many frames: the sign of A_6 from its 360 sparse frames is learnt with ``"set"`` and ``"none"``,
        not with ``"layer"`` (docs/results.md, "Session 16").
    encoder_norm
        How every task encoder ends: ``"set"`` (default, :class:`SetNorm`: centred over the sample's points
        and scaled to unit mean square), ``"layer"`` (a LayerNorm per point; ``True``) or ``"none"``
        (``False``, the behaviour before this option).
    color_init_std
        Standard deviation of the initial vertex-colour embeddings (default
        0.05, :data:`DEFAULT_INIT`; it was 1.0, at which the colours outweigh an encoded input
        about 15 to 1 at initialisation). With ``point_color_init="centered"`` it scales only the
        colours of auxiliary vertices.
    point_color_init
        ``"centered"`` (default): the colours that occur on the points start as ``N(0, 1)`` rows
        ``E_c`` centred over the points, ``E_c - (1/n) sum_i E_{c(i)}`` (a transitive group's one point
        colour starts at 0; orbits of an intransitive group start told apart at the data's scale);
        ``"scaled"``: every colour starts as ``N(0, color_init_std^2)`` (the behaviour before this option).

        The defaults (orbital term, set-normalised data, small auxiliary colours) are what lets the
        default model learn tasks beyond the 2-closure such as cube chirality from an exact input: with all
        three, seed 0 reaches 1.0 in 100 steps; with any one of them reverted it stays at chance for 300
        (docs/results.md, "Default models beyond the 2-closure"); centred point colours keep the point
        orbits of image and sequence groups readable. :data:`LEGACY_INIT` rebuilds the earlier defaults.
    colour_init_std
        Deprecated alias of ``color_init_std`` (DeprecationWarning; removed in the next release).
    symmetries
        Optional ``{name: symmetry}`` to add at once (see :meth:`add_symmetry`).
    seed
        Seeds the initial weights (``None``: torch's global generator).
    """

    def __init__(
        self,
        in_dim: int | None = None,
        out_dim: int | None = None,
        *,
        head: str = "point",
        pool: str = "mean",
        base: str = "gatv2",
        width: int = 128,
        num_layers: int = 4,
        heads: int = 8,
        use_pair_colors: bool = True,
        pair_dim: int | None = None,
        dropout: float = 0.0,
        ffn_mult: int = 2,
        max_vertices: int | None = None,
        orbital_rank: int | None = DEFAULT_ORBITAL_RANK,
        block_norm: str | bool | None = DEFAULT_INIT["block_norm"],
        orbital_aggregate: str = DEFAULT_INIT["orbital_aggregate"],
        encoder_norm: str | bool = DEFAULT_INIT["encoder_norm"],
        color_init_std: float | None = None,
        point_color_init: str = DEFAULT_INIT["point_color_init"],
        symmetries: Mapping[str, Any] | None = None,
        seed: int | None = None,
        colour_init_std: float | None = None,
    ):
        super().__init__()
        color_init_std = _renamed("colour_init_std", colour_init_std, "color_init_std", color_init_std)
        if color_init_std is None:
            color_init_std = DEFAULT_COLOR_INIT_STD
        encoder_norm = norm_name(encoder_norm, ENCODER_NORMS, option="encoder_norm")
        if block_norm is None:
            block_norm = "set" if base == "gatv2" else "layer"
        block_norm = norm_name(block_norm)
        if base != "gatv2" or not use_pair_colors:
            orbital_rank = None  # the term lives in the gatv2 layer and reads pair colours
        if base not in BODIES:
            raise ValueError(f"base must be one of {BODIES}, got {base!r}")
        if orbital_aggregate not in ORBITAL_AGGREGATES:
            raise ValueError(f"orbital_aggregate must be one of {ORBITAL_AGGREGATES}, got {orbital_aggregate!r}")
        if base in ("orbital_mlp", "orbital_sum") and not use_pair_colors:
            raise ValueError(f"base={base!r} needs pair colours; use_pair_colors must be True")
        if not isinstance(color_init_std, (int, float)) or isinstance(color_init_std, bool) or color_init_std < 0:
            raise ValueError(f"color_init_std must be a non-negative number, got {color_init_std!r}")
        if point_color_init not in POINT_COLOR_INITS:
            raise ValueError(f"point_color_init must be one of {POINT_COLOR_INITS}, got {point_color_init!r}")
        for arg, v in (("width", width), ("num_layers", num_layers)):
            if isinstance(v, bool) or not isinstance(v, int) or v < 1:
                raise ValueError(f"{arg} must be a positive int, got {v!r}")
        if isinstance(dropout, bool) or not isinstance(dropout, (int, float)) or not 0 <= dropout < 1:
            raise ValueError(f"dropout must be a number in [0, 1), got {dropout!r}")
        self.config = {
            "base": base,
            "width": width,
            "num_layers": num_layers,
            "heads": heads,
            "use_pair_colors": use_pair_colors,
            "pair_dim": pair_dim,
            "dropout": dropout,
            "ffn_mult": ffn_mult,
            "max_vertices": max_vertices,
            "orbital_rank": orbital_rank,
            "block_norm": block_norm,
            "orbital_aggregate": orbital_aggregate,
            "encoder_norm": encoder_norm,
            "color_init_std": float(color_init_std),
            "point_color_init": point_color_init,
        }
        self.width = width
        self.pair_dim = (pair_dim or width) if use_pair_colors else None
        with torch_seed(seed):
            self.body = build_body(
                base,
                width,
                num_layers=num_layers,
                heads=heads,
                pair_dim=self.pair_dim,
                dropout=dropout,
                ffn_mult=ffn_mult,
                max_vertices=max_vertices,
                orbital_rank=orbital_rank,
                block_norm=block_norm,
                orbital_aggregate=orbital_aggregate,
            )
        self.symmetries = nn.ModuleDict()
        self.tasks = nn.ModuleDict()
        if (in_dim is None) != (out_dim is None):
            raise ValueError("give both in_dim and out_dim (a default task) or neither")
        if in_dim is not None:
            self.add_task(
                "default", in_dim, out_dim, head=head, pool=pool, seed=None if seed is None else seed + 1
            )
        for k, (name, sym) in enumerate((symmetries or {}).items()):
            self.add_symmetry(name, sym, seed=None if seed is None else seed + 2 + k)

    # ------------------------------------------------------------------ building
    def _like_body(self) -> dict[str, Any]:
        p = next(self.body.parameters())
        return {"device": p.device, "dtype": p.dtype}

    def add_task(
        self,
        name: str,
        in_dim: int,
        out_dim: int,
        *,
        head: str = "point",
        pool: str = "mean",
        seed: int | None = None,
    ) -> None:
        """Add an input encoder and output head for task ``name``; the body is shared by all tasks."""
        _check_name("task", name)
        self.tasks[name] = self._new_task(in_dim, out_dim, head=head, pool=pool, seed=seed)

    def _new_task(self, in_dim: int, out_dim: int, *, head: str, pool: str, seed: int | None = None) -> _Task:
        """A task module for this model (on the body's device and dtype), not yet registered."""
        if head not in HEADS:
            raise ValueError(f"head must be one of {HEADS}, got {head!r}")
        for arg, v in (("in_dim", in_dim), ("out_dim", out_dim)):
            if isinstance(v, bool) or not isinstance(v, int) or v < 1:
                raise ValueError(f"{arg} must be a positive int, got {v!r}")
        with torch_seed(seed):
            task = _Task(in_dim, out_dim, head, pool, self.width, self.pair_dim, norm=self.config["encoder_norm"])
        return task.to(**self._like_body())

    def add_symmetry(
        self, name: str, symmetry: Any, *, path: str = "auto", mode: str = "auto", seed: int | None = None
    ) -> None:
        """Register symmetry ``name``: its colours as buffers and fresh colour embeddings; the body is kept.

        Parameters
        ----------
        name
            Key used in :meth:`forward`; replaces an existing symmetry of that name.
        symmetry
            A :class:`~asen.breaking.SymmetryInput` (or an object with its fields), a
            :class:`~asen.groups.PermGroup`, or anything :func:`asen.groups.as_group` reads (a spec such
            as ``"dihedral(8)"``, ``"gap:(1,2,3),(1,2)"``, ``"@g.json"``); groups are turned into inputs by ``asen.breaking.symmetry_breaking_input(group, mode=mode)``.
        path
            ``"dense"``, ``"sparse"`` or ``"auto"`` (sparse for ``mode='sparse'`` inputs).
        mode
            Breaking mode used when ``symmetry`` is a group or a spec: ``"auto"`` (default,
            :func:`asen.breaking.default_mode`: the sparse frames of a non-2-closed group of 65 to 720
            elements, run as message passing; ``"exact"`` otherwise), ``"exact"``, ``"sparse"`` or ``"closure"``.
        seed
            Seeds the new embeddings.

        Adding a symmetry to a trained model (transfer) keeps every trained weight; only the new
        symmetry's embeddings start from scratch.

        Groups and specs go through ``symmetry_breaking_input(G, mode=mode)``: with the default mode the
        sparse frames between 65 and 720 elements, else the visible default of the exact search (the
        frames up to 64 elements, the smallest exact input a colour-refinement model can use beyond,
        :mod:`asen.breaking.visibility`). A sparse symmetry shares mixed batches with dense ones (the batch
        runs on the sparse path); only a ``"pair"`` head needs dense symmetries. For a certified exact input a
        :class:`~asen.breaking.visibility.VisibilityWarning` says when the body cannot use its breaking:
        some probe of ``G^(2) \\ G`` is never told apart by colour refinement (the model stays invariant
        under it), or telling the points apart takes more rounds than the body has layers
        (``num_layers``; every base but ``"mlp"`` is one refinement round per layer). Visibility is a
        necessary condition only: a body within the rounds may still have to learn to use the breaking.
        """
        _check_name("symmetry", name)
        if not hasattr(symmetry, "vertex_colors"):  # a group, spec, group file, ...: not yet an input
            try:
                symmetry = as_group(symmetry)
            except TypeError as exc:
                raise TypeError(
                    "symmetry must be a SymmetryInput (an object with vertex_colors, pair_colors and "
                    f"num_points) or a group: {exc}"
                ) from None
        if isinstance(symmetry, PermGroup):
            from ..breaking import symmetry_breaking_input  # lazy: breaking search runs only when asked

            symmetry = symmetry_breaking_input(symmetry, mode=mode, visible=True)
        cert = getattr(symmetry, "certificate", None)
        if getattr(cert, "exact", False) and hasattr(symmetry, "group") and self.config["base"] != "mlp":
            from ..breaking.visibility import VisibilityWarning, visibility

            if getattr(cert, "visibility", None) is None:
                cert.visibility = visibility(symmetry)  # e.g. an input loaded from a version 1 file
            vis, layers = cert.visibility, self.config["num_layers"]
            if not vis.visible:
                warnings.warn(f"symmetry {name!r}: {vis.describe(exact=True)}", VisibilityWarning, stacklevel=2)
            elif vis.worst_point > layers:
                warnings.warn(
                    f"symmetry {name!r}: colour refinement tells the points apart from their images under "
                    f"G^(2) \\ G only after {vis.worst_point} rounds, and the body has {layers} layers; "
                    f"use num_layers >= {vis.worst_point} for the model to be able to use the breaking",
                    VisibilityWarning, stacklevel=2,
                )  # fmt: skip
        with torch_seed(seed):
            stored = StoredSymmetry.from_input(
                symmetry, width=self.width, pair_dim=self.pair_dim, path=path,
                color_init_std=self.config["color_init_std"], point_color_init=self.config["point_color_init"],
            )
        if self.config["base"] == "mlp":
            max_vertices = self.config["max_vertices"]
            if stored.path == "sparse":
                raise ValueError(f"symmetry {name!r}: the mlp base has no sparse path; use path='dense'")
            if stored.num_vertices > max_vertices:
                raise ValueError(
                    f"symmetry {name!r} has {stored.num_vertices} vertices; the mlp base was built for "
                    f"max_vertices={max_vertices}"
                )
        like = self._like_body()
        self.symmetries[name] = stored.to(like["device"]).to(like["dtype"])

    # ------------------------------------------------------------------ access
    @property
    def symmetry_names(self) -> list[str]:
        return list(self.symmetries.keys())

    @property
    def task_names(self) -> list[str]:
        return list(self.tasks.keys())

    def group(self, name: str) -> PermGroup:
        """The group ``G`` of symmetry ``name``, rebuilt from its stored generators."""
        s = self._symmetry(name)
        return PermGroup(s.generators.cpu().numpy(), degree=s.n, name=s.meta.get("group") or None)

    def bind(self, symmetry: str, task: str | None = None) -> SymmetryView:
        """The module ``x -> self(x, symmetry, task=task)`` (shared parameters), declaring its in/out axes
        and ``in_features`` for :mod:`asen.verify`: ``check_equivariance(model.bind("a5"), "alternating(5)")``."""
        return SymmetryView(self, symmetry, task)

    def num_points(self, name: str) -> int:
        """``n``, the number of data points of symmetry ``name``."""
        return self._symmetry(name).n

    def _symmetry(self, name: str) -> StoredSymmetry:
        if name not in self.symmetries:
            raise KeyError(f"unknown symmetry {name!r}; this model has {self.symmetry_names}")
        return self.symmetries[name]

    def _task(self, task: str | None) -> _Task:
        if task is None:
            if "default" in self.tasks:
                return self.tasks["default"]
            if len(self.tasks) != 1:
                raise ValueError(
                    f"this model has tasks {self.task_names} and none named 'default'; pass task="
                )
            return next(iter(self.tasks.values()))
        if task not in self.tasks:
            raise KeyError(f"unknown task {task!r}; this model has {self.task_names}")
        return self.tasks[task]

    def symmetry_batch(self, symmetry: str | Sequence[str], batch_size: int) -> SymmetryBatch:
        """Colour tensors and masks for a batch: one name for all samples, or one name per sample."""
        if isinstance(symmetry, str):
            return assemble([self._symmetry(symmetry)], None, batch_size)
        if not isinstance(symmetry, Iterable):
            raise TypeError(f"symmetry must be a name or a list of names, got {type(symmetry).__name__}")
        names = list(symmetry)
        if not names:
            raise ValueError("symmetry is an empty list: give one name per sample, or one name for the batch")
        if len(names) != batch_size:
            raise ValueError(f"symmetry lists {len(names)} names for a batch of {batch_size} samples")
        distinct = list(dict.fromkeys(names))
        if len(distinct) == 1:
            return assemble([self._symmetry(distinct[0])], None, batch_size)
        pos = {k: i for i, k in enumerate(distinct)}
        return assemble([self._symmetry(k) for k in distinct], [pos[k] for k in names], batch_size)

    # ------------------------------------------------------------------ forward
    def forward(self, x: Tensor, symmetry: str | Sequence[str], *, task: str | None = None) -> Tensor:
        """Run task ``task`` on data ``x`` under ``symmetry``.

        Parameters
        ----------
        x
            ``(B, n, in_dim)`` data on the points, a tensor of the model's dtype; for a mixed batch ``n`` is
            the largest point count and sample ``b`` uses rows ``0..n_b-1`` (the rest is ignored, NaN too).
        symmetry
            One symmetry name, or a list of ``B`` names (a mixed-symmetry batch, padded internally).
        task
            Task name; None means ``"default"`` if there is one, else the only task.

        Returns
        -------
        Tensor
            ``(B, n, out)`` for point heads, ``(B, out)`` for pooled heads, ``(B, n, n, out)`` for pair
            heads; rows of padded points are zero.
        """
        t = self._task(task)
        self._check_x(x, t)
        B = x.shape[0]
        sb = self.symmetry_batch(symmetry, B)
        n, N = sb.num_points, sb.num_vertices
        self._check_x(x, t, n)
        if sb.vertex_mask is not None:  # a mixed batch: padding rows are ignored, whatever they hold (NaN)
            x = torch.where(sb.point_mask[:, :n].unsqueeze(-1), x, 0.0)
        h = F.pad(t.encode(x, sb.point_mask[:, :n]), (0, 0, 0, N - n))
        h = torch.where(sb.point_mask.unsqueeze(-1), h, 0.0) + lookup(sb.vertex_table, sb.vertex_colors)
        if sb.vertex_mask is not None:
            h = torch.where(sb.vertex_mask.unsqueeze(-1), h, 0.0)
        if sb.path == "dense":
            h = self.body(h, sb.pair_table, sb.pair_colors, sb.vertex_mask, point_mask=sb.point_mask)
            pair_colors = sb.pair_colors[..., :n, :n]
        else:
            h = self.body.forward_sparse(
                h.reshape(B * N, -1), sb.pair_table, sb.edge_index, sb.edge_colors, point_mask=sb.point_mask
            )
            h = h.view(B, N, -1)
            pair_colors = sb.point_pairs() if t.spec["head"] == "pair" else None
        return t.head(h[:, :n], sb.point_mask[:, :n], sb.pair_table, pair_colors)

    def forward_grouped(self, inputs: Mapping[str, Tensor], *, task: str | None = None) -> dict[str, Tensor]:
        """One padded forward for ``{symmetry name: (B_s, n_s, in_dim) data}``; returns outputs per name.
        Each ``n_s`` must be the symmetry's point count (ValueError naming it otherwise)."""
        if not isinstance(inputs, Mapping):
            raise TypeError(f"inputs must be a mapping {{symmetry name: data}}, got {type(inputs).__name__}")
        if not inputs:
            return {}
        t = self._task(task)
        for k, x in inputs.items():
            self._check_x(x, t, self._symmetry(k).n, name=f"inputs[{k!r}]", symmetry=k)
        n = max(self._symmetry(k).n for k in inputs)
        names: list[str] = []
        xs = []
        for k, x in inputs.items():
            names += [k] * x.shape[0]
            xs.append(F.pad(x, (0, 0, 0, n - x.shape[1])))
        out = self.forward(torch.cat(xs), names, task=task)
        head = t.spec["head"]
        result = {}
        for (k, x), piece in zip(inputs.items(), out.split([x.shape[0] for x in inputs.values()])):
            m = self._symmetry(k).n
            result[k] = piece if head == "pooled" else (piece[:, :m] if head == "point" else piece[:, :m, :m])
        return result

    def _check_x(
        self, x: Any, t: _Task, n: int | None = None, *, name: str = "x", symmetry: str | None = None
    ) -> None:
        """Refuse data that is not a ``(B, n, in_dim)`` tensor of the task's dtype (``n=None``: any ``n``)."""
        if not isinstance(x, Tensor):
            raise TypeError(f"{name} must be a torch.Tensor, got {type(x).__name__}")
        in_dim, dtype = t.spec["in_dim"], t.encoder[0].weight.dtype
        if x.dim() != 3:
            raise ValueError(f"{name} must have shape (batch, points, in_dim), got {tuple(x.shape)}")
        if x.dtype != dtype and not (x.is_floating_point() and torch.is_autocast_enabled(x.device.type)):
            raise TypeError(f"{name} has dtype {x.dtype}, the model {dtype}; convert it with x.to({dtype})")
        if n is not None and (x.shape[1] != n or x.shape[2] != in_dim):
            where = "this symmetry and task" if symmetry is None else f"symmetry {symmetry!r} ({n} points)"
            raise ValueError(
                f"{name} must have shape ({x.shape[0]}, {n}, {in_dim}) for {where}, got {tuple(x.shape)}"
            )

    # ------------------------------------------------------------------ state
    def get_extra_state(self) -> dict[str, Any]:
        return {
            "config": dict(self.config),
            "tasks": {k: dict(t.spec) for k, t in self.tasks.items()},
            "symmetries": {k: dict(s.meta) for k, s in self.symmetries.items()},
        }

    def set_extra_state(self, state: dict[str, Any]) -> None:
        for k, meta in state.get("symmetries", {}).items():
            if k in self.symmetries:
                self.symmetries[k].meta = dict(meta)

    def load_state_dict(self, state_dict: Mapping[str, Any], strict: bool = True, assign: bool = False):
        """:meth:`torch.nn.Module.load_state_dict`; when it fails, the tasks and symmetries it added or
        replaced are undone (a checkpoint of another config, task spec or shape is refused before anything
        changes)."""
        tasks, symmetries = dict(self.tasks.items()), dict(self.symmetries.items())
        metas = {k: s.meta for k, s in symmetries.items()}
        try:
            return super().load_state_dict(state_dict, strict=strict, assign=assign)
        except BaseException:
            self.tasks.clear()
            self.tasks.update(tasks)
            self.symmetries.clear()
            self.symmetries.update(symmetries)
            for k, s in symmetries.items():
                s.meta = metas[k]
            raise

    def _check_saved_model(self, extra: Mapping[str, Any]) -> None:
        """Refuse a checkpoint whose config or same-named task specs compute differently from this model."""
        hint = "; ASEN.from_state_dict(state_dict) rebuilds the saved model"
        if isinstance(extra.get("config"), Mapping):
            saved = _computation(_current_config(extra["config"], warn=False))
            diff = _differences(saved, _computation(self.config))
            if diff:
                raise ValueError(f"the checkpoint was saved from a model of another config ({diff}){hint}")
        for name, spec in extra.get("tasks", {}).items():
            if name in self.tasks:
                diff = _differences(_task_computation(spec), _task_computation(self.tasks[name].spec))
                if diff:
                    raise ValueError(f"the checkpoint's task {name!r} is not the model's ({diff}){hint}")

    def _load_from_state_dict(
        self, state_dict, prefix, local_metadata, strict, missing_keys, unexpected_keys, error_msgs
    ):
        # create the tasks and symmetries the state holds, before the children load their entries; the config,
        # task specs and every shape are checked first, so a checkpoint that does not fit changes nothing here
        extra = state_dict.get(prefix + "_extra_state") or {}
        self._check_saved_model(extra)
        tasks = {
            name: self._new_task(spec["in_dim"], spec["out_dim"], head=spec["head"], pool=spec["pool"])
            for name, spec in extra.get("tasks", {}).items()
            if name not in self.tasks
        }
        head = prefix + _SYM_PREFIX
        names = dict.fromkeys(k[len(head) :].split(".")[0] for k in state_dict if k.startswith(head))
        symmetries = {}
        for name in names:
            sp = f"{head}{name}."
            if sp + "vertex_colors" not in state_dict:
                continue
            fresh = StoredSymmetry.from_state(state_dict, sp, width=self.width, pair_dim=self.pair_dim)
            old = self.symmetries[name] if name in self.symmetries else None  # noqa: SIM401 (ModuleDict has no get)
            same = (
                old is not None
                and old.path == fresh.path
                and all(
                    a.shape == b.shape for a, b in zip(old.state_dict().values(), fresh.state_dict().values())
                )
            )
            if not same:
                like = self._like_body()
                symmetries[name] = fresh.to(like["device"]).to(like["dtype"])
        self._check_shapes(state_dict, prefix, tasks, symmetries)
        for name, task in tasks.items():
            self.tasks[name] = task
        for name, sym in symmetries.items():
            self.symmetries[name] = sym
        super()._load_from_state_dict(
            state_dict, prefix, local_metadata, strict, missing_keys, unexpected_keys, error_msgs
        )

    def _check_shapes(
        self, state_dict: Mapping[str, Any], prefix: str, tasks: Mapping[str, _Task],
        symmetries: Mapping[str, StoredSymmetry],
    ) -> None:
        """Raise torch's size-mismatch RuntimeError before anything is copied (torch copies what matches)."""
        replaced = tuple(f"{prefix}{_SYM_PREFIX}{name}." for name in symmetries)
        want = {k: v for k, v in _shapes(self, prefix).items() if not k.startswith(replaced)}
        for kind, new in ((_TASK_PREFIX, tasks), (_SYM_PREFIX, symmetries)):
            for name, module in new.items():
                want.update(_shapes(module, f"{prefix}{kind}{name}."))
        bad = [
            f"size mismatch for {k}: copying a param with shape {v.shape} from checkpoint, "
            f"the shape in current model is {want[k]}."
            for k, v in state_dict.items()
            if k in want and isinstance(v, Tensor) and v.shape != want[k]
            and not (want[k] == () and v.shape == (1,))  # torch reads a (1,) entry into a 0-dim tensor
        ]  # fmt: skip
        if bad:
            lines = "".join(f"\n\t{line}" for line in bad)
            raise RuntimeError(f"Error(s) in loading state_dict for {type(self).__name__}:{lines}")

    @classmethod
    def from_state_dict(cls, state_dict: Mapping[str, Any], *, strict: bool = True) -> ASEN:
        """Rebuild a model (hyperparameters, tasks, symmetries, weights, dtype) from :meth:`state_dict`."""
        extra = state_dict.get("_extra_state")
        if not isinstance(extra, dict) or "config" not in extra:
            raise ValueError("state_dict has no '_extra_state' config: it was not saved from an ASEN model")
        model = cls(**_current_config(extra["config"]))
        dtype = _floating_dtype(state_dict)
        if dtype is not None:
            model.to(dtype)
        model.load_state_dict(state_dict, strict=strict)
        return model

    def __repr__(self) -> str:
        c = self.config
        heads = "" if c["base"] in ("orbital_mlp", "orbital_sum", "mlp") else f", heads={c['heads']}"
        return (
            f"{type(self).__name__}(base={c['base']!r}, width={c['width']}, layers={c['num_layers']}{heads}, "
            f"pair_dim={self.pair_dim}, symmetries={self.symmetry_names}, tasks={self.task_names})"
        )
