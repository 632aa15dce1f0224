"""Beyond the 2-closure: the orbital (closure) input against the exact input on non-2-closed tasks.

Tasks (:mod:`asen.experiments.closure_data`): the permutation sign on ``n`` points (true group ``A_n``,
closure ``S_n``) for each ``n`` in ``sign_sizes``, and the chirality of three marked points of a solid for
each name in ``chiral`` (:data:`~asen.experiments.closure_data.CHIRAL_SOLIDS`: ``O`` the cube's 8
vertices, ``T`` the tetrahedron's 4, ``O-faces`` the cube's 6 faces, ``I`` the icosahedron's 12
vertices; true group the rotations, closure the rotations and reflections), and the projective handedness
of three marked points of the projective line over ``Z_p`` for each prime in ``handedness`` (true group
``PSL(2, p)`` on ``p + 1`` points, closure ``S_{p+1}``), the square class of the ratio of three marked
points of ``Z_p`` for each prime in ``ratio`` (true group ``AGL(1, p)``, closure ``S_p``), and for each
group spec in ``orbit`` (any group that is not 2-closed) which ``G``-orbit a marked tuple lies in
(:func:`~asen.experiments.closure_data.orbit_split`). Models, all reading one-hot point features:

=================  =======================================================================================
``default-exact``  ``ASEN(width=...)`` with every other option at its default (gatv2 body, 4 layers,
                   :data:`~asen.models.DEFAULT_INIT`) and ``add_symmetry(name, G)``: the library's default
                   exact input (``mode="auto"``: dense frames up to 64 elements, sparse frames of a
                   non-2-closed group of 65 to 720 such as A_6). What a new user writes.
``default-closure`` the same default ASEN on the paper's orbital input (``mode="closure"``): the control,
                   equivariant to ``G^(2)`` whatever the weights
``asen-closure``   ASEN (``base="orbital_sum"``) with the paper's orbital input (``mode="closure"``):
                   equivariant to ``G^(2)`` whatever the weights
``asen-exact``     the same ASEN with our exact input (``mode="exact"``, auxiliary vertices; ordered tuples
                   where they fit :data:`TUPLES_LIMIT`, so each auxiliary vertex reads its members in order)
``asen-frames``    ``ASEN(base="orbital_sum", num_layers=...)`` with the library's other defaults (as
                   ``default-*``, :data:`~asen.models.DEFAULT_INIT`) on ``mode="sparse"``'s default input:
                   the frames of every group of at most :data:`~asen.breaking.DEFAULT_SPARSE_FRAMES`
                   elements, pruned to the arcs between frames and points (A_6: 360 frames, 1,800 arcs),
                   run as message passing
``default-frames`` the default gatv2 body (``num_layers=...``, every other option at its default, so
                   ``block_norm="set"``) on the same sparse frames: ``add_symmetry(name, G, mode="sparse")``
``gatv2-closure``  the paper's GATv2 body (``orbital_rank=None``) on the orbital input
``gatv2-exact``    the paper's GATv2 body on the exact input
``emlp``           equivariant MLP by orbital weight sharing (``base="orbital_mlp"``) with ``G``'s orbitals
                   on the points: the layer EMLP-style methods build, equivariant to ``G^(2)``
``mlp``            non-equivariant baseline: MLP on the flattened points with positional vertex colours
=================  =======================================================================================

The ``default-*`` models use the library's defaults; the others keep the recipe of the first
beyond-closure runs (:data:`RECIPE`: ``encoder_norm="layer"``, ``color_init_std=0.05``, the paper's
attention layer without the orbital term), with which the earlier results were measured.

After training, ``asen.verify.check_exact_symmetry`` checks each first-seed model against the task's group
on held-out inputs and reports the largest group it was seen to respect (``G``, ``G^(2)`` or smaller), and
the float64 *closure gap* ``max |f(x) - f(h.x)|`` over the 2-closure witnesses ``h`` measures how far the
trained model actually tells ``G`` from ``G^(2)``.

Command: ``asen experiment beyond-closure [--quick]`` (default output ``results/beyond-closure``); files ``beyond_closure.{csv,json}``,
``beyond_closure_summary.{csv,json}``, ``beyond_closure_verify.{csv,json}``,
``beyond_closure_gaps_at_init.{csv,json}`` (:func:`closure_gaps`, at the run's ``width`` and ``num_layers``;
body ``default`` is the ``default-*`` model) and ``beyond_closure.png``. Options of the default models:
``--set 'default_options={"point_color_init": "scaled"}'`` (keys of :data:`~asen.models.DEFAULT_INIT`);
``--set default_frames=0``: ``default-exact`` reads the search's smallest visible input, not the frames;
``--set sparse_frames=8000``: the ``*-frames`` models frame groups of up to 8,000 elements (default
:data:`~asen.breaking.DEFAULT_SPARSE_FRAMES`).
"""

from __future__ import annotations

import warnings
from typing import Any

import numpy as np

from ..breaking import (DEFAULT_BUDGET, DEFAULT_FRAMES, DEFAULT_SPARSE_FRAMES, VisibilityWarning,
                        symmetry_breaking_input)
from ..groups import solid_points
from ..models import ASEN, DEFAULT_INIT
from .closure_data import CHIRAL_SOLIDS, closure_task_group, orbit_split, sample_closure_task
from .harness import ExperimentRun, Report, limit_threads, mean_std, run_experiment
from .selection_common import fit_and_score, plot_bars, tensor_task
from .selection_models import make_asen, model_function, num_parameters, symmetry_input, with_task

__all__ = ["FULL", "MODELS", "QUICK", "RECIPE", "TUPLES_LIMIT", "closure_gaps", "exact_symmetry_input", "model_input", "plan",
           "report", "run", "unit", "verify_model"]

#: model name -> (base, symmetry input: "closure", "exact", "sparse" or "positional"); base "default" is
#: ``ASEN(width=...)`` with every other option at the library default, ``"default-<base>"`` the same with
#: that body and the run's ``num_layers``
MODELS: dict[str, tuple[str, str]] = {
    "default-closure": ("default", "closure"),
    "default-exact": ("default", "default"),
    "asen-closure": ("orbital_sum", "closure"),
    "asen-exact": ("orbital_sum", "exact"),
    "asen-frames": ("default-orbital_sum", "sparse"),
    "default-frames": ("default-gatv2", "sparse"),
    "gatv2-closure": ("gatv2", "closure"),
    "gatv2-exact": ("gatv2", "exact"),
    "emlp": ("orbital_mlp", "closure"),
    "mlp": ("mlp", "positional"),
}

#: largest ordered-tuple input used for ``exact`` (bigger ones fall back to the smallest exact input):
#: the cube's 24 fit; A6 and A7 need 120 and 210 (400-2000 s a run at 600 steps on one core), A8 1680
TUPLES_LIMIT = 64

#: the options of every model but the ``default-*`` ones (see the module docstring)
RECIPE: dict[str, Any] = {"encoder_norm": "layer", "color_init_std": 0.05, "orbital_rank": None,
                          "point_color_init": "scaled"}

FULL: dict[str, Any] = {
    "sign_sizes": (5, 6), "chiral": ("O", "T", "O-faces", "I"), "handedness": (7,), "ratio": (11,), "orbit": (),
    "train_size": 1000, "test_size": 500, "steps": 600,
    "batch_size": 32, "lr": 3e-3, "width": 32, "num_layers": 2, "heads": 4, "pair_dim": 16, "seeds": (0, 1, 2),
    "verify_inputs": 32, "gap_sign_sizes": (6, 7, 8),
    "models": ("default-closure", "default-exact", "asen-exact", "asen-frames", "emlp", "mlp"),
    "default_options": {},  # ASEN options of the default-* models (e.g. {"point_color_init": "scaled"}); {} = defaults
    "default_frames": DEFAULT_FRAMES,  # frames= of default-exact's input (0: the search's smallest visible input)
    "sparse_frames": DEFAULT_SPARSE_FRAMES,  # frames= of the *-frames models' sparse input
}
QUICK: dict[str, Any] = {
    **FULL, "sign_sizes": (6,), "chiral": ("O",), "handedness": (), "ratio": (), "orbit": (), "width": 16, "seeds": (0,), "gap_sign_sizes": (6,),
    "verify_inputs": 8, "train_size": 32, "test_size": 32, "steps": 3,
}


def exact_symmetry_input(group) -> Any:
    """The exact input the ``*-exact`` models read: ordered tuples when at most :data:`TUPLES_LIMIT`
    auxiliary vertices realise ``group``, else the smallest exact input (oriented subsets for ``A_n``)."""
    tuples = symmetry_breaking_input(group, mode="exact", aux_kinds=("tuples",), budget=TUPLES_LIMIT)
    return tuples if tuples.exact else symmetry_input(group, mode="exact")


def model_input(model: str, group, n: int, *, frames: int = DEFAULT_FRAMES,
                sparse_frames: int = DEFAULT_SPARSE_FRAMES) -> Any:
    """The symmetry input of ``model`` (a key of :data:`MODELS`) for ``group`` on ``n`` points; ``frames``
    is the default input's switch (:func:`~asen.breaking.exact_input`), ``sparse_frames`` the largest group
    the ``*-frames`` models frame (their budget grows with it)."""
    if model not in MODELS:
        raise ValueError(f"model must be one of {sorted(MODELS)}, got {model!r}")
    how = MODELS[model][1]
    if how == "positional":
        return symmetry_input("positional", n=n)
    if how == "default":  # what ASEN.add_symmetry(name, group) builds: mode="auto"'s certified, visible input
        if frames == DEFAULT_FRAMES:
            return symmetry_breaking_input(group, mode="auto")
        return symmetry_breaking_input(group, mode="exact", frames=frames)
    if how == "sparse":
        if isinstance(sparse_frames, bool) or not isinstance(sparse_frames, (int, np.integer)) or sparse_frames < 0:
            raise ValueError(f"sparse_frames must be a non-negative integer, got {sparse_frames!r}")
        return symmetry_input(group, mode="sparse", frames=sparse_frames, budget=max(DEFAULT_BUDGET, sparse_frames))
    return exact_symmetry_input(group) if how == "exact" else symmetry_input(group, mode=how)


def _tasks(cfg: dict[str, Any]) -> list[tuple[str, str, int, str | None]]:
    """``(label, task, n, variant)`` for every task of the setting (``variant``: a key of ``CHIRAL_SOLIDS`` for
    chirality, the group spec for ``orbit``, else None)."""
    out: list[tuple[str, str, int, str | None]] = [(f"sign-A{n}", "sign", n, None) for n in cfg["sign_sizes"]]
    out += [(f"handedness-PSL2({p})", "handedness", p + 1, None) for p in cfg.get("handedness", ())]
    out += [(f"ratio-AGL1({p})", "ratio", p, None) for p in cfg.get("ratio", ())]
    out += [(f"orbit-{spec}", "orbit", orbit_split(spec)[0].degree, spec) for spec in cfg.get("orbit", ())]
    for name in cfg["chiral"]:
        if name not in CHIRAL_SOLIDS:
            raise ValueError(f"chiral must name tasks of {sorted(CHIRAL_SOLIDS)}, got {name!r}")
        solid, on = CHIRAL_SOLIDS[name]
        out.append((f"chirality-{name}", "chirality", len(solid_points(solid, on=on)), name))
    return out


def task_group_and_data(kind: str, n: int, chiral: str | None, num: int, seed: int):
    """``(G, X, y)``: the true group of a task of :func:`_tasks` and ``num`` samples of it (``chiral``: the
    task's variant, a solid of ``CHIRAL_SOLIDS`` or the group spec of an ``orbit`` task)."""
    if kind == "orbit":
        where = {"group": chiral}
    else:
        where = {} if chiral is None else dict(zip(("solid", "on"), CHIRAL_SOLIDS[chiral]))
    return closure_task_group(kind, n, **where), *sample_closure_task(kind, num, n=n, seed=seed, **where)


def default_options(cfg: dict[str, Any]) -> dict[str, Any]:
    """The ``default_options`` of ``cfg``: ASEN init options (keys of :data:`~asen.models.DEFAULT_INIT`)."""
    options = cfg.get("default_options") or {}
    if not isinstance(options, dict) or set(options) - set(DEFAULT_INIT):
        raise ValueError(f"default_options must map keys of DEFAULT_INIT {sorted(DEFAULT_INIT)} to values, "
                         f"got {options!r}")
    return dict(options)


def build_net(model: str, task, sym, cfg: dict[str, Any], *, seed: int):
    """The network of ``model`` (a key of :data:`MODELS`) for ``task`` reading ``sym``."""
    base = MODELS[model][0]
    if base == "default":
        return with_task(ASEN(width=cfg["width"], seed=seed, **default_options(cfg)), task, sym, seed=seed)
    if base.startswith("default-"):
        net = ASEN(width=cfg["width"], base=base.removeprefix("default-"), num_layers=cfg["num_layers"], seed=seed,
                   **default_options(cfg))
        return with_task(net, task, sym, seed=seed)
    return make_asen(task, sym, base=base, width=cfg["width"], num_layers=cfg["num_layers"], heads=cfg["heads"],
                     pair_dim=cfg["pair_dim"], seed=seed, **RECIPE)


def verify_model(model, task, group, X: np.ndarray, *, seed: int = 0) -> dict[str, Any]:
    """The verifier on a trained model: ``check_exact_symmetry`` against ``group`` on inputs ``X (m, n, d)``,
    plus the float64 *closure gap* ``max |f(x) - f(h.x)|`` over the 2-closure witnesses ``h`` (0 up to
    rounding for a model that cannot tell ``G`` from ``G^(2)``)."""
    import copy

    import torch

    from ..breaking import closure_witnesses
    from ..groups import act
    from ..verify import check_exact_symmetry

    model.eval()
    report = check_exact_symmetry(model_function(model, task), group, inputs=[torch.as_tensor(X)], in_axes=1,
                                  out_axes="none", num_random_outside=4, seed=seed)
    twin = copy.deepcopy(model).double()
    fn = model_function(twin, task)
    x = torch.as_tensor(X, dtype=torch.float64)
    with torch.no_grad():
        base = fn(x)
        gap = max((float((fn(act(h, x, axis=1)) - base).abs().max()) for h in closure_witnesses(group)),
                  default=0.0)
    return {
        "equivariant_to_G": bool(report.equivariance.passed),
        "exact": bool(report.passed),
        "respected_order": int(report.respected_order),
        "respected_name": report.respected_name or "",
        "closure_gap": float(f"{gap:.3g}"),
    }


def closure_gaps(*, sign_sizes=(6, 7, 8), chiral=("O",),
                 bases=("default", "gatv2", "transformer", "orbital_mlp", "orbital_sum"), num_inputs: int = 8,
                 width: int = 16, num_layers: int = 2, seed: int = 0,
                 default_options: dict[str, Any] | None = None,
                 frames: int = DEFAULT_FRAMES) -> list[dict[str, Any]]:
    """Closure gap ``max |f(x) - f(h.x)|`` (float64, ``h`` the 2-closure witnesses) of *untrained* models.

    One row per task, input mode (``closure``, ``exact``) and body: whether the architecture can tell ``G``
    from ``G^(2)`` at all before any training (0 up to rounding means it cannot, whatever the weights
    learned later from the same initialisation family). Body ``"default"`` is the ``default-*`` model
    (``ASEN(width=width, **default_options)`` on the input ``add_symmetry`` builds); the others are
    :data:`RECIPE` models with ``num_layers`` layers on :func:`exact_symmetry_input`.
    """
    import torch

    from ..breaking import closure_witnesses
    from ..groups import act

    cfg = {"sign_sizes": tuple(sign_sizes), "chiral": tuple(chiral), "width": width,
           "default_options": default_options or {}, "default_frames": frames}
    out = []
    for label, kind, n, name in _tasks(cfg):
        G, X, y = task_group_and_data(kind, n, name, num_inputs, seed)
        x = torch.as_tensor(X, dtype=torch.float64)
        witnesses = closure_witnesses(G)
        for mode in ("closure", "exact"):
            for base in bases:
                if base == "default":
                    model = f"default-{mode}"
                    task = tensor_task(kind, X, y, X, y, num_classes=2, symmetry=model.replace("-", "_"))
                    sym = model_input(model, G, n, frames=cfg["default_frames"])
                    net = build_net(model, task, sym, cfg, seed=seed)
                else:
                    task = tensor_task(kind, X, y, X, y, num_classes=2, symmetry="s")
                    sym = exact_symmetry_input(G) if mode == "exact" else symmetry_input(G, mode=mode)
                    net = make_asen(task, sym, base=base, width=width, num_layers=num_layers, heads=2, pair_dim=8,
                                    seed=seed, **RECIPE)
                fn = model_function(net.double().eval(), task)
                with torch.no_grad():
                    ref = fn(x)
                    gap = max(float((fn(act(h, x, axis=1)) - ref).abs().max()) for h in witnesses)
                    scale = float(ref.abs().mean())
                out.append({"task": label, "input": mode, "aux_vertices": int(sym.num_aux), "body": base,
                            "closure_gap": float(f"{gap:.3g}"), "output_scale": round(scale, 4)})
    return out


def unit(*, label: str, kind: str, n: int, seed: int, model: str, verify: bool, cfg: dict[str, Any],
         chiral: str | None = None, device: str = "cpu", progress: bool = False) -> list[dict[str, Any]]:
    """Train and score one model on one task and seed (and verify it when asked); one row."""
    limit_threads(2)
    G, X, y = task_group_and_data(kind, n, chiral, cfg["train_size"] + cfg["test_size"], seed)
    m = cfg["train_size"]
    task = tensor_task(kind, X[:m], y[:m], X[m:], y[m:], num_classes=max(2, int(y.max()) + 1),
                       symmetry=model.replace("-", "_"))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", VisibilityWarning)  # the recipe models' 2 layers; reported per row
        sym = model_input(model, G, n, frames=cfg["default_frames"],
                          sparse_frames=cfg.get("sparse_frames", DEFAULT_SPARSE_FRAMES))
        net = build_net(model, task, sym, cfg, seed=seed).to(device)
    score = fit_and_score(net, task, steps=cfg["steps"], batch_size=cfg["batch_size"], lr=cfg["lr"], seed=seed,
                          progress=progress, desc=f"{label} {model} s{seed}")
    cert = getattr(sym, "certificate", None)
    vis = getattr(cert, "visibility", None)
    row = {"task": label, "true_order": G.order(), "model": model, "seed": seed, "aux_vertices": int(sym.num_aux),
           "input_group_order": getattr(cert, "achieved_order", 1),
           "point_rounds": "" if vis is None else ("never" if vis.worst_point is None else vis.worst_point),
           "params": num_parameters(net), **score}
    if verify:
        checked = verify_model(net.cpu(), task, G, X[m : m + cfg["verify_inputs"]], seed=seed)
        row.update({f"verify_{k}": v for k, v in checked.items()})
    return [row]


def plan(cfg: dict[str, Any]) -> list[dict[str, Any]]:
    """The runs of setting ``cfg``: every model on every task for each seed; the first seed's are verified.

    Examples
    --------
    >>> len(plan(FULL))  # (sign A5, A6, handedness PSL(2,7), ratio AGL(1,11), chirality O, T, O-faces, I) x 3 x 6
    144
    """
    bad = [m for m in cfg["models"] if m not in MODELS]
    if bad:
        raise ValueError(f"models must be among {sorted(MODELS)}, got {bad}")
    return [{"label": label, "kind": kind, "n": n, "chiral": chiral, "seed": seed, "model": m,
             "verify": seed == cfg["seeds"][0]}
            for label, kind, n, chiral in _tasks(cfg) for seed in cfg["seeds"] for m in cfg["models"]]


def report(run: ExperimentRun) -> Report:
    """Summary per (task, model), the verifier rows, the closure gaps at initialisation and the bar plot."""
    cfg, rows = run.cfg, run.rows
    summary = mean_std(rows, ["task", "model"], "accuracy")
    checks = [{"task": r["task"], "model": r["model"], "true_order": r["true_order"],
               **{k[7:]: v for k, v in r.items() if k.startswith("verify_")}} for r in rows if "verify_exact" in r]
    gaps = closure_gaps(sign_sizes=cfg["gap_sign_sizes"], chiral=cfg["chiral"], num_inputs=cfg["verify_inputs"],
                        width=cfg["width"], num_layers=cfg["num_layers"], default_options=default_options(cfg),
                        frames=cfg["default_frames"])
    plot = lambda: plot_bars(  # drawn by the harness once the tables are written
        summary, x="task", series="model", path=run.out / "beyond_closure.png", chance=0.5,
        title="non-2-closed tasks: orbital (closure) input vs exact input")
    headline = {f"{r['task']} {r['model']}": f"{r['mean']:.3f} ± {r['std']:.3f}" for r in summary
                if r["model"] in ("default-closure", "default-exact", "asen-closure", "asen-exact", "asen-frames")}
    return Report(summary, tables={"verify": checks, "gaps_at_init": gaps}, plots=[plot],
                  extra={"headline": headline, "verify": checks})


def run(*, quick: bool = False, out_dir: str = "results/beyond-closure", seeds: list[int] | None = None,
        progress: bool = True, jobs: int = 1, device: str = "cpu", **overrides: Any) -> dict[str, Any]:
    """Train every model on every task for each seed, verify the first seed's models, write tables and a plot.

    ``overrides`` replaces keys of :data:`FULL` (e.g. ``sign_sizes=(6, 7)`` for a reduced run).
    """
    return run_experiment("beyond-closure", quick_setting=QUICK, full_setting=FULL, plan=plan, unit=unit,
                          report=report, quick=quick, out_dir=out_dir, seeds=seeds, progress=progress, jobs=jobs,
                          device=device, overrides=overrides, timed=True)
