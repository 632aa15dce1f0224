"""Benchmarks for ``asen.models``: batching, the cost of pair colours, dense vs sparse scaling, 8 GiB limit.

One run prints every figure (and writes them as JSON with ``--json``):

1. **Batching.** Forward + backward of the paper's base body (4 x PairGATv2, width 128, 8 heads) on a batch
   of 64 length-10 sequences (``cyclic(10)``, 2-closure colours), batched, against a per-sample loop of the
   *same layer* over an arc list -- the structure of the ASEN paper's released multi-structure model,
   which runs ``GATv2Conv`` sample by sample. Both compute the same numbers (checked before timing).
2. **Pair colours.** The same body and the same ASEN model with and without pair colours.
3. **Scaling.** One training step (forward, MSE loss, backward, Adam) of ``ASEN`` with the default body
   (4 layers, width 128, 8 heads), batch 1, on the ``m x m`` torus with its translation group: dense path
   on the 2-closure input (``n`` colours, ``n^2`` pairs) and sparse path on the certified sparse input (two
   arc classes, ``2n`` arcs). Each configuration runs in a fresh subprocess. Memory is
   **peak RSS minus RSS just before the first step** on CPU (``resource.getrusage`` max RSS and
   ``/proc/self/statm``), and **``torch.cuda.max_memory_allocated`` minus the allocation before the step**
   on CUDA (the allocator's own count; the CUDA context is not included).
4. **8 GiB.** The largest ``n`` whose step fits in 8 GiB, from the measured scaling (dense: ``a + b n^2``,
   sparse: ``a + b n`` through the two largest measured sizes); on CUDA the sparse prediction is also run
   directly under an 8 GiB allocator cap.

Inputs come from ``asen.breaking.symmetry_breaking_input`` and are cached as ``.npz`` files (``--cache``):
the sparse search on the 64 x 64 torus takes minutes, and a machine without pynauty can read the cache.
For sizes past the cache the sparse torus input is built directly (the two shift classes, which is what
the search returns; checked against it on the 16 x 16 torus whenever asen.breaking is importable).

Usage::

    python benchmarks/bench_models.py                   # CPU, n = 256, 1024, 4096
    python benchmarks/bench_models.py --device cuda --json out.json
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import torch
from torch import nn

from asen.models import ASEN, GATv2Body, TransformerBody

GIB = 1024**3
DEFAULT_CACHE = Path(os.environ.get("ASEN_BENCH_CACHE", Path.home() / ".cache" / "asen" / "bench_models"))


# ---------------------------------------------------------------------------------------------- inputs
@dataclass
class PlainInput:
    """The fields of a SymmetryInput that models read (for inputs loaded from the cache)."""

    vertex_colors: np.ndarray
    pair_colors: np.ndarray
    num_points: int
    mode: str
    group: Any = None


def _breaking():
    try:
        from asen.breaking import symmetry_breaking_input
        from asen.groups.spec import parse
    except ImportError:  # no pynauty on this machine: only cached inputs
        return None
    return lambda spec, mode: symmetry_breaking_input(parse(spec), mode=mode)


def symmetry_input(spec: str, mode: str, cache: Path) -> Any:
    """``symmetry_breaking_input(spec, mode)``, through an ``.npz`` cache."""
    path = cache / f"{spec.replace(' ', '').replace('(', '_').replace(')', '').replace(',', '_')}-{mode}.npz"
    if path.exists():
        z = np.load(path)
        return PlainInput(z["vertex_colors"], z["pair_colors"].astype(np.int64), int(z["n"]), mode)
    build = _breaking()
    if build is None:
        raise RuntimeError(f"no cached input {path} and asen.breaking cannot be imported here")
    inp = build(spec, mode)
    if not inp.exact:
        raise RuntimeError(f"{spec} ({mode}) was not certified exact")
    cache.mkdir(parents=True, exist_ok=True)
    small = np.int16 if inp.num_pair_colors < 2**15 else np.int32
    np.savez_compressed(
        path, vertex_colors=inp.vertex_colors, pair_colors=inp.pair_colors.astype(small), n=inp.num_points
    )
    return inp


def torus_arcs(m: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Arcs ``(src, dst, colour)`` of the shift classes ``x -> x + (0, 1)`` (1) and ``x -> x + (1, 0)`` (2)."""
    n = m * m
    r, c = np.divmod(np.arange(n), m)
    src = np.concatenate([np.arange(n), np.arange(n)])
    dst = np.concatenate([r * m + (c + 1) % m, ((r + 1) % m) * m + c])
    return src, dst, np.repeat(np.array([1, 2]), n)


def check_direct_torus(cache: Path) -> str:
    """Compare :func:`torus_arcs` with asen.breaking's certified sparse input on the 16 x 16 torus."""
    if _breaking() is None and not any(cache.glob("torus_translations_16_16-sparse.npz")):
        return "not checked (asen.breaking not importable here)"
    ref = symmetry_input("torus_translations(16,16)", "sparse", cache)
    theirs = {(int(a), int(b), int(ref.pair_colors[a, b])) for a, b in zip(*np.nonzero(ref.pair_colors))}
    mine = set(zip(*(v.tolist() for v in torus_arcs(16))))
    return "identical to asen.breaking's sparse input" if theirs == mine else "DIFFERS from asen.breaking"


# ---------------------------------------------------------------------------------------------- timing
def sync(device: str) -> None:
    if device == "cuda":
        torch.cuda.synchronize()


def timed(fns: dict[str, Any], device: str, *, repeat: int, warmup: int = 1) -> dict[str, float]:
    """Median wall time of each ``fns[k]()`` in seconds, run round-robin.

    Interleaving keeps a comparison fair on a shared machine: a burst of load hits all contenders alike.
    """
    for fn in fns.values():
        for _ in range(warmup):
            fn()
    sync(device)
    times: dict[str, list[float]] = {k: [] for k in fns}
    for _ in range(repeat):
        for k, fn in fns.items():
            start = time.perf_counter()
            fn()
            sync(device)
            times[k].append(time.perf_counter() - start)
    return {k: statistics.median(v) for k, v in times.items()}


def fwd_bwd(call, params: list[torch.Tensor]):
    def run():
        for p in params:
            p.grad = None
        call().square().mean().backward()

    return run


# ---------------------------------------------------------------------------------------------- 1 + 2
def loop_reference(body: GATv2Body, x: torch.Tensor, table: torch.Tensor, edges, colors) -> torch.Tensor:
    """The same body, computed the way the ASEN paper's released multi-structure model does it.

    One sample at a time: look up the per-arc features ``table[colors]`` (its ``EdgeEmbedder``), and in
    every layer project them arc by arc (``GATv2Conv``'s ``lin_edge``), then attend over the arc list
    with a scatter softmax, project, LayerNorm, ReLU and add the residual. Same weights as ``body``.
    """
    from asen.models.pair_ops import scatter_softmax

    snd, rcv = edges
    outs = []
    for b in range(x.shape[0]):
        h = x[b]
        n, W = h.shape
        edge_attr = table[colors]
        for i, conv in enumerate(body.convs):
            H, D = conv.heads, conv.head_dim
            e = conv.lin_pair(edge_attr)  # per arc, per layer
            xs, xt = conv.lin_src(h).view(n, H, D), conv.lin_dst(h).view(n, H, D)
            s = xt[rcv] + xs[snd] + e[:, :W].view(-1, H, D)
            logits = (torch.nn.functional.leaky_relu(s, conv.negative_slope) * conv.att).sum(-1)
            alpha = scatter_softmax(logits, rcv, n)
            msg = alpha.unsqueeze(-1) * (xs[snd] + e[:, W:].view(-1, H, D))
            m = h.new_zeros(n, H, D).index_add_(0, rcv, msg).reshape(n, W) + conv.bias
            h = body._block(i, h, m)
        outs.append(h)
    return torch.stack(outs)


def bench_batching(device: str, cache: Path, repeat: int, *, compile_body: bool = False) -> dict[str, Any]:
    """Batched dense vs batched sparse vs a per-sample loop, forward + backward, B = 64, n = 10."""
    torch.manual_seed(0)
    B, n, W = 64, 10, 128
    inp = symmetry_input("cyclic(10)", "closure", cache)
    colors = torch.as_tensor(np.asarray(inp.pair_colors), device=device)
    C = int(colors.max()) + 1
    body = GATv2Body(W, num_layers=4, heads=8, pair_dim=W).to(device)
    table = nn.Parameter(torch.randn(C, W, device=device))
    x = torch.randn(B, n, W, device=device, requires_grad=True)
    recv, send = torch.meshgrid(torch.arange(n, device=device), torch.arange(n, device=device), indexing="ij")
    edges = torch.stack([send.flatten(), recv.flatten()])  # receiver i reads colour c[i, j]
    ecol = colors.flatten()
    offs = (torch.arange(B, device=device) * n).view(1, B, 1)
    b_edges, b_cols = (edges.unsqueeze(1) + offs).reshape(2, -1), ecol.repeat(B)

    def batched():
        return body(x, table, colors)

    def batched_sparse():
        return body.forward_sparse(x.reshape(B * n, W), table, b_edges, b_cols).view(B, n, W)

    def loop():
        return loop_reference(body, x, table, edges, ecol)

    with torch.no_grad():
        ref = batched()
        err = max(float((loop() - ref).abs().max()), float((batched_sparse() - ref).abs().max()))
    params = [*body.parameters(), table, x]
    loop_vs = timed(
        {
            "dense": fwd_bwd(batched, params),
            "sparse": fwd_bwd(batched_sparse, params),
            "loop": fwd_bwd(loop, params),
        },
        device,
        repeat=max(3, repeat // 3),
    )
    t_l = loop_vs["loop"]
    compiled = {}
    if compile_body:  # torch.compile(fullgraph=True) of the same body; compile time excluded (warm-up)
        cbody = torch.compile(body, fullgraph=True)
        start = time.perf_counter()
        fwd_bwd(lambda: cbody(x, table, colors), params)()
        compiled = {"compile_s": time.perf_counter() - start}
        compiled["batched_dense_compiled_s"] = timed(
            {"c": fwd_bwd(lambda: cbody(x, table, colors), params)}, device, repeat=repeat
        )["c"]
        compiled["speedup_compiled_vs_loop"] = t_l / compiled["batched_dense_compiled_s"]

    # 2. the same body / model without pair colours
    plain = GATv2Body(W, num_layers=4, heads=8, pair_dim=None).to(device)
    tf = TransformerBody(W, num_layers=4, heads=8, pair_dim=W).to(device)
    tf_plain = TransformerBody(W, num_layers=4, heads=8, pair_dim=None).to(device)
    fns = {
        "gatv2": fwd_bwd(batched, params),
        "gatv2_plain": fwd_bwd(lambda: plain(x, None, None), [*plain.parameters(), x]),
        "tf": fwd_bwd(lambda: tf(x, table, colors), [*tf.parameters(), table, x]),
        "tf_plain": fwd_bwd(lambda: tf_plain(x, None, None), [*tf_plain.parameters(), x]),
    }
    xm = torch.randn(B, n, 1, device=device)
    for use in (True, False):
        model = ASEN(1, 1, width=W, num_layers=4, heads=8, use_pair_colors=use, seed=0).to(device)
        model.add_symmetry("c10", inp)
        fns[f"asen_{use}"] = fwd_bwd(lambda m=model: m(xm, "c10"), list(model.parameters()))
    t = timed(fns, device, repeat=repeat)
    t_b, t_s, t_plain = t["gatv2"], loop_vs["sparse"], t["gatv2_plain"]
    t_tf, t_tf_plain, models = t["tf"], t["tf_plain"], {True: t["asen_True"], False: t["asen_False"]}
    t_b_loop = loop_vs["dense"]
    return {
        "batch": B,
        "n": n,
        "max_abs_diff_loop_vs_batched": err,
        "batched_dense_s": t_b,
        "batched_sparse_s": t_s,
        "per_sample_loop_s": t_l,
        "batched_dense_s_in_loop_comparison": t_b_loop,
        "speedup_dense_vs_loop": t_l / t_b_loop,
        "speedup_sparse_vs_loop": t_l / t_s,
        "gatv2_body_no_pairs_s": t_plain,
        "gatv2_pair_cost_ratio": t_b / t_plain,
        "transformer_body_s": t_tf,
        "transformer_body_no_pairs_s": t_tf_plain,
        "transformer_pair_cost_ratio": t_tf / t_tf_plain,
        "asen_model_s": models[True],
        "asen_model_no_pairs_s": models[False],
        "asen_model_pair_cost_ratio": models[True] / models[False],
        **compiled,
    }


# ---------------------------------------------------------------------------------------------- 3
def _rss_bytes() -> int:
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


def one_step(path: str, m: int, device: str, cache: Path, steps: int, direct: bool) -> dict[str, Any]:
    """Run in a fresh process: time and peak memory of ``steps`` training steps on the m x m torus."""
    torch.manual_seed(0)
    n = m * m
    model = ASEN(1, 1, seed=0)
    if direct:
        _add_arc_symmetry(model, "torus", m)
    else:
        inp = symmetry_input(
            f"torus_translations({m},{m})", "closure" if path == "dense" else "sparse", cache
        )
        model.add_symmetry("torus", inp, path=path)
        del inp
    model.to(device)
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    x = torch.randn(1, n, 1, device=device)
    y = torch.randn(1, n, 1, device=device)

    def step():
        opt.zero_grad(set_to_none=True)
        loss = (model(x, "torus") - y).square().mean()
        loss.backward()
        opt.step()

    sync(device)
    if device == "cuda":
        torch.cuda.empty_cache()
        torch.cuda.reset_peak_memory_stats()
        before = torch.cuda.memory_allocated()
    else:
        before = _rss_bytes()
    times = []
    for _ in range(steps + 1):  # the first step also allocates Adam's state; all steps count for the peak
        start = time.perf_counter()
        step()
        sync(device)
        times.append(time.perf_counter() - start)
    if device == "cuda":
        peak = torch.cuda.max_memory_allocated() - before
    else:
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024 - before
    return {
        "path": path,
        "n": n,
        "edges": int(model.symmetries["torus"].edge_index.shape[1]) if path == "sparse" else n * n,
        "step_s": statistics.median(times[1:]) if steps else times[0],
        "first_step_s": times[0],
        "peak_bytes": int(peak),
        "peak_gib": peak / GIB,
        "memory": "cuda allocator peak above resident" if device == "cuda" else "peak RSS above pre-step RSS",
    }


def _add_arc_symmetry(model: ASEN, name: str, m: int) -> None:
    """Register the sparse torus input from its arc list alone (no n x n array: n may be 10^5)."""
    from asen.models import StoredSymmetry

    src, dst, col = torus_arcs(m)
    n, cp = m * m, 3  # colours 0 (background), 1, 2
    edges = np.stack([np.concatenate([src, dst]), np.concatenate([dst, src])])  # both directions
    model.symmetries[name] = StoredSymmetry(
        vertex_colors=torch.zeros(n, dtype=torch.long),
        num_points=n,
        generators=torch.zeros(0, n, dtype=torch.long),
        pair_colors=None,
        edge_index=torch.from_numpy(edges),
        edge_colors=torch.from_numpy(np.concatenate([col, col + cp])),
        num_vertex_colors=1,
        num_pair_colors=2 * cp,
        width=model.width,
        pair_dim=model.pair_dim,
    )


def run_child(
    path: str,
    m: int,
    device: str,
    cache: Path,
    steps: int,
    *,
    direct: bool = False,
    cap_gib: float | None = None,
) -> dict[str, Any]:
    cmd = [
        sys.executable,
        __file__,
        "--threads",
        str(torch.get_num_threads()),
        "--child",
        path,
        str(m),
        "--device",
        device,
        "--cache",
        str(cache),
        "--steps",
        str(steps),
    ]
    if direct:
        cmd.append("--direct")
    if cap_gib:
        cmd += ["--cap-gib", str(cap_gib)]
    proc = subprocess.run(cmd, check=False, capture_output=True, text=True)
    if proc.returncode:
        tail = (proc.stderr or proc.stdout).strip().splitlines()[-1:] or ["?"]
        return {"path": path, "n": m * m, "error": tail[0]}
    return json.loads(proc.stdout.strip().splitlines()[-1])


def fit(rows: list[dict[str, Any]], power: int) -> tuple[float, float, int, int] | None:
    """``(a, b, n1, n2)`` of ``peak = a + b n^power`` through the two largest measured sizes."""
    pts = sorted((r["n"], r["peak_bytes"]) for r in rows if "peak_bytes" in r)
    if len(pts) < 2:
        return None
    (n1, p1), (n2, p2) = pts[-2:]
    b = (p2 - p1) / (n2**power - n1**power)
    return p2 - b * n2**power, b, n1, n2


def fit_limit(rows: list[dict[str, Any]], power: int, budget: float) -> dict[str, Any]:
    """The ``n`` at which the fitted ``a + b n^power`` reaches ``budget`` bytes."""
    f = fit(rows, power)
    if f is None or f[1] <= 0:
        return {"n_max": None, "note": "fewer than two measured sizes, or no growth"}
    a, b, n1, n2 = f
    n_max = int(((budget - a) / b) ** (1 / power)) if budget > a else 0
    return {"n_max": n_max, "a_bytes": a, f"bytes_per_n^{power}": b, "fit_through": [n1, n2]}


# ---------------------------------------------------------------------------------------------- main
def scaling_section(args: argparse.Namespace, report: dict[str, Any]) -> None:
    """Sections 3 and 4: one training step per size and path, then the 8 GiB extrapolation."""
    sides = [int(s) for s in args.sizes.split(",")]
    report["direct_torus_input"] = check_direct_torus(args.cache)
    rows: dict[str, list[dict[str, Any]]] = {"dense": [], "sparse": []}
    for path in ("dense", "sparse"):
        for m in sides:
            f = fit(rows["dense"], 2) if path == "dense" else None
            if f is not None:
                pred = f[0] + f[1] * (m * m) ** 2
                if pred > args.dense_max_gib * GIB:
                    rows[path].append(
                        {"path": path, "n": m * m, "skipped": f"predicted {pred / GIB:.1f} GiB"}
                    )
                    continue
            rows[path].append(run_child(path, m, args.device, args.cache, steps=1 if m * m > 2048 else 3))
    report["scaling"] = rows
    print(
        f"\n## 3. one training step, batch 1, ASEN default body (memory: "
        f"{'cuda allocator peak above resident' if args.device == 'cuda' else 'peak RSS above pre-step RSS'})"
    )
    for path in ("dense", "sparse"):
        for r in rows[path]:
            if "peak_bytes" in r:
                print(
                    f"  {path:6s} n={r['n']:6d}  arcs={r['edges']:9d}  step {r['step_s'] * 1e3:9.1f} ms  "
                    f"peak {r['peak_gib']:7.3f} GiB"
                )
            else:
                print(f"  {path:6s} n={r['n']:6d}  {r.get('skipped') or r.get('error')}")

    budget = args.budget_gib * GIB
    cap = args.budget_gib if args.device == "cuda" else None
    print(f"\n## 4. largest n whose training step fits in {args.budget_gib:g} GiB")
    report["limits"] = {}
    for path, power, rounds in (("dense", 2, args.dense_limit_rounds), ("sparse", 1, args.limit_rounds)):
        measured = [r for r in rows[path] if "peak_bytes" in r]
        first = fit_limit(measured, power, budget)
        print(f"  {path:6s} extrapolated from n = {first.get('fit_through')}: n_max ~ {first['n_max']}")
        checks = []
        for _ in range(rounds):  # measure just under the prediction, then refit through the largest points
            lim = fit_limit(measured, power, budget)
            side = int((0.97 * (lim["n_max"] or 0)) ** 0.5)
            if side * side <= max((r["n"] for r in measured), default=0):
                break
            c = run_child(path, side, args.device, args.cache, 1, direct=path == "sparse", cap_gib=cap)
            checks.append(c)
            if "peak_bytes" not in c:
                print(f"    measured n={c['n']}: fails: {c['error'][:80]}")
                break
            verdict = "fits" if c["peak_bytes"] <= budget else "does NOT fit"
            print(
                f"    measured n={c['n']}: {verdict}, peak {c['peak_gib']:.2f} GiB, step {c['step_s']:.1f} s"
            )
            measured.append(c)
            if c["peak_bytes"] > budget:
                break
        final = fit_limit(measured, power, budget)
        report["limits"][path] = {"first_extrapolation": first, "checks": checks, "final": final}
        print(f"  {path:6s} final: n_max ~ {final['n_max']} (fit through n = {final.get('fit_through')})")
    print(f"\n  direct sparse torus input: {report['direct_torus_input']}")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--device", default="cpu", choices=["cpu", "cuda"])
    ap.add_argument("--sizes", default="16,32,64", help="torus sides m (n = m^2)")
    ap.add_argument(
        "--dense-max-gib",
        type=float,
        default=12.0,
        help="skip a dense size whose step is predicted above this (CPU RAM / GPU memory)",
    )
    ap.add_argument("--budget-gib", type=float, default=8.0)
    ap.add_argument("--limit-rounds", type=int, default=2, help="direct sparse measurements near the limit")
    ap.add_argument(
        "--dense-limit-rounds", type=int, default=1, help="direct dense measurements near the limit"
    )
    ap.add_argument("--repeat", type=int, default=10)
    ap.add_argument("--cache", type=Path, default=DEFAULT_CACHE)
    ap.add_argument("--json", type=Path)
    ap.add_argument("--threads", type=int, help="torch CPU threads (default: torch's choice)")
    ap.add_argument("--skip-batching", action="store_true")
    ap.add_argument("--skip-scaling", action="store_true")
    ap.add_argument("--compile", action="store_true", help="also time torch.compile(body) in section 1")
    ap.add_argument("--child", nargs=2, metavar=("PATH", "M"), help=argparse.SUPPRESS)
    ap.add_argument("--steps", type=int, default=2, help=argparse.SUPPRESS)
    ap.add_argument("--direct", action="store_true", help=argparse.SUPPRESS)
    ap.add_argument("--cap-gib", type=float, help=argparse.SUPPRESS)
    args = ap.parse_args(argv)

    if args.threads:
        torch.set_num_threads(args.threads)
    if args.child:
        if args.cap_gib and args.device == "cuda":
            total = torch.cuda.get_device_properties(0).total_memory
            torch.cuda.set_per_process_memory_fraction(args.cap_gib * GIB / total)
        print(
            json.dumps(
                one_step(args.child[0], int(args.child[1]), args.device, args.cache, args.steps, args.direct)
            )
        )
        return 0

    dev_name = (
        torch.cuda.get_device_name(0) if args.device == "cuda" else f"CPU, {torch.get_num_threads()} threads"
    )
    report: dict[str, Any] = {"device": dev_name, "torch": torch.__version__, "float": "float32"}
    print(f"# asen.models benchmark on {dev_name} (torch {torch.__version__}, float32)")
    if not args.skip_batching:
        r = bench_batching(args.device, args.cache, args.repeat, compile_body=args.compile)
        report["batching"] = r
        print(
            f"\n## 1. forward+backward, {r['batch']} sequences of length {r['n']} (4 x PairGATv2, w128, 8 heads)"
        )
        print(f"  batched dense      {r['batched_dense_s_in_loop_comparison'] * 1e3:9.2f} ms")
        print(f"  batched sparse     {r['batched_sparse_s'] * 1e3:9.2f} ms")
        print(
            f"  per-sample loop    {r['per_sample_loop_s'] * 1e3:9.2f} ms   (max |diff| {r['max_abs_diff_loop_vs_batched']:.1e})"
        )
        print(f"  speed-up dense  vs loop: {r['speedup_dense_vs_loop']:6.1f}x   (target >= 20x)")
        print(f"  speed-up sparse vs loop: {r['speedup_sparse_vs_loop']:6.1f}x")
        if "batched_dense_compiled_s" in r:
            print(
                f"  torch.compile(body)  {r['batched_dense_compiled_s'] * 1e3:9.2f} ms: "
                f"{r['speedup_compiled_vs_loop']:.1f}x vs loop (compiling took {r['compile_s']:.0f} s)"
            )
        print("\n## 2. cost of pair colours (same batch)")
        print(
            f"  GATv2 body   {r['batched_dense_s'] * 1e3:8.2f} ms vs {r['gatv2_body_no_pairs_s'] * 1e3:8.2f} ms without"
            f" pairs: {r['gatv2_pair_cost_ratio']:.2f}x (target <= 1.3x)"
        )
        print(
            f"  transformer  {r['transformer_body_s'] * 1e3:8.2f} ms vs {r['transformer_body_no_pairs_s'] * 1e3:8.2f}"
            f" ms: {r['transformer_pair_cost_ratio']:.2f}x"
        )
        print(
            f"  ASEN model   {r['asen_model_s'] * 1e3:8.2f} ms vs {r['asen_model_no_pairs_s'] * 1e3:8.2f} ms:"
            f" {r['asen_model_pair_cost_ratio']:.2f}x"
        )

    if not args.skip_scaling:
        scaling_section(args, report)
    if args.json:
        args.json.write_text(json.dumps(report, indent=2, default=float))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
