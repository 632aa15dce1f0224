"""Calling the function under test: numpy or torch, batched, in eval mode, optionally in float64.

:class:`Evaluator` takes examples as tuples of numpy arrays (one per argument), stacks as many as fit
along the batch axis into one call, converts to torch tensors when the function wants them, and splits
the outputs back per example as numpy arrays. For a ``torch.nn.Module`` it switches every submodule to
eval mode (unless ``train=True``), runs under ``torch.no_grad()``, and restores each submodule's own
training flag afterwards. Its float64 twin (:meth:`Evaluator.float64`) casts a deep copy of the module,
never the module itself. torch is imported only when the function or the examples use it.
"""

from __future__ import annotations

import contextlib
import copy
import sys
from collections.abc import Callable, Iterator, Sequence
from typing import Any

import numpy as np

__all__ = ["Evaluator", "FunctionCallError", "function_name", "is_torch_module", "is_torch_tensor"]

Example = tuple[np.ndarray, ...]

DEFAULT_MAX_ENTRIES = 1 << 23  # input entries per batched call (32 MB of float32)

# precision order used to pick the working precision (lowest wins)
_PRECISION = {"bfloat16": 0, "float16": 1, "float32": 2, "float64": 3}


class FunctionCallError(ValueError):
    """The function under test raised; the message names the call's shapes and the original error."""


def is_torch_module(obj: Any) -> bool:
    """True for a ``torch.nn.Module`` (without importing torch when it is not loaded)."""
    torch = sys.modules.get("torch")
    return torch is not None and isinstance(obj, torch.nn.Module)


def is_torch_tensor(obj: Any) -> bool:
    """True for a ``torch.Tensor`` (without importing torch when it is not loaded)."""
    torch = sys.modules.get("torch")
    return torch is not None and isinstance(obj, torch.Tensor)


def function_name(fn: Any) -> str:
    """A readable name: the class of a module, the qualified name of a function."""
    if is_torch_module(fn):
        return type(fn).__name__
    return getattr(fn, "__qualname__", None) or getattr(fn, "__name__", None) or type(fn).__name__


def dtype_name(dtype: Any) -> str:
    """``'float32'`` for ``np.float32`` and ``torch.float32`` alike."""
    return str(dtype).replace("torch.", "")


def lowest_precision(names: Sequence[str]) -> str | None:
    """The least precise floating dtype name among ``names`` (None when none is floating)."""
    floats = [n for n in names if n in _PRECISION]
    return min(floats, key=_PRECISION.__getitem__) if floats else None


class Evaluator:
    """Batched calls of ``fn`` on examples given as tuples of numpy arrays.

    Parameters
    ----------
    fn
        The callable (a ``torch.nn.Module``, a function of torch tensors or of numpy arrays).
    backend
        ``"torch"`` or ``"numpy"``: what the arguments are converted to.
    arg_dtypes
        One target dtype per argument (numpy dtype, or torch dtype for the torch backend).
    batch_axis
        The axis along which ``fn`` takes a batch, or None to call it once per example.
    float64
        Feed floating arguments as float64 (for a module, a float64 deep copy is called).
    train
        Leave a module's training flags as they are (default: eval mode during the check; ``None`` is
        read as False here, see :meth:`random_in_training_mode`).
    device
        torch device of the arguments (default: the module's, else CPU).
    max_entries
        Input entries per batched call.
    """

    def __init__(
        self,
        fn: Callable[..., Any],
        *,
        backend: str,
        arg_dtypes: Sequence[Any],
        batch_axis: int | None,
        float64: bool = False,
        train: bool = False,
        device: Any = None,
        max_entries: int = DEFAULT_MAX_ENTRIES,
    ):
        if backend not in ("torch", "numpy"):
            raise ValueError(f"backend must be 'torch' or 'numpy', got {backend!r}")
        self.fn = fn
        self.name = function_name(fn)
        self.backend = backend
        self.batch_axis = batch_axis
        self.float64_mode = float64
        self.train = bool(train)
        self.max_entries = int(max_entries)
        self.is_module = is_torch_module(fn)
        self._module64: Any = copy.deepcopy(fn).double() if float64 and self.is_module else None
        if backend == "torch":
            import torch

            if device is None:
                device = next((t.device for t in _tensors_of(fn)), torch.device("cpu"))
            self.device = device
            self.arg_dtypes = [torch.float64 if float64 and d.is_floating_point else d for d in arg_dtypes]
        else:
            self.device = None
            dts = [np.dtype(d) for d in arg_dtypes]
            self.arg_dtypes = [np.dtype(np.float64) if float64 and d.kind == "f" else d for d in dts]
        self.output_dtypes: list[str] = []

    # ------------------------------------------------------------------ precision
    def param_dtypes(self) -> list[str]:
        """Floating dtypes of the module's parameters and buffers (empty for a plain callable)."""
        module = self._callable()
        return sorted({dtype_name(t.dtype) for t in _tensors_of(module) if t.is_floating_point()})

    def working_precision(self) -> str | None:
        """The least precise floating dtype among the arguments as fed, the parameters and the outputs."""
        names = [dtype_name(d) for d in self.arg_dtypes] + self.param_dtypes() + self.output_dtypes
        return lowest_precision(names)

    def float64(self) -> Evaluator:
        """The same function evaluated in float64 (a float64 deep copy for a module)."""
        if self.float64_mode:
            return self
        return self.sibling(self.fn, float64=True)

    def settings(self) -> dict[str, Any]:
        """The keyword arguments that rebuild this evaluator's settings for another function."""
        return {
            "backend": self.backend,
            "arg_dtypes": self.arg_dtypes,
            "batch_axis": self.batch_axis,
            "float64": self.float64_mode,
            "train": self.train,
            "device": self.device,
            "max_entries": self.max_entries,
        }

    def sibling(self, fn: Any, **changes: Any) -> Evaluator:
        """An evaluator of the same kind for ``fn`` with the same settings, except ``changes``."""
        return Evaluator(fn, **{**self.settings(), **changes})

    def _callable(self) -> Any:
        return self._module64 if self._module64 is not None else self.fn

    # ------------------------------------------------------------------ calling
    @contextlib.contextmanager
    def session(self) -> Iterator[None]:
        """Eval mode and ``no_grad`` for torch; training flags restored on exit."""
        if self.backend != "torch":
            yield
            return
        import torch

        module = self._callable()
        modules = list(module.modules()) if is_torch_module(module) else []
        flags = [m.training for m in modules]
        try:
            if not self.train:
                for m in modules:
                    m.training = False
            with torch.no_grad():
                yield
        finally:
            for m, flag in zip(modules, flags):
                m.training = flag

    def in_training_mode(self) -> bool:
        """True when ``fn`` is a module with any submodule in training mode."""
        return self.is_module and any(m.training for m in self.fn.modules())

    def random_in_training_mode(self, examples: Sequence[Example]) -> float:
        """How far two training-mode evaluations of the same batch are apart (0 when not applicable).

        Runs a deep copy of the module in its own training flags (so batch-norm statistics and other
        state of the module itself never change) twice on ``examples``; returns the largest difference
        relative to the outputs' magnitude. Dropout left active gives about 1.
        """
        if not self.in_training_mode():
            return 0.0
        import torch

        probe = self.sibling(copy.deepcopy(self._callable()), float64=False, train=True)
        with torch.no_grad():
            first, second = probe(examples), probe(examples)
        worst = 0.0
        for a_out, b_out in zip(first, second):
            for a, b in zip(a_out, b_out):
                scale = max(float(np.abs(a).max(initial=0.0)), float(np.abs(b).max(initial=0.0)), 1e-30)
                diff = np.abs(a.astype(np.float64) - b.astype(np.float64))
                worst = max(worst, float(np.nan_to_num(diff, nan=np.inf).max(initial=0.0)) / scale)
        return worst

    def __call__(self, examples: Sequence[Example]) -> list[tuple[np.ndarray, ...]]:
        """Outputs of ``fn`` for every example (batched where the shapes allow); call inside :meth:`session`."""
        out: list[tuple[np.ndarray, ...]] = []
        for chunk in self._chunks(examples):
            out.extend(self._call_chunk(chunk))
        return out

    def _chunks(self, examples: Sequence[Example]) -> Iterator[list[Example]]:
        if self.batch_axis is None:
            for ex in examples:
                yield [ex]
            return
        chunk: list[Example] = []
        key = None
        entries = 0
        for ex in examples:
            k = tuple((a.shape[: self.batch_axis] + a.shape[self.batch_axis + 1 :], a.dtype) for a in ex)
            size = sum(a.size for a in ex)
            if chunk and (k != key or entries + size > self.max_entries):
                yield chunk
                chunk, entries = [], 0
            chunk.append(ex)
            key = k
            entries += size
        if chunk:
            yield chunk

    def _call_chunk(self, chunk: list[Example]) -> list[tuple[np.ndarray, ...]]:
        b = self.batch_axis
        if b is None:
            args = [np.array(a) for a in chunk[0]]
        else:
            args = [np.concatenate([ex[j] for ex in chunk], axis=b) for j in range(len(chunk[0]))]
        fed = self._convert_in(args)
        try:
            raw = self._callable()(*fed)
        except Exception as exc:
            shapes = ", ".join(str(tuple(a.shape)) for a in args)
            raise FunctionCallError(
                f"calling {self.name} on argument(s) of shape {shapes} raised {type(exc).__name__}: {exc} "
                f"(check shapes=, in_axes= and batch_axis=; batch_axis={b})"
            ) from exc
        outputs = self._convert_out(raw)
        if b is None:
            return [outputs]
        sizes = [ex[0].shape[b] for ex in chunk]
        total = sum(sizes)
        for i, y in enumerate(outputs):
            if y.ndim <= b or y.shape[b] != total:
                raise FunctionCallError(
                    f"{self.name} was called on a batch of {total} along axis {b} but output {i} has shape "
                    f"{y.shape}; pass batch_axis=None if it does not take a batch"
                )
        cuts = np.cumsum(sizes)[:-1]
        parts = [np.split(y, cuts, axis=b) for y in outputs]
        return [tuple(p[i] for p in parts) for i in range(len(chunk))]

    def _convert_in(self, args: list[np.ndarray]) -> list[Any]:
        if self.backend == "numpy":
            return [a.astype(d, copy=True) for a, d in zip(args, self.arg_dtypes)]
        import torch

        return [torch.tensor(a, dtype=d, device=self.device) for a, d in zip(args, self.arg_dtypes)]

    def _convert_out(self, raw: Any) -> tuple[np.ndarray, ...]:
        items = tuple(raw) if isinstance(raw, (tuple, list)) else (raw,)
        out = []
        dtypes = []
        for i, y in enumerate(items):
            if is_torch_tensor(y):
                dtypes.append(dtype_name(y.dtype))
                y = y.detach().cpu()
                if y.dtype in _low_torch_dtypes():
                    y = y.float()
                out.append(y.numpy())
            elif isinstance(y, (np.ndarray, np.generic, float, int, bool)):
                arr = np.asarray(y)
                dtypes.append(dtype_name(arr.dtype))
                out.append(arr)
            else:
                raise TypeError(
                    f"{self.name} returned {type(y).__name__} as output {i}; expected a numpy array, a torch "
                    "tensor, or a tuple/list of them"
                )
        if self.output_dtypes and len(self.output_dtypes) != len(dtypes):
            raise TypeError(
                f"{self.name} returned {len(dtypes)} outputs here, {len(self.output_dtypes)} before"
            )
        self.output_dtypes = dtypes
        return tuple(out)


def _low_torch_dtypes() -> tuple[Any, ...]:
    import torch

    return (torch.float16, torch.bfloat16)


def _tensors_of(obj: Any) -> Iterator[Any]:
    if is_torch_module(obj):
        yield from obj.parameters()
        yield from obj.buffers()
