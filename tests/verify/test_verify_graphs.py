"""Graph checks without PyTorch Geometric: the 'index' action, graph inputs, unions, shrinking, numpy/scipy.

The PyG layers are in ``test_verify_graph_suite.py`` (collected only where torch_geometric is installed).
"""

from __future__ import annotations

import json

import numpy as np
import pytest
from graph_models import (
    FIN,
    GRAPH_SUITE,
    MOLECULE,
    MOLECULE_N,
    GraphCase,
    N,
    numpy_fixed_graph,
    numpy_mean_propagation,
)
from hypothesis import find, given, settings

from asen.cli.main import main
from asen.groups.catalogue import cyclic, symmetric
from asen.verify import (
    EquivarianceReport,
    TensorAction,
    as_graph,
    assert_graph_equivariant,
    check_equivariance,
    check_exact_symmetry,
    check_graph_equivariance,
    graph_group,
    random_graph,
)
from asen.verify import strategies as vs
from asen.verify.axes import check_indices
from asen.verify.graph_batch import graph_respects
from asen.verify.graphs import GRAPH_FAMILIES

QUICK_SEEDS = range(3)
NUMPY_CASES = [c for c in GRAPH_SUITE if not c.pyg]


def _classify(case: GraphCase, seed: int) -> list[str]:
    report = check_graph_equivariance(case.build(seed), seed=seed, **case.check_options())
    return [] if report.passed == case.equivariant else [f"seed {seed}: passed={report.passed}\n{report}"]


# ----------------------------------------------------------------------------- the 'index' action
def test_index_action_text_form_and_relabelling():
    a = TensorAction.parse("index")
    assert a == TensorAction.indices() and str(a) == "index" and not a.is_invariant and a.index
    ei = np.array([[0, 1, 2], [1, 2, 0]], dtype=np.int32)
    g = np.array([2, 0, 1])
    moved = a.apply(g, ei)
    assert moved.dtype == np.int32 and moved.tolist() == [[2, 0, 1], [0, 1, 2]]
    many = a.apply_many(np.stack([np.arange(3), g]), ei)
    assert many.shape == (2, 2, 3) and many[0].tolist() == ei.tolist() and many[1].tolist() == moved.tolist()
    assert a.normalised((2, 17), 3) == a  # any shape
    with pytest.raises(ValueError, match="no point slots"):
        TensorAction(((1,),), index=True)


def test_index_action_on_torch_tensors():
    torch = pytest.importorskip("torch")
    ei = torch.tensor([[0, 1], [1, 2]])
    out = TensorAction.indices().apply(np.array([1, 2, 0]), ei)
    assert isinstance(out, torch.Tensor) and out.tolist() == [[1, 2], [2, 0]]


def test_index_values_are_checked():
    check_indices(np.array([[0, 2]]), 3)
    with pytest.raises(ValueError, match="names point 3"):
        check_indices(np.array([[0, 3]]), 3)
    with pytest.raises(ValueError, match="must hold integers"):
        check_indices(np.array([[0.0, 1.0]]), 3)
    fn = numpy_mean_propagation(0)
    x = np.zeros((4, FIN))
    with pytest.raises(ValueError, match="names point 7"):
        check_equivariance(fn, symmetric(4), [(x, np.array([[0, 7], [1, 2]]))], in_axes=[0, "index"])
    with pytest.raises(ValueError, match="disjoint unions"):
        check_equivariance(fn, symmetric(4), [(x, np.array([[0], [1]]))], in_axes=[0, "index"], batch_axis=0)
    with pytest.raises(ValueError, match="needs graph inputs"):
        check_equivariance(lambda x: x, symmetric(4), shapes=(1, 4, 2), batch_axis="graph")


# ----------------------------------------------------------------------------- graphs and groups
def test_random_graph_families():
    for fam in set(GRAPH_FAMILIES):
        ei = random_graph(9, fam, seed=1)
        assert ei.dtype == np.int64 and ei.shape[0] == 2
        assert not (ei[0] == ei[1]).any()
        pairs = set(map(tuple, ei.T.tolist()))
        assert all((v, u) in pairs for u, v in pairs)  # undirected: both directions
        assert ei.T.tolist() == sorted(ei.T.tolist())
    assert random_graph(5, "empty").shape == (2, 0)
    assert random_graph(5, "star").shape == (2, 8)
    assert random_graph(6, "cycle", directed=True).shape == (2, 6)
    with pytest.raises(ValueError, match="unknown graph family"):
        random_graph(4, "lattice")


def test_as_graph_reads_the_usual_layouts():
    import networkx as nx
    import scipy.sparse as sp

    ring = random_graph(5, "cycle")
    assert as_graph(ring).num_nodes == 5 and as_graph(ring, num_nodes=7).num_nodes == 7
    A = np.zeros((5, 5))
    A[ring[0], ring[1]] = 1
    assert sorted(as_graph(A).edge_index.T.tolist()) == sorted(ring.T.tolist())
    assert as_graph(sp.csr_matrix(A)).num_edges == 10
    assert as_graph(nx.cycle_graph(5)).num_edges == 10
    g = as_graph((np.ones((5, 2)), ring, np.ones((10, 3))))
    assert g.x.shape == (5, 2) and g.edge_attr.shape == (10, 3)
    with pytest.raises(ValueError, match="num_nodes=3"):
        as_graph(ring, num_nodes=3)


def test_graph_group_and_respects():
    A = graph_group(MOLECULE)
    assert A.order() == 4 and graph_respects(A.generators, MOLECULE).all()
    assert graph_group(MOLECULE, "symmetric").order() == 3628800
    hexagon = random_graph(6, "cycle")
    assert graph_group(hexagon).order() == 12
    attrs = np.array([[1.0] if (u, v) in ((0, 1), (1, 0)) else [0.0] for u, v in hexagon.T.tolist()])
    assert graph_group(as_graph((np.zeros((6, 1)), hexagon, attrs))).order() == 2  # one coloured edge
    assert graph_group(hexagon, node_colors=np.eye(2)[[0, 1, 0, 1, 0, 1]]).order() == 6
    assert not graph_respects(cyclic(10).generators, MOLECULE).any()


# ----------------------------------------------------------------------------- the numpy suite
def test_the_graph_suite_has_enough_correct_and_broken_layers():
    assert sum(c.equivariant for c in GRAPH_SUITE) >= 10 and sum(not c.equivariant for c in GRAPH_SUITE) >= 10
    names = " ".join(c.name for c in GRAPH_SUITE)
    for kind in ("GCNConv", "GATv2Conv", "GINConv", "node index", "embedding per node", "numpy", "Aut"):
        assert kind in names
    assert sum(not c.pyg for c in GRAPH_SUITE) >= 6


@pytest.mark.parametrize("case", NUMPY_CASES, ids=[c.name for c in NUMPY_CASES])
def test_numpy_graph_layers_classified_right(case):
    wrong = [w for seed in QUICK_SEEDS for w in _classify(case, seed)]
    assert not wrong, "\n\n".join(wrong)


# ----------------------------------------------------------------------------- shrinking and reports
def test_a_layer_reading_node_indices_shrinks_to_two_nodes_and_one_edge():
    case = next(c for c in NUMPY_CASES if c.name.startswith("numpy edges oriented"))
    report = check_graph_equivariance(case.build(0), num_nodes=20, features=FIN)
    ce = report.counterexample
    assert not report.passed and ce.element == [1, 0]
    assert ce.names == ["x", "edge_index"] and ce.axes == ["0", "index"]
    assert ce.inputs[1].tolist() == [[0, 1], [1, 0]]  # one undirected edge
    text = str(report)
    assert (
        "to a graph on 2 of the 20 nodes" in text and "edge_index = 1 undirected edge (2 stored): 0-1" in text
    )
    again = EquivarianceReport.from_dict(json.loads(json.dumps(report.to_dict())))
    assert again.counterexample.names == ce.names and again.counterexample.inputs[1].dtype == np.int64


def test_the_first_neighbour_rule_needs_three_nodes():
    case = next(c for c in NUMPY_CASES if c.name.startswith("numpy first neighbour"))
    ce = check_graph_equivariance(case.build(1), num_nodes=16, features=FIN, seed=1).counterexample
    assert len(ce.element) == 3 and ce.inputs[1].shape[1] == 4  # a node with two neighbours, swapped
    assert sum(1 for v in ce.element if v != ce.element.index(v)) <= 3


def test_automorphisms_keep_the_graph_and_move_only_x():
    fn = numpy_fixed_graph(0)
    report = check_graph_equivariance(fn, MOLECULE, group="automorphisms", features=FIN)
    assert report.passed and report.in_axes == ["0", "none"] and report.group_order == 4
    broken = lambda x, e: fn(x, e) + 1e-3 * np.arange(MOLECULE_N)[:, None]
    report = check_graph_equivariance(broken, MOLECULE, group="automorphisms", features=FIN)
    ce = report.counterexample
    assert not report.passed and ce.inputs[1].tolist() == MOLECULE.tolist()  # the graph is never shrunk
    assert len(ce.element) == MOLECULE_N


def test_relabelling_needs_the_function_to_read_the_graph():
    report = check_graph_equivariance(numpy_fixed_graph(0), MOLECULE, features=FIN)
    assert not report.passed and report.in_axes == ["0", "index"]


def test_exactness_on_a_fixed_graph():
    fn = numpy_fixed_graph(0)
    x = np.random.default_rng(0).normal(size=(MOLECULE_N, FIN))
    report = check_exact_symmetry(fn, graph_group(MOLECULE), [(x, MOLECULE)], in_axes=[0, "none"])
    assert report.passed and report.equivariance.in_axes == ["0", "none"]


# ----------------------------------------------------------------------------- unions
def test_unions_are_used_and_given_up_when_fn_pools_the_graph():
    fn = numpy_mean_propagation(0)
    calls = []

    def counted(x, e):
        calls.append(x.shape[0])
        return fn(x, e)

    assert check_graph_equivariance(counted, num_nodes=N, features=FIN).passed
    assert max(calls) > N  # many graphs per call
    pooled = next(c for c in NUMPY_CASES if "global context" in c.name).build(0)
    report = check_graph_equivariance(pooled, num_nodes=N, features=FIN)
    assert report.passed and any("evaluated alone" in n for n in report.notes)
    strict = check_graph_equivariance(pooled, num_nodes=N, features=FIN, batch_axis="graph")
    assert not strict.passed and not strict.batch_independent
    calls.clear()
    assert check_graph_equivariance(counted, num_nodes=N, features=FIN, batch_axis=None).passed
    assert set(calls) == {N}


def test_a_function_that_rejects_unions_is_called_per_graph():
    def fixed_size(x, e):
        assert x.shape[0] == N, "one graph only"
        return numpy_mean_propagation(0)(x, e) + np.arange(N)[:, None]

    report = check_graph_equivariance(fixed_size, num_nodes=N, features=FIN)
    assert not report.passed and len(report.counterexample.element) == N  # nodes cannot be deleted


def test_check_equivariance_with_edge_index_tuples_and_shapes():
    fn = numpy_mean_propagation(2)
    G = symmetric(8)
    rng = np.random.default_rng(0)
    examples = [
        (rng.normal(size=(8, FIN)), random_graph(8, fam, seed=k)) for k, fam in enumerate(GRAPH_FAMILIES)
    ]
    assert check_equivariance(fn, G, examples, in_axes=[0, "index"]).passed
    assert check_equivariance(fn, G, examples, in_axes=[0, "index"], batch_axis=None).passed
    generated = check_equivariance(fn, G, in_axes=[0, "index"], shapes=[(8, FIN), (2, 20)])
    assert generated.passed and generated.in_axes == ["0", "index"]


def test_numpy_sparse_input_as_the_graph():
    import scipy.sparse as sp

    A = sp.random(9, 9, density=0.3, random_state=1, format="csr")
    A.data[:] = 1.0
    assert_graph_equivariant(numpy_mean_propagation(0), A, features=FIN)


# ----------------------------------------------------------------------------- strategies and fixtures
@given(vs.graph_inputs(num_nodes=5, features=3, edge_features=2))
@settings(max_examples=25, deadline=None)
def test_graph_inputs_strategy(example):
    x, ei, attr = example
    assert x.shape == (5, 3) and ei.dtype == np.int64 and ei.shape[0] == 2 and attr.shape == (ei.shape[1], 2)
    assert ei.size == 0 or (ei.min() >= 0 and ei.max() < 5)


def test_strategies_shrink_to_small_graphs():
    ei = find(vs.graphs(num_nodes=4, output="edge_index"), lambda e: e.shape[1] >= 4)
    assert ei.shape == (2, 4)
    x, ei = find(vs.graph_inputs(num_nodes=4, features=2), lambda ex: ex[1].shape[1] > 0)
    assert ei.shape == (2, 2) and not x.any()


def test_a_strategy_finds_and_shrinks_a_failure():
    case = next(c for c in NUMPY_CASES if c.name.startswith("numpy edges oriented"))
    report = check_equivariance(
        case.build(0),
        symmetric(5),
        vs.graph_inputs(num_nodes=5, features=FIN),
        in_axes=[0, "index"],
        num_inputs=60,
    )
    assert not report.passed and report.counterexample.family == "hypothesis (shrunk)"


def test_asen_graph_fixture(asen_graph, assert_graph_equivariant):
    x, ei = asen_graph(7, features=FIN)
    assert x.shape == (7, FIN) and x.dtype == np.float32 and ei.shape[0] == 2
    assert_graph_equivariant(numpy_mean_propagation(0), (x.astype(np.float64), ei))
    with pytest.raises(AssertionError, match="FAILED"):
        assert_graph_equivariant(lambda x, e: x * np.arange(7.0)[:, None], (x, ei))


# ----------------------------------------------------------------------------- the CLI
def test_cli_takes_index_axes(capsys, monkeypatch):
    monkeypatch.syspath_prepend(str(__import__("pathlib").Path(__file__).parent))
    base = [
        "verify",
        "graph_models:cli_mean_propagation",
        "--group",
        "symmetric(9)",
        "--in-axes",
        "0",
        "index",
    ]
    assert main(base + ["--shape", f"n,{FIN}", "2,30", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["in_axes"] == ["0", "index"]
    assert (
        main(["verify", "graph_models:cli_index_orientation", *base[2:], "--shape", f"n,{FIN}", "2,30"]) == 1
    )
    assert "edge_index = " in capsys.readouterr().out


def test_the_call_follows_the_required_parameters():
    inner = numpy_mean_propagation(0)

    def weighted(x, edge_index, edge_weight):
        assert edge_weight.shape == (edge_index.shape[1],) and (edge_weight > 0).all()
        return inner(x, edge_index) * 2.0

    report = check_graph_equivariance(weighted, num_nodes=9, features=FIN)
    assert report.passed and report.in_axes == ["0", "index", "none"]
    with pytest.raises(ValueError, match="list the arguments"):
        check_graph_equivariance(weighted, num_nodes=9, call="x, adjacency")
