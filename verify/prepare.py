"""Preparing a check: the group, the inputs (generated, given or drawn by hypothesis), the elements.

:func:`prepare_check` validates the arguments shared by :func:`~asen.verify.check_equivariance` and
:func:`~asen.verify.check_exact_symmetry` and builds a :class:`~asen.verify.measure.Harness` around the
function; :func:`sample_elements` picks the group elements to test; :func:`search_strategy` draws inputs
from a hypothesis strategy with ``hypothesis.find``, which also shrinks a failing one.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np

from ..groups import PermGroup, as_rng
from ..groups.spec import as_group
from .axes import TensorAction, as_action, as_actions
from .evaluate import Evaluator, is_torch_module, is_torch_tensor
from .inputs import generate_inputs
from .measure import Harness, Measurement

__all__ = ["DEFAULT_FEATURES", "Prepared", "prepare_check", "sample_elements", "search_strategy"]

Example = tuple[np.ndarray, ...]

DEFAULT_FEATURES = 4  # feature width of generated inputs when a module does not reveal its own


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
    batch_axis: int | None = 0,
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
) -> Prepared:
    """Validate the arguments of a check and build its harness and inputs (see :func:`check_equivariance`)."""
    if not callable(fn):
        raise TypeError(f"fn must be callable, got {type(fn).__name__}")
    G = as_group(group)
    n = G.degree
    if not isinstance(num_inputs, (int, np.integer)) or num_inputs < 1:
        raise ValueError(f"num_inputs must be a positive integer, got {num_inputs!r}")
    if batch_axis is not None and (not isinstance(batch_axis, (int, np.integer)) or batch_axis < 0):
        raise ValueError(f"batch_axis must be a non-negative int or None, got {batch_axis!r}")
    strategy = inputs if _is_strategy(inputs) else None
    given: list[Example] = []
    arg_dtypes: list[Any] = []
    if inputs is not None and strategy is None:
        raw_list = [inputs] if isinstance(inputs, np.ndarray) or is_torch_tensor(inputs) else list(inputs)
        if not raw_list:
            raise ValueError("inputs is empty: give at least one example, or None to generate them")
        for raw in raw_list:
            ex, dts = _normalise_example(raw)
            given.append(ex)
            arg_dtypes = arg_dtypes or dts
    if backend is None:
        torchy = is_torch_module(fn) or any(str(d).startswith("torch.") for d in arg_dtypes)
        backend = "torch" if torchy else "numpy"
    num_args = len(given[0]) if given else (len(_shapes_list(shapes)) if shapes is not None else 1)
    default_axis = 1 if batch_axis == 0 else 0
    in_spec = as_actions(default_axis if in_axes is None else in_axes, num_args, what="in_axes")
    out_spec = in_spec[0] if out_axes is None else out_axes
    out_actions: Any = (
        list(as_actions(out_spec, len(out_spec), what="out_axes"))
        if isinstance(out_spec, (list, tuple))
        else as_action(out_spec, what="out_axes")
    )
    if given:
        in_actions = [
            a.normalised(x.shape, n, name=f"argument {j}") for j, (a, x) in enumerate(zip(in_spec, given[0]))
        ]
        for i, ex in enumerate(given):
            if len(ex) != num_args:
                raise ValueError(f"example {i} has {len(ex)} argument(s), example 0 has {num_args}")
            for j, (a, x) in enumerate(zip(in_spec, ex)):
                a.normalised(x.shape, n, name=f"example {i}, argument {j}")
        examples, families = given, ["given"] * len(given)
    else:
        if shapes is None:
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
        in_actions = [
            a.normalised(s, n, name=f"argument {j}") for j, (a, s) in enumerate(zip(in_spec, shape_list))
        ]
        np_dtype = np.dtype(dtype) if dtype is not None else _default_dtype(fn, backend)
        if strategy is None:
            drawn = generate_inputs(
                shape_list, [np_dtype] * num_args, in_actions, n, num_inputs=int(num_inputs), seed=seed
            )
            examples, families = [d[0] for d in drawn], [d[1] for d in drawn]
        else:
            examples, families = [], []
        arg_dtypes = [np_dtype] * num_args
    if backend == "torch":
        arg_dtypes = [_torch_dtype(d) for d in arg_dtypes]
    evaluator = Evaluator(
        fn, backend=backend, arg_dtypes=arg_dtypes, batch_axis=batch_axis, float64=float64, train=train
    )
    harness = Harness(evaluator, n, in_actions, out_actions, rtol=rtol, atol=atol, confirm=confirm)
    out_text = [str(a) for a in out_actions] if isinstance(out_actions, list) else [str(out_actions)]
    return Prepared(
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
    )


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
