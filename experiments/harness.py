"""Shared training and evaluation loop for the experiments: tasks as plain data, one ASEN, accuracy, files.

The API is small on purpose, so sequence, image and graph experiments all reuse it:

* :class:`TaskData` -- one classification task: train/test tensors, head kind, class count and the name of
  the symmetry the model reads for it;
* :func:`build_model` -- an :class:`~asen.models.ASEN` with one head per task and the named symmetries;
* :func:`train` -- seeded mini-batch Adam on the sum of the tasks' cross-entropies (one batch of every
  task per step), with a tqdm progress bar;
* :func:`evaluate` -- held-out accuracy (labels ``-1`` are ignored);
* :func:`run_units` -- run independent training runs (``fn(**unit) -> rows``) in order or in a process
  pool, with a progress bar over runs;
* :func:`mean_std`, :func:`write_rows`, :func:`plot_lines` -- aggregate rows over seeds, write CSV + JSON,
  draw a PNG;
* :func:`run_experiment` -- the body of every ``asen experiment NAME`` driver: setting (``QUICK``/``FULL``,
  ``--set`` overrides, seeds, threads), the planned runs, output files (rows, summary, tables, plots) and
  the returned summary; each experiment supplies ``plan``, ``unit`` and ``report`` (a :class:`Report`).

.. math:: \\mathcal{L}(\\theta) = \\sum_{t \\in \\text{tasks}} \\mathrm{CE}(f_\\theta(x_t, \\text{sym}_t), y_t)

Examples
--------
>>> import torch
>>> from asen.experiments.harness import TaskData, build_model, evaluate, train
>>> x = torch.nn.functional.one_hot(torch.randint(0, 3, (40, 5)), 3).float()
>>> task = TaskData("count0", x[:32], (x[:32, :, 0].sum(1) > 1).long(), x[32:],
...                 (x[32:, :, 0].sum(1) > 1).long(), head="pooled", num_classes=2, symmetry="symmetric(5)")
>>> model = build_model([task], width=8, num_layers=1, heads=1, seed=0)
>>> losses = train(model, [task], steps=3, batch_size=8, seed=0, progress=False)
>>> len(losses), 0.0 <= evaluate(model, task)["accuracy"] <= 1.0
(3, True)
"""

from __future__ import annotations

import csv
import json
import math
import os
import time
import warnings
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import numpy as np
import torch
import torch.nn.functional as F
from torch import Tensor

from ..models import ASEN, DEFAULT_INIT
from ..models.seeding import torch_seed
from . import distributed
from .extras import import_extra, pyplot

__all__ = [
    "SETTING_ALIASES",
    "ExperimentRun",
    "Report",
    "TaskData",
    "add_task",
    "build_model",
    "certified_input",
    "evaluate",
    "limit_threads",
    "mean_std",
    "plot_lines",
    "resolve_setting",
    "run_experiment",
    "run_units",
    "train",
    "write_rows",
]


def limit_threads(k: int = 2) -> None:
    """Use at most ``k`` torch threads (the experiments are sized for 2 CPU cores)."""
    if torch.get_num_threads() > k:
        torch.set_num_threads(k)


@dataclass
class TaskData:
    """One classification task on ``n`` points.

    Attributes
    ----------
    name
        Task name (also the model's task key; no ``'.'``).
    x_train, x_test
        ``(M, n, in_dim)`` float features on the points.
    y_train, y_test
        ``(M, n)`` int64 labels for ``head='point'``, ``(M,)`` for ``head='pooled'``; ``-1`` = ignored.
    head
        ``"point"`` (one label per point, equivariant) or ``"pooled"`` (one label per sample, invariant).
    num_classes
        Number of classes.
    symmetry
        Name of the symmetry the model reads for this task: a group spec (``"dihedral(10)"``) or a key of
        the ``symmetries`` mapping given to :func:`build_model`.
    meta
        Anything else (true group, generator settings) carried into results.
    """

    name: str
    x_train: Tensor
    y_train: Tensor
    x_test: Tensor
    y_test: Tensor
    head: str
    num_classes: int
    symmetry: str
    meta: dict[str, Any] = field(default_factory=dict)

    @property
    def in_dim(self) -> int:
        return int(self.x_train.shape[-1])

    @property
    def num_points(self) -> int:
        return int(self.x_train.shape[1])

    def subset(self, m: int, *, seed: int | None = 0) -> TaskData:
        """The same task with ``m`` training samples (a seeded random subset; the test set is kept)."""
        if isinstance(m, bool) or not isinstance(m, int) or not 1 <= m <= len(self.x_train):
            raise ValueError(f"m must be an int in 1..{len(self.x_train)}, got {m!r}")
        idx = torch.from_numpy(np.random.default_rng(seed).permutation(len(self.x_train))[:m])
        return replace(self, x_train=self.x_train[idx], y_train=self.y_train[idx])

    def with_symmetry(self, symmetry: str) -> TaskData:
        """The same data read under another symmetry (misspecification, trivial baselines)."""
        return replace(self, symmetry=symmetry)


_INPUTS: dict[str, Any] = {}


def certified_input(name: str) -> Any:
    """The certified :class:`~asen.breaking.SymmetryInput` for a symmetry name, memoised in this process.

    ``name`` is a group spec (``"dihedral(10)"``, built with ``mode='exact'``) or ``"<spec>-closure"``
    (the 2-closure input: orbital colours only).
    """
    if name not in _INPUTS:
        from ..breaking import symmetry_breaking_input
        from ..groups.spec import parse

        spec, mode = (name[: -len("-closure")], "closure") if name.endswith("-closure") else (name, "exact")
        _INPUTS[name] = symmetry_breaking_input(parse(spec), mode=mode)
    return _INPUTS[name]


def build_model(
    tasks: Sequence[TaskData],
    *,
    symmetries: Mapping[str, Any] | None = None,
    width: int = 64,
    num_layers: int = 3,
    heads: int = 4,
    base: str = "gatv2",
    dropout: float = 0.0,
    seed: int = 0,
    device: str | torch.device = "cpu",
    colour_init_std: float | None = None,
    **init: Any,
) -> ASEN:
    """An :class:`~asen.models.ASEN` with a head per task and every symmetry the tasks name.

    ``symmetries`` maps a name to anything :meth:`ASEN.add_symmetry` accepts (a certified
    :class:`~asen.breaking.SymmetryInput`, a group); names not in it go through
    :func:`certified_input` (a group spec such as ``"cyclic(10)"``, or ``"<spec>-closure"``).
    ``**init`` are :data:`~asen.models.DEFAULT_INIT` options (``encoder_norm``, ``block_norm``, ...; the
    rest keep their defaults, see :func:`checked_init`; ``colour_init_std`` is the deprecated spelling of
    ``color_init_std``). ``base`` and ``dropout`` pick the body and its dropout rate.
    """
    if colour_init_std is not None:
        warnings.warn("build_model(colour_init_std=...) is deprecated; use color_init_std", DeprecationWarning,
                      stacklevel=2)
        init["color_init_std"] = colour_init_std
    symmetries = dict(symmetries or {})
    model = ASEN(width=width, num_layers=num_layers, heads=heads, base=base, dropout=dropout, seed=seed,
                 **checked_init(init, where="build_model"))
    for k, t in enumerate(tasks):
        add_task(model, t, seed=seed + 1 + k)
    for k, name in enumerate(dict.fromkeys(t.symmetry for t in tasks)):
        if name not in model.symmetries:
            sym = symmetries[name] if name in symmetries else certified_input(name)
            model.add_symmetry(name, sym, seed=seed + 101 + k)
    return model.to(device)


def add_task(model: ASEN, task: TaskData, *, seed: int | None = None) -> None:
    """Add ``task``'s encoder and head to ``model`` (used for fine-tuning on a new task)."""
    model.add_task(task.name, task.in_dim, task.num_classes, head=task.head, seed=seed)


def _logits_loss(model: ASEN, task: TaskData, x: Tensor, y: Tensor) -> Tensor:
    out = model(x, task.symmetry, task=task.name)
    return F.cross_entropy(out.reshape(-1, task.num_classes), y.reshape(-1), ignore_index=-1)


def train(
    model: ASEN,
    tasks: Sequence[TaskData],
    *,
    steps: int,
    batch_size: int = 32,
    lr: float = 1e-3,
    weight_decay: float = 0.0,
    seed: int = 0,
    progress: bool = True,
    desc: str = "train",
) -> list[float]:
    """Adam for ``steps`` steps; every step draws one batch of each task and sums their losses.

    Batches are drawn without replacement within an epoch of each task (a seeded permutation). Returns the
    total loss of every step. A task with fewer than ``batch_size`` samples uses all of them each step.
    """
    if steps < 0:
        raise ValueError(f"steps must be >= 0, got {steps!r}")
    if distributed.is_active():  # torchrun --distributed: DDP, each process on its shard of every batch
        return distributed.train_distributed(model, tasks, steps=steps, batch_size=batch_size, lr=lr,
                                             weight_decay=weight_decay, seed=seed, progress=progress, desc=desc)
    device = next(model.parameters()).device
    rng = np.random.default_rng(seed)
    opt = torch.optim.Adam(model.parameters(), lr=lr, weight_decay=weight_decay)
    data = [(t, t.x_train.to(device), t.y_train.to(device)) for t in tasks]
    queues: list[list[int]] = [[] for _ in tasks]
    losses: list[float] = []
    model.train()
    bar = _progress(range(steps), desc=desc, disable=not progress)
    with torch_seed(seed):
        for _ in bar:
            total = 0.0
            opt.zero_grad(set_to_none=True)
            for k, (t, x, y) in enumerate(data):
                b = min(batch_size, len(x))
                if len(queues[k]) < b:
                    queues[k] = queues[k] + rng.permutation(len(x)).tolist()
                idx, queues[k] = queues[k][:b], queues[k][b:]
                loss = _logits_loss(model, t, x[idx], y[idx])
                loss.backward()
                total += float(loss.detach())
            opt.step()
            losses.append(total)
            if progress:
                bar.set_postfix(loss=f"{total:.3f}", refresh=False)
    model.eval()
    return losses


@torch.no_grad()
def evaluate(model: ASEN, task: TaskData, *, batch_size: int = 256, split: str = "test") -> dict[str, float]:
    """Accuracy on ``split`` (``"test"`` or ``"train"``).

    Returns ``{"accuracy": ..., "exact_match": ...}``: the fraction of labelled entries predicted right,
    and (point heads) the fraction of samples with every labelled position right (equal to accuracy for
    pooled heads).
    """
    if split not in ("test", "train"):
        raise ValueError(f"split must be 'test' or 'train', got {split!r}")
    x, y = (task.x_test, task.y_test) if split == "test" else (task.x_train, task.y_train)
    device = next(model.parameters()).device
    was_training = model.training
    model.eval()
    right = labelled = whole = 0
    for s in range(0, len(x), batch_size):
        xb, yb = x[s : s + batch_size].to(device), y[s : s + batch_size].to(device)
        pred = model(xb, task.symmetry, task=task.name).argmax(-1)
        mask = yb >= 0
        ok = (pred == yb) | ~mask
        right += int(((pred == yb) & mask).sum())
        labelled += int(mask.sum())
        whole += int(ok.reshape(len(yb), -1).all(1).sum())
    model.train(was_training)
    return {"accuracy": right / max(labelled, 1), "exact_match": whole / max(len(x), 1)}


def checked_init(options: Mapping[str, Any], *, where: str = "ASEN") -> dict[str, Any]:
    """:data:`~asen.models.DEFAULT_INIT` with ``options`` applied; ``TypeError`` naming any key it lacks.

    >>> checked_init({"block_norm": "layer"})["block_norm"], len(checked_init({})) == len(DEFAULT_INIT)
    ('layer', True)
    """
    unknown = sorted(set(options) - set(DEFAULT_INIT))
    if unknown:
        raise TypeError(f"{where}: unknown init option(s) {unknown}; known: {sorted(DEFAULT_INIT)}")
    return {**DEFAULT_INIT, **options}


def init_options(cfg: Mapping[str, Any]) -> dict[str, Any]:
    """The :data:`~asen.models.DEFAULT_INIT` options of a setting (``orbital_rank``, ``encoder_norm``,
    ``color_init_std``, ``point_color_init``, ``block_norm``, ``orbital_aggregate``), to pass to :func:`build_model` or
    :class:`~asen.models.ASEN`."""
    return {key: cfg[key] for key in DEFAULT_INIT}


def _progress(it: Iterable[Any], *, desc: str, disable: bool, total: int | None = None) -> Any:
    from tqdm.auto import tqdm

    return tqdm(it, desc=desc, disable=disable, total=total, leave=False, dynamic_ncols=True, mininterval=0.5)


#: settings keys still accepted under a former name: old -> new (``--set colour_init_std=0.05`` works)
SETTING_ALIASES: dict[str, str] = {"colour_init_std": "color_init_std"}


def _setting(base: Mapping[str, Any], overrides: Mapping[str, Any] | None) -> dict[str, Any]:
    """``base`` with ``overrides`` applied (old names through :data:`SETTING_ALIASES`); unknown keys raise
    ``ValueError``."""
    cfg = dict(base)
    given: dict[str, str] = {}
    for key, value in (overrides or {}).items():
        name = SETTING_ALIASES.get(key, key) if key not in cfg else key
        if name not in cfg:
            raise ValueError(f"unknown setting {key!r}; known: {', '.join(sorted(cfg))}")
        if name in given:
            raise ValueError(f"setting {name!r} given twice (as {given[name]!r} and {key!r})")
        given[name] = key
        cfg[name] = value
    return cfg


def resolve_setting(
    quick_cfg: Mapping[str, Any],
    full_cfg: Mapping[str, Any],
    *,
    quick: bool,
    seeds: Sequence[int] | None,
    overrides: Mapping[str, Any] | None,
) -> dict[str, Any]:
    """The ``QUICK`` or ``FULL`` setting with ``overrides`` and ``seeds`` applied; caps torch at 2 threads.

    ``seeds`` keep the container type of the setting's own ``"seeds"`` (tuple or list).

    Examples
    --------
    >>> resolve_setting({"seeds": [0], "color_init_std": 1.0}, {}, quick=True, seeds=[3, 4],
    ...                 overrides={"colour_init_std": 0.05})
    {'seeds': [3, 4], 'color_init_std': 0.05}
    """
    cfg = _setting(quick_cfg if quick else full_cfg, overrides)
    if seeds:
        cfg["seeds"] = tuple(seeds) if isinstance(cfg.get("seeds"), tuple) else list(seeds)
    limit_threads(2)
    return cfg


def _worker_init(threads: int) -> None:
    torch.set_num_threads(threads)


def _call(fn: Callable[..., Any], unit: Mapping[str, Any]) -> Any:
    return fn(**unit)


def run_units(
    fn: Callable[..., list[dict[str, Any]]],
    units: Sequence[Mapping[str, Any]],
    *,
    jobs: int = 1,
    progress: bool = True,
    desc: str = "runs",
) -> list[dict[str, Any]]:
    """Concatenated ``fn(**unit)`` row lists of every unit, in the order of ``units``.

    ``jobs > 1`` runs them in a pool of ``jobs`` spawned processes (one torch thread each; ``fn`` and the
    units must be picklable: a module-level function and plain values). Useful on a many-core or GPU
    machine; the default runs in this process.
    """
    if isinstance(jobs, bool) or not isinstance(jobs, int) or jobs < 1:
        raise ValueError(f"jobs must be a positive int, got {jobs!r}")
    rows: list[dict[str, Any]] = []
    if jobs == 1 or len(units) <= 1:
        for unit in _progress(units, desc=desc, disable=not progress):
            rows += fn(**unit)
        return rows
    import concurrent.futures as cf
    import multiprocessing as mp

    with cf.ProcessPoolExecutor(
        jobs, mp_context=mp.get_context("spawn"), initializer=_worker_init, initargs=(1,)
    ) as pool:
        futures = [pool.submit(_call, fn, dict(unit)) for unit in units]
        for _ in _progress(cf.as_completed(futures), desc=desc, disable=not progress, total=len(futures)):
            pass
        for f in futures:
            rows += f.result()
    return rows


def mean_std(rows: Sequence[Mapping[str, Any]], by: Sequence[str], value: str) -> list[dict[str, Any]]:
    """Group ``rows`` by the keys ``by``; each group gives ``mean``, ``std`` (population) and ``n`` of ``value``.

    Examples
    --------
    >>> mean_std([{"m": "a", "acc": 0.5}, {"m": "a", "acc": 0.7}], ["m"], "acc")
    [{'m': 'a', 'mean': 0.6, 'std': 0.1, 'n': 2}]
    """
    groups: dict[tuple, list[float]] = {}
    for r in rows:
        groups.setdefault(tuple(r[k] for k in by), []).append(float(r[value]))
    out = []
    for key, vals in groups.items():
        a = np.asarray(vals)
        out.append(
            {
                **dict(zip(by, key)),
                "mean": round(float(a.mean()), 4),
                "std": round(float(a.std()), 4),
                "n": len(vals),
            }
        )
    return out


def write_rows(
    rows: Sequence[Mapping[str, Any]],
    out_dir: str | os.PathLike,
    stem: str,
    *,
    meta: Mapping[str, Any] | None = None,
) -> tuple[Path, Path]:
    """Write ``rows`` as ``<stem>.csv`` and ``{"meta": meta, "rows": rows}`` as ``<stem>.json``; return both paths."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    keys = list(dict.fromkeys(k for r in rows for k in r))
    csv_path, json_path = out / f"{stem}.csv", out / f"{stem}.json"
    with open(csv_path, "w", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=keys)
        w.writeheader()
        w.writerows(rows)
    with open(json_path, "w") as fh:
        json.dump({"meta": dict(meta or {}), "rows": list(rows)}, fh, indent=1, default=str)
    return csv_path, json_path


def plot_lines(
    summary: Sequence[Mapping[str, Any]],
    *,
    x: str,
    series: str,
    path: str | os.PathLike,
    panel: str | None = None,
    title: str = "",
    xlabel: str | None = None,
    ylabel: str = "held-out accuracy",
    logx: bool = False,
) -> Path:
    """Lines of ``mean`` against ``x`` with ±``std`` bands, one line per ``series`` value, one subplot per ``panel``.

    ``summary`` rows are what :func:`mean_std` returns. Writes a PNG (matplotlib, Agg backend).
    """
    plt = pyplot()
    panels = list(dict.fromkeys(r[panel] for r in summary)) if panel else [None]
    names = list(dict.fromkeys(r[series] for r in summary))
    colours = {s: f"C{i % 10}" for i, s in enumerate(names)}  # one colour per series in every panel
    cols = min(len(panels), 3)
    rows_n = math.ceil(len(panels) / cols)
    fig, axes = plt.subplots(rows_n, cols, figsize=(4.2 * cols, 3.3 * rows_n), squeeze=False)
    for ax, p in zip(axes.flat, panels):
        part = [r for r in summary if panel is None or r[panel] == p]
        xs_all = sorted({float(r[x]) for r in part})
        for s in names:
            pts = sorted((float(r[x]), r["mean"], r["std"]) for r in part if r[series] == s)
            if not pts:
                continue
            xs, m, sd = (np.asarray(v, dtype=float) for v in zip(*pts))
            ax.plot(xs, m, marker="o", color=colours[s], label=str(s))
            ax.fill_between(xs, m - sd, m + sd, color=colours[s], alpha=0.2)
        if logx:
            ax.set_xscale("log")
            ax.minorticks_off()
        ax.set_xticks(xs_all, [f"{v:g}" for v in xs_all])
        ax.set_title(str(p) if p is not None else title, fontsize=9)
        ax.set_xlabel(xlabel or x)
        ax.set_ylabel(ylabel)
        ax.grid(alpha=0.3)
    for ax in list(axes.flat)[len(panels) :]:
        ax.axis("off")
    handles = [plt.Line2D([], [], color=colours[s], marker="o", label=str(s)) for s in names]
    axes.flat[0].legend(handles=handles, fontsize=7)
    if panel and title:
        fig.suptitle(title, fontsize=10)
    fig.tight_layout()
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return path


@dataclass
class ExperimentRun:
    """What :func:`run_experiment` hands an experiment's ``report``: its setting, runs, rows and output folder.

    Attributes
    ----------
    name
        The experiment's registry name (``"image-selection"``); :attr:`stem` (``"image_selection"``)
        starts every file name.
    quick, device
        As given to ``run``.
    cfg
        The resolved setting (``QUICK`` or ``FULL`` with the overrides and seeds).
    units
        The planned runs, each with ``cfg``, ``device`` and ``progress`` added, in order.
    rows
        Every unit's rows concatenated in the order of :attr:`units`.
    out
        The output folder.
    meta
        What every JSON file records under ``"meta"`` (experiment, quick, config, device, extras).
    prepared
        What the ``prepare`` hook returned (``None`` without one).
    """

    name: str
    quick: bool
    device: str
    cfg: dict[str, Any]
    units: list[dict[str, Any]]
    rows: list[dict[str, Any]]
    out: Path
    meta: dict[str, Any]
    prepared: Any = None

    @property
    def stem(self) -> str:
        return self.name.replace("-", "_")


@dataclass
class Report:
    """An experiment's results for :func:`run_experiment` to write and return.

    Attributes
    ----------
    summary
        Rows written as ``<stem>_summary.csv``/``.json`` and returned under ``"summary"``.
    rows
        Rows written as ``<stem>.csv``/``.json``; ``None`` (default) writes the run's own rows.
    tables
        ``suffix -> rows``, written as ``<stem>_<suffix>.csv``/``.json`` after the summary, in order.
    plots
        Functions drawing one PNG each and returning its path; called after every table is written.
    extra
        More keys of the returned dict, after ``"summary"`` and ``"files"``.
    """

    summary: list[dict[str, Any]]
    rows: list[dict[str, Any]] | None = None
    tables: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    plots: list[Callable[[], Path]] = field(default_factory=list)
    extra: dict[str, Any] = field(default_factory=dict)


def run_experiment(
    name: str,
    *,
    quick_setting: Mapping[str, Any],
    full_setting: Mapping[str, Any],
    plan: Callable[[dict[str, Any]], Sequence[Mapping[str, Any]]],
    unit: Callable[..., list[dict[str, Any]]],
    report: Callable[[ExperimentRun], Report],
    quick: bool = False,
    out_dir: str | os.PathLike,
    seeds: Sequence[int] | None = None,
    progress: bool = True,
    jobs: int = 1,
    device: str = "cpu",
    overrides: Mapping[str, Any] | None = None,
    prepare: Callable[[dict[str, Any]], Any] | None = None,
    meta: Mapping[str, Any] | None = None,
    timed: bool = False,
) -> dict[str, Any]:
    """The body every ``asen experiment NAME`` driver shares; returns its JSON-ready summary.

    1. the setting: ``quick_setting`` or ``full_setting`` with ``overrides`` (unknown keys raise
       ``ValueError``; former names through :data:`SETTING_ALIASES`) and ``seeds``; torch capped at 2
       threads (:func:`resolve_setting`);
    2. ``plan(cfg)``: the runs, one keyword dict per ``unit`` call (it raises ``ValueError`` on a bad
       setting: then nothing is trained or written); matplotlib is checked before any training;
    3. ``prepare(cfg)``, if given (work before the runs whose result the report needs, e.g. checks);
    4. :func:`run_units` on ``unit`` with ``cfg``, ``device`` and ``progress`` (only with ``jobs == 1``)
       added to every run, in a pool of ``jobs`` processes when ``jobs > 1``;
    5. ``report(run)`` with an :class:`ExperimentRun`, returning a :class:`Report`;
    6. writes ``<stem>.csv/.json`` (the report's rows, default the runs' rows), ``<stem>_summary``, the
       report's tables, then its plots, under ``out_dir``; every JSON's ``"meta"`` is ``{"experiment",
       "quick", "config", "device", **meta}`` plus ``"wall_seconds"`` (steps 2-4) when ``timed``.

    Returns ``{"summary": ..., "files": [CSV paths, PNG paths], **report.extra}`` (plus
    ``"wall_seconds"`` when ``timed``).
    """
    distributed.check_jobs(jobs)
    cfg = resolve_setting(quick_setting, full_setting, quick=quick, seeds=seeds, overrides=overrides)
    start = time.perf_counter()
    planned = list(plan(cfg))
    import_extra("matplotlib", f"the {name} plots")  # fail now, not after the training
    prepared = prepare(cfg) if prepare is not None else None
    units = [{**u, "cfg": cfg, "device": device, "progress": progress and jobs == 1} for u in planned]
    rows = run_units(unit, units, jobs=jobs, progress=progress, desc=f"{name} runs")
    meta_all = {"experiment": name, "quick": quick, "config": cfg, "device": device, **(meta or {})}
    if timed:
        meta_all["wall_seconds"] = round(time.perf_counter() - start, 1)
    run = ExperimentRun(name, quick, device, cfg, units, rows, Path(out_dir), meta_all, prepared)
    rep = report(run)
    if "summary" in rep.tables:
        raise ValueError("Report.tables must not use the suffix 'summary' (that table is Report.summary)")
    if not distributed.is_main_process():  # --distributed: rank 0 alone writes the files
        return {"summary": rep.summary, "files": [], **rep.extra}
    write_rows(rows if rep.rows is None else rep.rows, run.out, run.stem, meta=meta_all)
    tables = {"summary": rep.summary, **rep.tables}
    for suffix, table in tables.items():
        write_rows(table, run.out, f"{run.stem}_{suffix}", meta=meta_all)
    files = [str(run.out / f"{run.stem}.csv")] + [str(run.out / f"{run.stem}_{s}.csv") for s in tables]
    files += [str(draw()) for draw in rep.plots]
    result = {"summary": rep.summary, "files": files, **rep.extra}
    if timed:
        result["wall_seconds"] = meta_all["wall_seconds"]
    return result
