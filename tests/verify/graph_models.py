"""Graph models for the verifier's tests: correct and deliberately broken, PyG layers and numpy/scipy.

Each case is ``GraphCase(name, build, question, equivariant, pyg, options)``: ``build(seed)`` returns the
callable; ``question`` is ``"relabel"`` (``S_n`` on random graphs of ``N`` nodes) or ``"molecule"``
(``Aut`` of the naphthalene skeleton :data:`MOLECULE`, the graph fixed); ``equivariant`` is the right
verdict of ``check_graph_equivariance``; ``pyg`` says the case needs PyTorch Geometric (imported inside
the builders only, so the numpy cases run without it). Nothing here uses ``asen.models``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import scipy.sparse as sp
import torch
import torch.nn.functional as F
from torch import nn

N = 12  # nodes of the random graphs
FIN, HID, FOUT, EDIM = 6, 8, 4, 3

# naphthalene: two fused hexagons, 10 carbons, Aut of order 4 (two mirror lines)
_RING = [(0, 1), (1, 2), (2, 3), (3, 4), (4, 9), (9, 0), (4, 5), (5, 6), (6, 7), (7, 8), (8, 9)]
MOLECULE = np.array(sorted(_RING + [(b, a) for a, b in _RING]), dtype=np.int64).T.copy()
MOLECULE_N = 10


def molecule_orbits() -> np.ndarray:
    """Orbit id of each atom under Aut(naphthalene): the 2 fusion atoms, 4 alpha and 4 beta positions."""
    ids = np.zeros(MOLECULE_N, dtype=np.int64)
    ids[[4, 9]] = 0
    ids[[0, 3, 5, 8]] = 1
    ids[[1, 2, 6, 7]] = 2
    return ids


# ----------------------------------------------------------------------------- numpy / scipy callables
def _adjacency(edge_index: np.ndarray, n: int) -> sp.csr_matrix:
    """``A[dst, src] = 1``: row i sums the messages into node i."""
    e = edge_index.shape[1]
    return sp.csr_matrix((np.ones(e), (edge_index[1], edge_index[0])), shape=(n, n))


def numpy_mean_propagation(seed: int) -> Callable[..., np.ndarray]:
    """``tanh(x W + mean_{j -> i} x_j V)`` with scipy.sparse: S_n-equivariant."""
    rng = np.random.default_rng(seed)
    W, V = rng.normal(size=(FIN, FOUT)), rng.normal(size=(FIN, FOUT))

    def fn(x: np.ndarray, edge_index: np.ndarray) -> np.ndarray:
        A = _adjacency(edge_index, x.shape[0])
        deg = np.maximum(np.asarray(A.sum(1)).ravel(), 1.0)
        return np.tanh(x @ W + (A @ x) / deg[:, None] @ V)

    return fn


def numpy_gcn(seed: int) -> Callable[..., np.ndarray]:
    """Two GCN layers ``D^-1/2 (A + I) D^-1/2 x W`` with scipy.sparse: S_n-equivariant."""
    rng = np.random.default_rng(seed)
    W1, W2 = rng.normal(size=(FIN, HID)) / FIN**0.5, rng.normal(size=(HID, FOUT)) / HID**0.5

    def fn(x: np.ndarray, edge_index: np.ndarray) -> np.ndarray:
        n = x.shape[0]
        A = _adjacency(edge_index, n) + sp.identity(n)
        d = 1.0 / np.sqrt(np.asarray(A.sum(1)).ravel())
        P = sp.diags(d) @ A @ sp.diags(d)
        return P @ np.tanh(P @ x @ W1) @ W2

    return fn


def numpy_global_context(seed: int) -> Callable[..., np.ndarray]:
    """``x W + mean_j(x_j) U + sum of neighbours``: pools over the whole graph, correct on one graph (so a
    disjoint union of graphs changes it: the check must evaluate one graph per call)."""
    rng = np.random.default_rng(seed)
    W, U = rng.normal(size=(FIN, FOUT)), rng.normal(size=(FIN, FOUT))

    def fn(x: np.ndarray, edge_index: np.ndarray) -> np.ndarray:
        A = _adjacency(edge_index, x.shape[0])
        return (x + A @ x) @ W + x.mean(0, keepdims=True) @ U

    return fn


def numpy_fixed_graph(seed: int) -> Callable[..., np.ndarray]:
    """Propagation over the molecule baked into the function (edge_index is ignored): Aut-equivariant on the
    molecule, not S_n-equivariant."""
    rng = np.random.default_rng(seed)
    W = rng.normal(size=(FIN, FOUT))
    A = _adjacency(MOLECULE, MOLECULE_N)
    deg = np.asarray(A.sum(1)).ravel()

    def fn(x: np.ndarray, edge_index: np.ndarray) -> np.ndarray:
        return np.tanh((x + (A @ x) / deg[:, None]) @ W)

    return fn


def numpy_first_neighbour(seed: int) -> Callable[..., np.ndarray]:
    """Node i copies the features of its lowest-numbered in-neighbour: reads node indices."""
    rng = np.random.default_rng(seed)
    W = rng.normal(size=(FIN, FOUT))

    def fn(x: np.ndarray, edge_index: np.ndarray) -> np.ndarray:
        out = x.copy()
        order = np.lexsort((-edge_index[0], edge_index[1]))[::-1]  # per target, lowest source last
        src, dst = edge_index[0][order], edge_index[1][order]
        out[dst] = x[src]
        return np.tanh(out @ W)

    return fn


def numpy_index_orientation(seed: int) -> Callable[..., np.ndarray]:
    """Keeps only the edges from a lower to a higher index (an orientation taken from the numbering)."""
    inner = numpy_mean_propagation(seed)

    def fn(x: np.ndarray, edge_index: np.ndarray) -> np.ndarray:
        return inner(x, edge_index[:, edge_index[0] < edge_index[1]])

    return fn


def numpy_leak(seed: int) -> Callable[..., np.ndarray]:
    """Mean propagation plus ``1e-3`` times a bias per node position."""
    inner = numpy_mean_propagation(seed)
    b = np.random.default_rng(seed + 1).normal(size=(N, FOUT))
    return lambda x, edge_index: inner(x, edge_index) + 1e-3 * b


# ----------------------------------------------------------------------------- PyG models
def _mlp(a: int, b: int) -> nn.Module:
    return nn.Sequential(nn.Linear(a, HID), nn.ReLU(), nn.Linear(HID, b))


class Stack(nn.Module):
    """Message-passing layers with ReLU between; ``forward(x, edge_index[, extra])``."""

    def __init__(self, layers: list[nn.Module]):
        super().__init__()
        self.layers = nn.ModuleList(layers)

    def forward(self, x: torch.Tensor, edge_index: torch.Tensor, *extra: torch.Tensor) -> torch.Tensor:
        for k, layer in enumerate(self.layers):
            x = layer(x, edge_index, *extra)
            if k < len(self.layers) - 1:
                x = torch.relu(x)
        return x


def _gcn_body() -> nn.Module:
    from torch_geometric.nn import GCNConv

    return Stack([GCNConv(FIN, HID), GCNConv(HID, FOUT)])


def gcn(seed: int) -> nn.Module:
    torch.manual_seed(seed)
    return _gcn_body()


def gatv2(seed: int) -> nn.Module:
    from torch_geometric.nn import GATv2Conv

    torch.manual_seed(seed)
    return Stack([
        GATv2Conv(FIN, HID, heads=2, concat=False), GATv2Conv(HID, HID, heads=2, concat=False),
        GATv2Conv(HID, FOUT, heads=2, concat=False),
    ])  # fmt: skip


def gin(seed: int) -> nn.Module:
    from torch_geometric.nn import GINConv

    torch.manual_seed(seed)
    return Stack([GINConv(_mlp(FIN, HID), train_eps=True), GINConv(_mlp(HID, FOUT))])


def sage(seed: int) -> nn.Module:
    from torch_geometric.nn import SAGEConv

    torch.manual_seed(seed)
    return Stack([SAGEConv(FIN, HID), SAGEConv(HID, FOUT, aggr="max")])


def gine(seed: int) -> nn.Module:
    """GINE layers with edge attributes: ``forward(x, edge_index, edge_attr)``."""
    from torch_geometric.nn import GINEConv

    torch.manual_seed(seed)
    return Stack([GINEConv(_mlp(FIN, HID), edge_dim=EDIM), GINEConv(_mlp(HID, FOUT), edge_dim=EDIM)])


def gcn_weighted(seed: int) -> nn.Module:
    """GCN with edge weights: ``forward(x, edge_index, edge_weight)``."""
    from torch_geometric.nn import GCNConv

    torch.manual_seed(seed)
    return Stack([GCNConv(FIN, HID), GCNConv(HID, FOUT)])


class Readout(nn.Module):
    """``fn(data)``: GCN then mean over each graph's nodes (``data.batch``); ``ignore_batch`` first centres
    the node states over all nodes, which mixes the graphs of a ``Batch`` (correct for one graph alone)."""

    def __init__(self, *, ignore_batch: bool = False):
        super().__init__()
        from torch_geometric.nn import GCNConv

        self.conv = GCNConv(FIN, HID)
        self.out = nn.Linear(HID, FOUT)
        self.ignore_batch = ignore_batch

    def forward(self, data: Any) -> torch.Tensor:
        from torch_geometric.nn import global_mean_pool

        h = torch.relu(self.conv(data.x, data.edge_index))
        if self.ignore_batch:
            h = h - h.mean(0, keepdim=True)  # centred over all nodes of a Batch: mixes its graphs
        return self.out(global_mean_pool(h, data.batch))


def readout(seed: int, **kw: Any) -> nn.Module:
    torch.manual_seed(seed)
    return Readout(**kw)


class NodeEmbedding(nn.Module):
    """GCN on ``x + emb[node]``: a learned embedding per node position (``ids`` shares them, e.g. per orbit)."""

    def __init__(self, n: int, ids: np.ndarray | None = None):
        super().__init__()
        from torch_geometric.nn import GCNConv

        ids = np.arange(n) if ids is None else ids
        self.register_buffer("ids", torch.as_tensor(ids))
        self.emb = nn.Parameter(torch.randn(int(ids.max()) + 1, FIN))
        self.body = Stack([GCNConv(FIN, HID), GCNConv(HID, FOUT)])

    def forward(self, x: torch.Tensor, edge_index: torch.Tensor) -> torch.Tensor:
        return self.body(x + self.emb[self.ids], edge_index)


class IndexFeature(nn.Module):
    """GCN on ``[x, i / n]``: the node index as a positional feature."""

    def __init__(self):
        super().__init__()
        from torch_geometric.nn import GCNConv

        self.body = Stack([GCNConv(FIN + 1, HID), GCNConv(HID, FOUT)])

    def forward(self, x: torch.Tensor, edge_index: torch.Tensor) -> torch.Tensor:
        pos = torch.arange(x.shape[0], dtype=x.dtype)[:, None] / x.shape[0]
        return self.body(torch.cat([x, pos], 1), edge_index)


class Oriented(nn.Module):
    """GCN over the edges from a lower to a higher index only: reads node indices."""

    def __init__(self):
        super().__init__()
        self.body = _gcn_body()

    def forward(self, x: torch.Tensor, edge_index: torch.Tensor) -> torch.Tensor:
        return self.body(x, edge_index[:, edge_index[0] < edge_index[1]])


class ArgmaxMark(nn.Module):
    """GCN plus a one-hot mark on the argmax node of feature 0 (ties go to the lowest index)."""

    def __init__(self):
        super().__init__()
        self.body = _gcn_body()

    def forward(self, x: torch.Tensor, edge_index: torch.Tensor) -> torch.Tensor:
        mark = F.one_hot(x[:, 0].argmax(), x.shape[0]).to(x.dtype)[:, None]
        return self.body(x, edge_index) + mark


class PositionLeak(nn.Module):
    """A correct model plus ``1e-3`` times a bias per node position."""

    def __init__(self, inner: nn.Module, n: int = N):
        super().__init__()
        self.inner = inner
        self.pos = nn.Parameter(torch.randn(n, FOUT))

    def forward(self, x: torch.Tensor, edge_index: torch.Tensor) -> torch.Tensor:
        return self.inner(x, edge_index) + 1e-3 * self.pos


class AlwaysDropout(nn.Module):
    """GCN with dropout that stays on in eval mode."""

    def __init__(self):
        super().__init__()
        self.body = _gcn_body()

    def forward(self, x: torch.Tensor, edge_index: torch.Tensor) -> torch.Tensor:
        return F.dropout(self.body(x, edge_index), p=0.3, training=True)


def _seeded(cls: Callable[..., nn.Module], *args: Any, **kw: Any) -> Callable[[int], nn.Module]:
    def build(seed: int) -> nn.Module:
        torch.manual_seed(seed)
        return cls(*args, **kw)

    return build


# ----------------------------------------------------------------------------- the suite
@dataclass
class GraphCase:
    """One graph function with its question and the right verdict."""

    name: str
    build: Callable[[int], Any]
    question: str  # "relabel": S_n on random graphs of N nodes; "molecule": Aut(MOLECULE), graph fixed
    equivariant: bool
    pyg: bool = True
    options: dict[str, Any] = field(default_factory=dict)

    def check_options(self) -> dict[str, Any]:
        if self.question == "molecule":
            return {"graph": MOLECULE, "group": "automorphisms", "features": FIN, **self.options}
        return {"num_nodes": N, "features": FIN, **self.options}


DATA = {"call": "data", "out_axes": "none"}

GRAPH_SUITE: list[GraphCase] = [
    # correct: PyG layers
    GraphCase("GCNConv x2 / S_n", gcn, "relabel", True),
    GraphCase("GATv2Conv x3 / S_n", gatv2, "relabel", True),
    GraphCase("GINConv x2 / S_n", gin, "relabel", True),
    GraphCase("SAGEConv mean+max / S_n", sage, "relabel", True),
    GraphCase("GINEConv with edge_attr / S_n", gine, "relabel", True, options={"edge_features": EDIM}),
    GraphCase(
        "GCNConv with edge_weight / S_n",
        gcn_weighted,
        "relabel",
        True,
        options={"call": "x, edge_index, edge_weight"},
    ),
    GraphCase("fn(data) GCN + global_mean_pool / S_n", readout, "relabel", True, options=dict(DATA)),
    GraphCase("GCNConv x2 on the molecule / Aut", gcn, "molecule", True),
    GraphCase(
        "orbit-shared embedding on the molecule / Aut",
        _seeded(NodeEmbedding, MOLECULE_N, molecule_orbits()),
        "molecule",
        True,
    ),
    # correct: numpy / scipy.sparse
    GraphCase("numpy mean propagation / S_n", numpy_mean_propagation, "relabel", True, pyg=False),
    GraphCase("numpy 2-layer GCN (scipy.sparse) / S_n", numpy_gcn, "relabel", True, pyg=False),
    GraphCase(
        "numpy global context (pools the graph) / S_n", numpy_global_context, "relabel", True, pyg=False
    ),
    GraphCase("numpy graph baked in, on the molecule / Aut", numpy_fixed_graph, "molecule", True, pyg=False),
    # broken: PyG
    GraphCase("learned embedding per node / S_n", _seeded(NodeEmbedding, N), "relabel", False),
    GraphCase("node index as a feature / S_n", _seeded(IndexFeature), "relabel", False),
    GraphCase("edges oriented by node index / S_n", _seeded(Oriented), "relabel", False),
    GraphCase("tie-break argmax mark / S_n", _seeded(ArgmaxMark), "relabel", False),
    GraphCase("leak 1e-3 position bias on GATv2 / S_n", lambda s: PositionLeak(gatv2(s)), "relabel", False),
    GraphCase("dropout always on / S_n", _seeded(AlwaysDropout), "relabel", False),
    GraphCase(
        "fn(data) pools all nodes of a Batch / S_n",
        lambda s: readout(s, ignore_batch=True),
        "relabel",
        False,
        options={**DATA, "batch_axis": "graph"},
    ),
    GraphCase(
        "learned embedding per atom on the molecule / Aut",
        _seeded(NodeEmbedding, MOLECULE_N),
        "molecule",
        False,
    ),
    GraphCase("node index as a feature on the molecule / Aut", _seeded(IndexFeature), "molecule", False),
    # broken: numpy / scipy.sparse
    GraphCase("numpy first neighbour by index / S_n", numpy_first_neighbour, "relabel", False, pyg=False),
    GraphCase("numpy edges oriented by index / S_n", numpy_index_orientation, "relabel", False, pyg=False),
    GraphCase("numpy leak 1e-3 position bias / S_n", numpy_leak, "relabel", False, pyg=False),
    GraphCase(
        "numpy graph baked in / S_n",
        numpy_fixed_graph,
        "relabel",
        False,
        pyg=False,
        options={"num_nodes": MOLECULE_N},
    ),
]


# ----------------------------------------------------------------------------- no-argument factories (CLI)
def cli_mean_propagation() -> Callable[..., np.ndarray]:
    """``asen verify graph_models:cli_mean_propagation --in-axes 0 index``: S_n-equivariant."""
    return numpy_mean_propagation(0)


def cli_index_orientation() -> Callable[..., np.ndarray]:
    """Keeps the edges from lower to higher index: not S_n-equivariant."""
    return numpy_index_orientation(0)
