"""Preparing a check: the group, the inputs (generated, given or drawn by hypothesis), the elements.

:func:`prepare_check` validates the arguments shared by :func:`~asen.verify.check_equivariance` and
:func:`~asen.verify.check_exact_symmetry` and builds a :class:`~asen.verify.measure.Harness` around the
function; :func:`sample_elements` picks the group elements to test; :func:`search_strategy` draws inputs
from a hypothesis strategy with ``hypothesis.find``, which also shrinks a failing one.
"""

from __future__ import annotations

import math
import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from ..groups import PermGroup, as_rng
from ..groups.spec import as_group
from .axes import TensorAction, as_action, as_actions, check_indices
from .evaluate import Evaluator, is_torch_module, is_torch_tensor
from .graph_batch import GraphEvaluator, GraphLayout, data_roles, graph_respects, is_pyg_data, pyg_example
from .inputs import generate_inputs
from .measure import Harness, Measurement, _diff, _scale

__all__ = ["DEFAULT_FEATURES", "Prepared", "prepare_check", "sample_elements", "search_strategy"]

Example = tuple[np.ndarray, ...]

DEFAULT_FEATURES = 4  # feature width of generated inputs when a module does not reveal its own
UNION_NOTE = "fn(x) on a graph changes"  # start of the note when graph unions were given up


@dataclass
class Prepared:
    """Everything a check needs: the group, the harness, the examples and how they were described."""

    group: PermGroup
    harness: Harness
    examples: list[Example]
    families: list[str]
    strategy: Any
    in_axes: list[str]
    out_axes: list[str]
    seed: Any
    num_inputs: int
    train: bool | None = None
    layout: GraphLayout | None = None  # graph inputs: argument roles, batching, what shrinking may change
    names: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    batch_ratios: np.ndarray | None = None  # already measured (graph unions): finish_report reuses them


def _is_strategy(obj: Any) -> bool:
    try:
        from hypothesis.strategies import SearchStrategy
    except ImportError:  # pragma: no cover - hypothesis is a dependency
        return False
    return isinstance(obj, SearchStrategy)


def _to_numpy(a: Any) -> tuple[np.ndarray, Any]:
    """An argument as a numpy array plus its original dtype (torch dtype for tensors)."""
    if is_torch_tensor(a):
        import torch

        t = a.detach().cpu()
        if t.dtype in (torch.float16, torch.bfloat16):
            return t.float().numpy().copy(), a.dtype
        return t.numpy().copy(), a.dtype
    arr = np.array(a)
    return arr, arr.dtype


def _normalise_example(raw: Any) -> tuple[Example, list[Any]]:
    items = tuple(raw) if isinstance(raw, (tuple, list)) else (raw,)
    pairs = [_to_numpy(a) for a in items]
    return tuple(p[0] for p in pairs), [p[1] for p in pairs]


def _guess_features(fn: Any) -> int:
    if is_torch_module(fn):
        for m in fn.modules():
            for attr in ("in_features", "in_channels"):
                value = getattr(m, attr, None)
                if isinstance(value, int) and value > 0:
                    return value
    return DEFAULT_FEATURES


def _shapes_list(shapes: Any) -> list[tuple[int, ...]]:
    if isinstance(shapes, (tuple, list)) and shapes and all(isinstance(s, (int, np.integer)) for s in shapes):
        return [tuple(int(s) for s in shapes)]
    if isinstance(shapes, (tuple, list)) and shapes and all(isinstance(s, (tuple, list)) for s in shapes):
        return [tuple(int(v) for v in s) for s in shapes]
    raise TypeError(
        f"shapes must be a tuple of ints or a list of such tuples (one per argument), got {shapes!r}"
    )


def prepare_check(
    fn: Callable[..., Any],
    group: PermGroup | str,
    inputs: Any = None,
    *,
    in_axes: Any = None,
    out_axes: Any = None,
    batch_axis: int | str | None = "auto",
    shapes: Any = None,
    dtype: Any = None,
    num_inputs: int = 8,
    float64: bool = False,
    train: bool | None = None,
    rtol: float | None = None,
    atol: float | None = None,
    confirm: bool = True,
    backend: str | None = None,
    seed: int | np.random.Generator | None = 0,
    arg_names: Sequence[str] | None = None,
) -> Prepared:
    """Validate the arguments of a check and build its harness and inputs (see :func:`check_equivariance`).

    ``arg_names`` names the arguments in reports and graph layouts (default ``x``, ``edge_index``, ...).
    """
    if not callable(fn):
        raise TypeError(f"fn must be callable, got {type(fn).__name__}")
    in_axes = getattr(fn, "in_axes", None) if in_axes is None else in_axes  # a callable's declared axes
    out_axes = getattr(fn, "out_axes", None) if out_axes is None else out_axes
    G = as_group(group)
    n = G.degree
    if n == 0:
        raise ValueError(f"{G.name or G!r} acts on no points: a group on no points has nothing to check")
    if not isinstance(num_inputs, (int, np.integer)) or num_inputs < 1:
        raise ValueError(f"num_inputs must be a positive integer, got {num_inputs!r}")
    if batch_axis not in ("auto", "graph", None) and (
        not isinstance(batch_axis, (int, np.integer)) or isinstance(batch_axis, bool) or batch_axis < 0
    ):
        raise ValueError(
            f"batch_axis must be a non-negative int, 'auto', 'graph' or None, got {batch_axis!r}"
        )
    strategy = inputs if _is_strategy(inputs) else None
    given: list[Example] = []
    arg_dtypes: list[Any] = []
    pyg: dict[str, Any] | None = None  # keys, roles, extras, class of PyG Data examples
    if inputs is not None and strategy is None:
        single = isinstance(inputs, np.ndarray) or is_torch_tensor(inputs) or is_pyg_data(inputs)
        raw_list = [inputs] if single else list(inputs)
        if not raw_list:
            raise ValueError("inputs is empty: give at least one example, or None to generate them")
        for i, raw in enumerate(raw_list):
            if is_pyg_data(raw):
                ex, dts, keys, extras = pyg_example(raw, None if pyg is None else pyg["keys"])
                if pyg is None:
                    if given:
                        raise ValueError("inputs mix PyG Data objects with tensors: give one kind")
                    pyg = _pyg_info(raw, keys, extras)
            elif pyg is not None:
                raise ValueError(f"example {i} is not a PyG Data object, example 0 is")
            else:
                ex, dts = _normalise_example(raw)
            given.append(ex)
            arg_dtypes = arg_dtypes or dts
    if backend is None:
        torchy = is_torch_module(fn) or any(str(d).startswith("torch.") for d in arg_dtypes)
        backend = "torch" if torchy else "numpy"
    if given:
        num_args = len(given[0])
    elif shapes is not None:
        num_args = len(_shapes_list(shapes))
    else:
        num_args = len(in_axes) if strategy is not None and isinstance(in_axes, (list, tuple)) else 1
    default_axis = 1 if batch_axis in (0, "auto") else 0
    if pyg is not None:
        in_spec = _data_actions(pyg, in_axes)
        out_spec: Any = TensorAction.points(0) if out_axes is None else out_axes
    else:
        in_spec = as_actions(default_axis if in_axes is None else in_axes, num_args, what="in_axes")
        out_spec = in_spec[0] if out_axes is None else out_axes
    is_graph = (
        pyg is not None
        or any(a.index for a in in_spec)
        or _fixed_graph_args(in_spec, given, arg_names, batch_axis)
    )
    if is_graph:
        if batch_axis not in ("auto", "graph", None):
            raise ValueError(
                f"graph inputs (an 'index' argument or PyG Data) are batched as disjoint unions of graphs: "
                f"pass batch_axis='auto' (default), 'graph' or None, not {batch_axis!r}"
            )
    elif batch_axis == "graph":
        raise ValueError(
            "batch_axis='graph' needs graph inputs: an 'index' argument (edge_index) or PyG Data"
        )
    elif batch_axis == "auto":
        batch_axis = 0
    out_actions: Any = (
        list(as_actions(out_spec, len(out_spec), what="out_axes"))
        if isinstance(out_spec, (list, tuple))
        else as_action(out_spec, what="out_axes")
    )
    names = _arg_names(pyg, arg_names, in_spec, num_args, given[0] if given else None)
    if given:
        for i, ex in enumerate(given):
            if len(ex) != num_args:
                raise ValueError(f"example {i} has {len(ex)} argument(s), example 0 has {num_args}")
            for j, (a, x) in enumerate(zip(in_spec, ex)):
                where = (
                    f"example {i}, argument {j} ({names[j]})" if is_graph else f"example {i}, argument {j}"
                )
                a.normalised(x.shape, n, name=where)
                if a.index:
                    check_indices(x, n, name=where)
        in_actions = [
            a.normalised(x.shape, n, name=f"argument {j}") for j, (a, x) in enumerate(zip(in_spec, given[0]))
        ]
        examples, families = given, ["given"] * len(given)
    else:
        if is_graph and strategy is not None and shapes is None:
            in_actions = list(in_spec)  # graphs drawn by a strategy have no fixed shape
            if any(ax < 0 for a in in_actions for s_ in a.slots for ax in s_):
                raise ValueError("with a graph strategy and no shapes=, give in_axes with non-negative axes")
            shape_list = None
        elif shapes is None:
            if is_graph:
                raise ValueError(
                    "graph inputs need examples: pass inputs= (tuples such as (x, edge_index), or PyG Data), "
                    "shapes= (e.g. [(n, F), (2, E)]), or use check_graph_equivariance, which draws graphs"
                )
            if in_spec[0] != TensorAction.points(default_axis):
                raise ValueError(
                    f"in_axes={in_spec[0]!s} is not the default layout (batch, n, features) with the points on "
                    f"axis {default_axis}: pass shapes= to generate inputs, e.g. shapes=(1, H, W, C) for images"
                )
            feats = _guess_features(fn)
            shape_list = [((1, n, feats) if batch_axis == 0 else (n, feats))] * num_args
        else:
            shape_list = _shapes_list(shapes)
            if len(shape_list) != num_args:
                raise ValueError(f"shapes lists {len(shape_list)} argument(s), in_axes {num_args}")
        if shape_list is not None:
            in_actions = [
                a.normalised(s, n, name=f"argument {j}") for j, (a, s) in enumerate(zip(in_spec, shape_list))
            ]
        np_dtype = np.dtype(dtype) if dtype is not None else _default_dtype(fn, backend)
        arg_np = [np.dtype(np.int64) if a.index else np_dtype for a in in_actions]
        if strategy is None:
            drawn = generate_inputs(shape_list, arg_np, in_actions, n, num_inputs=int(num_inputs), seed=seed)
            examples, families = [d[0] for d in drawn], [d[1] for d in drawn]
        else:
            examples, families = [], []
        arg_dtypes = arg_np
    if backend == "torch":
        arg_dtypes = [_torch_dtype(d) for d in arg_dtypes]
    layout = None
    if is_graph:
        layout = _graph_layout(G, names, in_actions, pyg, examples, batch_axis)
        if pyg is not None and in_axes is None and layout.fixed:
            # the group maps each graph onto itself: keep the graph as it is, only the node data moves
            in_actions = [TensorAction.invariant() if a.index else a for a in in_actions]
        evaluator: Evaluator = GraphEvaluator(
            fn, layout=layout, out_spec=out_actions, degree=n, backend=backend, arg_dtypes=arg_dtypes,
            float64=float64, train=train,
        )  # fmt: skip
    else:
        evaluator = Evaluator(
            fn, backend=backend, arg_dtypes=arg_dtypes, batch_axis=batch_axis, float64=float64, train=train
        )
    harness = Harness(evaluator, n, in_actions, out_actions, rtol=rtol, atol=atol, confirm=confirm)
    out_text = [str(a) for a in out_actions] if isinstance(out_actions, list) else [str(out_actions)]
    prep = Prepared(
        G,
        harness,
        examples,
        families,
        strategy,
        [str(a) for a in in_actions],
        out_text,
        seed,
        int(num_inputs),
        train,
        layout=layout,
        names=list(names),
    )
    if layout is not None and layout.batching == "auto" and examples:
        _probe_unions(prep)
    return prep


def _fixed_graph_args(
    in_spec: Sequence[TensorAction], given: list[Example], arg_names: Any, batch_axis: Any
) -> bool:
    """A graph the group leaves alone: ``in_axes=[0, "none"]`` on ``(x, edge_index)`` (an integer ``(2, E)``
    argument, or one named ``edge_index``, next to node-level data on axis 0)."""
    if batch_axis not in ("auto", "graph", None) or not any(a.slots == ((0,),) for a in in_spec):
        return False
    if arg_names is not None and any(str(nm) == "edge_index" for nm in arg_names):
        return True
    return bool(given) and any(_edge_like(a, x) for a, x in zip(in_spec, given[0]))


def _edge_like(a: TensorAction, x: np.ndarray) -> bool:
    return a.index or (a.is_invariant and x.ndim == 2 and x.shape[0] == 2 and x.dtype.kind in "iu")


def _pyg_info(raw: Any, keys: list[str], extras: dict) -> dict[str, Any]:
    from torch_geometric.data import Batch

    kind = "batch" if isinstance(raw, Batch) else "data"
    return {
        "keys": keys,
        "roles": data_roles(raw, keys),
        "extras": extras,
        "cls": None if kind == "batch" else type(raw),
        "kind": kind,
    }


def _data_actions(pyg: dict[str, Any], in_axes: Any) -> tuple[TensorAction, ...]:
    """Actions of the attributes of PyG examples: from their roles, or ``in_axes={key: spec}``."""
    keys, roles = pyg["keys"], pyg["roles"]
    if in_axes is not None and not isinstance(in_axes, dict):
        raise TypeError(
            f"with PyG Data inputs, in_axes is a dict {{attribute: spec}} (attributes {keys}), got {in_axes!r}"
        )
    over = dict(in_axes or {})
    unknown = sorted(set(over) - set(keys))
    if unknown:
        raise ValueError(f"in_axes names {unknown}, which the Data examples lack (they have {keys})")
    out = []
    for k, r in zip(keys, roles):
        if k in over:
            out.append(as_action(over[k], what=f"in_axes[{k!r}]"))
        else:
            out.append(
                TensorAction.indices()
                if r == "index"
                else TensorAction.points(0)
                if r == "node"
                else TensorAction()
            )
    return tuple(out)


def _arg_names(
    pyg: Any, arg_names: Any, in_spec: Sequence[TensorAction], count: int, first: Example | None
) -> list[str]:
    if pyg is not None:
        return list(pyg["keys"])
    if arg_names is not None:
        if len(arg_names) != count:
            raise ValueError(f"arg_names lists {len(arg_names)} names for {count} argument(s)")
        return [str(a) for a in arg_names]
    names, seen = [], set()
    for j, a in enumerate(in_spec):
        edge = a.index or (first is not None and _edge_like(a, first[j]))
        name = "edge_index" if edge else "x" if a.slots == ((0,),) else f"x[{j}]"
        names.append(name if name not in seen else f"x[{j}]")
        seen.add(name)
    return names if "edge_index" in names else [f"x[{j}]" for j in range(count)]


def _graph_layout(
    G: PermGroup,
    names: Sequence[str],
    actions: Sequence[TensorAction],
    pyg: Any,
    examples: list[Example],
    batch_axis: Any,
) -> GraphLayout:
    batching = {"auto": "auto", "graph": "graph", None: "none"}[batch_axis]
    if batching == "auto" and not examples:
        batching = "none"  # graphs drawn one at a time by a strategy: no examples to probe unions with
    layout = GraphLayout.of(
        names,
        actions,
        roles=None if pyg is None else pyg["roles"],
        pyg=None if pyg is None else pyg["kind"],
        batching=batching,
        data_cls=None if pyg is None else pyg["cls"],
        extras={} if pyg is None else pyg["extras"],
    )
    n = G.degree
    layout.symmetric = n <= 1 or G.order() == math.factorial(n)
    edge_actions = [a for a, r in zip(actions, layout.roles) if r == "index"]
    still = bool(edge_actions) and all(a.is_invariant for a in edge_actions)
    respected = bool(examples)
    for ex in examples:
        graph = layout.graph_of(ex)
        if graph is None or not graph_respects(G.generators, graph[0], graph[1]).all():
            respected = False
            break
    layout.fixed = still or respected
    return layout


def _probe_unions(prep: Prepared) -> None:
    """``batch_axis='auto'``: if ``fn(x)`` changes inside a disjoint union, evaluate one graph per call."""
    h = prep.harness
    ev = h.evaluator
    if not getattr(ev, "batching", False):
        return
    ratios = _union_ratios(h, prep.examples)
    if (ratios > 1).any():
        ev.stop_batching("fn(x) changes inside a disjoint union of graphs")
        h._twin, h._twin_error = None, None
        prep.notes.append(
            UNION_NOTE + " when other graphs share its call (pooling or node positions over a disjoint union "
            "of graphs?): each graph was evaluated alone; batch_axis='graph' makes this a failure"
        )
        prep.batch_ratios = np.zeros(len(prep.examples))
    elif getattr(ev, "batching", False):
        prep.batch_ratios = ratios


def _default_dtype(fn: Any, backend: str) -> np.dtype:
    if backend == "torch":
        if is_torch_module(fn):
            for t in list(fn.parameters()) + list(fn.buffers()):
                if t.is_floating_point():
                    return np.dtype(np.float64) if str(t.dtype) == "torch.float64" else np.dtype(np.float32)
        return np.dtype(np.float32)
    return np.dtype(np.float64)


def _torch_dtype(d: Any) -> Any:
    import torch

    if isinstance(d, torch.dtype):
        return d
    return torch.from_numpy(np.zeros(0, dtype=d)).dtype


def sample_elements(G: PermGroup, num_elements: int, *, seed: Any) -> np.ndarray:
    """Identity, generators and ``num_elements`` uniform random elements (all elements of small groups)."""
    n = G.degree
    if num_elements < 0:
        raise ValueError(f"num_elements must be >= 0, got {num_elements}")
    ident = np.arange(n, dtype=np.int64)[None, :]
    gens = G.generators.astype(np.int64)
    if G.order() <= 2 * (1 + len(gens) + num_elements):
        rest = G.elements()
    else:
        rest = np.concatenate([gens, G.random_elements(num_elements, seed=seed)])
    rows = np.concatenate([ident, gens, rest])
    _, first = np.unique(rows, axis=0, return_index=True)
    return rows[np.sort(first)]


def search_strategy(prep: Prepared, perms: np.ndarray) -> tuple[list[Example], Measurement, Example | None]:
    """Draw examples from the hypothesis strategy with ``hypothesis.find``, which also shrinks a failure."""
    from hypothesis import HealthCheck, Phase, find, settings
    from hypothesis.errors import NoSuchExample

    seen: list[tuple[Example, Measurement]] = []

    def breaks(raw: Any) -> bool:
        ex, _ = _normalise_example(raw)
        meas = prep.harness.measure([ex], perms)
        seen.append((ex, meas))
        return bool(meas.fails.any())

    conf = settings(
        max_examples=prep.num_inputs,
        database=None,
        deadline=None,
        phases=[Phase.generate, Phase.shrink],
        suppress_health_check=list(HealthCheck),
    )
    seed = prep.seed if isinstance(prep.seed, int) else int(as_rng(prep.seed).integers(2**31))
    try:
        found = find(prep.strategy, breaks, settings=conf, random=random.Random(seed))
        minimal = _normalise_example(found)[0]
    except NoSuchExample:
        minimal = None
    if not seen:
        raise ValueError("the inputs strategy produced no examples")
    examples = [s[0] for s in seen]
    meas = Measurement.concatenate([s[1] for s in seen])
    return examples, meas, minimal


def _union_ratios(h: Harness, examples: list[Example]) -> np.ndarray:
    """Per example: how far ``fn`` on it differs between two disjoint unions, all examples in order and each
    half in reverse order (3 calls instead of one per graph). A function of each graph alone gives ratios
    far below 1; one that pools the union, counts its nodes or reads node positions in it does not."""
    if len(examples) < 2:
        return np.zeros(len(examples))
    together = h.outputs(examples)
    half = len(examples) // 2
    order = list(range(half))[::-1] + list(range(half, len(examples)))[::-1]
    first = h.outputs([examples[i] for i in order[:half]])
    second = h.outputs([examples[i] for i in order[half:]])
    apart = dict(zip(order, first + second))
    tols = h.tolerances()
    ratio = np.zeros(len(examples))
    for i in range(len(examples)):
        for a, b, tol in zip(together[i], apart[i], tols):
            if a.shape != b.shape:
                ratio[i] = np.inf
                continue
            e = float(_diff(a, b).max(initial=0.0))
            ratio[i] = max(ratio[i], tol.ratio(err=e, scale=_scale(a, b)))
    return ratio
