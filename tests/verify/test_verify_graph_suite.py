"""The graph suite with real PyTorch Geometric layers: correct ones pass, broken ones fail, shrunk.

Collected only where torch_geometric is installed (it is in the ``test`` extra, so ``make test`` and CI
run it); the numpy/scipy half of the suite also runs without PyG in ``test_verify_graphs.py``. The
default run covers 3 seeds of the PyG cases; ``pytest -m slow tests/verify`` covers every case (numpy
too) over the 20 seeds of the issue (model weights, drawn graphs and elements all vary with the seed).
"""

from __future__ import annotations

import pytest

pytest.importorskip("torch_geometric")  # collection guard: this module needs PyG

import numpy as np
import torch
from graph_models import (
    FIN,
    FOUT,
    GRAPH_SUITE,
    MOLECULE,
    MOLECULE_N,
    GraphCase,
    IndexFeature,
    N,
    Oriented,
    gatv2,
    gcn,
    readout,
)
from torch_geometric.data import Batch, Data
from torch_geometric.nn import GCNConv

from asen.verify import check_equivariance, check_exact_symmetry, check_graph_equivariance, graph_group

QUICK_SEEDS = range(3)
ALL_SEEDS = range(20)
PYG_CASES = [c for c in GRAPH_SUITE if c.pyg]


def _classify(case: GraphCase, seed: int) -> list[str]:
    report = check_graph_equivariance(case.build(seed), seed=seed, **case.check_options())
    return [] if report.passed == case.equivariant else [f"seed {seed}: passed={report.passed}\n{report}"]


@pytest.mark.parametrize("case", PYG_CASES, ids=[c.name for c in PYG_CASES])
def test_pyg_layers_classified_right(case):
    wrong = [w for seed in QUICK_SEEDS for w in _classify(case, seed)]
    assert not wrong, "\n\n".join(wrong)


@pytest.mark.slow
@pytest.mark.parametrize("case", GRAPH_SUITE, ids=[c.name for c in GRAPH_SUITE])
def test_graph_suite_classified_right_across_20_seeds(case):
    wrong = [w for seed in ALL_SEEDS for w in _classify(case, seed)]
    assert not wrong, "\n\n".join(wrong)


def test_a_pyg_layer_reading_node_indices_shrinks_to_one_edge():
    torch.manual_seed(0)
    report = check_graph_equivariance(Oriented(), num_nodes=30)
    ce = report.counterexample
    assert not report.passed and ce.element == [1, 0] and ce.inputs[1].tolist() == [[0, 1], [1, 0]]
    assert "to a graph on 2 of the 30 nodes" in str(report)


def test_positional_features_shrink_to_few_nodes_without_edges():
    torch.manual_seed(0)
    ce = check_graph_equivariance(IndexFeature(), num_nodes=25, features=FIN).counterexample
    assert len(ce.element) == 2 and ce.inputs[1].shape == (2, 0)


def test_data_inputs_to_check_equivariance():
    model = gcn(0)
    G = graph_group(MOLECULE, "symmetric")
    x = torch.randn(MOLECULE_N, FIN)
    ei = torch.as_tensor(MOLECULE)

    class OnData(torch.nn.Module):
        def __init__(self):
            super().__init__()
            self.inner = model

        def forward(self, data):
            return self.inner(data.x, data.edge_index)

    data = Data(x=x, edge_index=ei, edge_attr=torch.ones(ei.shape[1], 2))
    report = check_equivariance(OnData(), G, [data])
    assert report.passed and report.in_axes == ["0", "index", "none"]
    aut = graph_group(MOLECULE)
    fixed = check_equivariance(OnData(), aut, [data])
    assert fixed.passed and fixed.in_axes == ["0", "none", "none"]  # Aut maps the graph onto itself: it stays
    exact = check_exact_symmetry(OnData(), aut, [data])
    assert exact.passed  # nothing outside Aut(graph) is respected on this graph
    with pytest.raises(ValueError, match="lack"):
        check_equivariance(OnData(), G, [data], in_axes={"pos": 0})


def test_a_user_batch_moves_its_batch_vector():
    model = readout(0)
    graphs = [
        Data(x=torch.randn(5, FIN), edge_index=torch.tensor([[0, 1, 1, 2], [1, 0, 2, 1]])) for _ in range(2)
    ]
    batch = Batch.from_data_list(graphs)
    from asen.groups.catalogue import symmetric
    from asen.groups.products import direct_product

    per_graph = direct_product(symmetric(5), symmetric(5))  # relabel within each graph
    report = check_equivariance(model, per_graph, [batch], out_axes="none")
    assert report.passed
    mixed = check_equivariance(model, symmetric(10), [batch], out_axes="none")
    assert mixed.passed  # the batch vector moves with the nodes: each graph's readout is unchanged


def test_graph_level_readout_through_batches():
    calls = []
    model = readout(1)
    hook = model.register_forward_hook(lambda m, args, out: calls.append(out.shape[0]))
    report = check_graph_equivariance(model, num_nodes=N, call="data", out_axes="none")
    hook.remove()
    assert report.passed and max(calls) > 1  # many graphs per Batch, one row each
    strict = check_graph_equivariance(readout(1, ignore_batch=True), num_nodes=N, call="data", out_axes="none",
                                      batch_axis="graph")  # fmt: skip
    assert not strict.passed and not strict.batch_independent
    assert "depends on the other inputs in its batch" in str(strict)


def test_molecule_automorphisms_and_node_colours():
    data = Data(x=torch.randn(MOLECULE_N, FIN), edge_index=torch.as_tensor(MOLECULE))
    report = check_graph_equivariance(GCNConv(FIN, FOUT), data, group="automorphisms")
    assert report.passed and report.group_order == 4 and report.worst_family.startswith("given graph")
    colours = np.zeros(MOLECULE_N, dtype=int)
    colours[0] = 1  # a substituent on one alpha carbon: only the identity is left
    assert graph_group(data, node_colors=colours).order() == 1


def test_the_benchmark_model_passes_quickly_enough_to_run_here():
    report = check_graph_equivariance(gatv2(0), num_nodes=50)
    assert report.passed and report.num_checks == 152


def test_gatv2_with_edge_features():
    from torch_geometric.nn import GATv2Conv

    torch.manual_seed(0)
    layer = GATv2Conv(FIN, FOUT, edge_dim=3)
    report = check_graph_equivariance(layer, num_nodes=N)
    assert report.passed and report.in_axes == ["0", "index", "none"]
