"""Exports to torch, networkx and PyG: same structure, same automorphism group, lazy imports."""

import doctest
import subprocess
import sys

import numpy as np
import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st

from asen.breaking import export, symmetry_breaking_input, to_networkx, to_pyg, to_torch
from asen.breaking.export import _pyg_kwargs
from asen.groups import PermGroup, alternating
from asen.groups.automorphisms import automorphism_group


@pytest.fixture(scope="module")
def a4_exact():
    return symmetry_breaking_input(alternating(4), mode="exact", frames=0, max_growth=1)  # the 6 2-subsets


def test_to_torch_fields(a4_exact):
    t = to_torch(a4_exact)
    assert set(t) == {"vertex_colors", "pair_colors", "edge_index", "edge_colors", "num_points"}
    assert all(v.dtype == torch.long for v in t.values())
    assert t["pair_colors"].shape == (10, 10) and t["vertex_colors"].shape == (10,)
    assert t["edge_index"].shape == (2, a4_exact.num_edges) and t["edge_colors"].shape == (
        a4_exact.num_edges,
    )
    assert int(t["num_points"]) == 4 and t["num_points"].dim() == 0
    assert np.array_equal(t["pair_colors"].numpy(), a4_exact.pair_colors)


def test_sparse_tensors_rebuild_the_dense_colours(a4_exact):
    sparse = symmetry_breaking_input(alternating(4), mode="sparse", frames=0, max_growth=1)
    for inp in (a4_exact, sparse):
        t = to_torch(inp)
        dense = torch.zeros_like(t["pair_colors"])
        dense[t["edge_index"][0], t["edge_index"][1]] = t["edge_colors"]
        assert torch.equal(dense, t["pair_colors"])


def test_lifted_generators_preserve_the_torch_colours(a4_exact):
    t = to_torch(a4_exact)
    lifted = torch.as_tensor(a4_exact.meta["lifted_generators"])
    assert lifted.shape == (len(a4_exact.group.generators), 10) and len(lifted) > 0  # the loop runs
    for g in lifted:
        assert torch.equal(t["vertex_colors"][g], t["vertex_colors"])
        assert torch.equal(t["pair_colors"][g][:, g], t["pair_colors"])


def test_to_networkx_nodes_edges_and_attributes(a4_exact):
    g = to_networkx(a4_exact)
    assert g.is_directed() and g.number_of_nodes() == 10 and g.number_of_edges() == a4_exact.num_edges
    assert [g.nodes[x]["kind"] for x in range(10)] == ["point"] * 4 + ["aux"] * 6
    assert [g.nodes[x]["color"] for x in range(10)] == a4_exact.vertex_colors.tolist()
    assert g.edges[4, 0]["color"] == a4_exact.pair_colors[4, 0]
    assert g.graph == {"num_points": 4, "mode": "exact", "group": "alternating(4)"}


def test_networkx_graph_has_the_certified_group(a4_exact):
    """nauty on the exported graph: Aut restricted to the points is A_4 again (order 12)."""
    aut = automorphism_group(to_networkx(a4_exact), vertex_colors="color", edge_colors="color")
    on_points = PermGroup(aut.generators[:, :4], 4)
    assert on_points.order() == 12 and on_points == a4_exact.group


def _pyg_installed() -> bool:
    try:
        import torch_geometric.data  # noqa: F401
    except ImportError:
        return False
    return True


HAS_PYG = _pyg_installed()


def test_to_pyg_follows_whether_torch_geometric_is_installed(a4_exact):
    """Missing: an ImportError naming the install command and the ``pyg`` extra. Installed: a real ``Data``
    whose fields are the input's arcs, colours and sizes."""
    if not HAS_PYG:
        with pytest.raises(ImportError, match=r"PyTorch Geometric.*pip install torch_geometric.*asen\[pyg\]"):
            to_pyg(a4_exact)
        return
    from torch_geometric.data import Data

    data = to_pyg(a4_exact)
    assert isinstance(data, Data)
    assert data.x is None and data.num_nodes == 10 and data.num_points == 4
    assert torch.equal(data.edge_index, torch.as_tensor(a4_exact.edge_index, dtype=torch.long))
    assert torch.equal(data.edge_attr, torch.as_tensor(a4_exact.edge_colors, dtype=torch.long))
    assert torch.equal(data.vertex_color, torch.as_tensor(a4_exact.vertex_colors, dtype=torch.long))
    assert data.edge_attr.shape == (a4_exact.num_edges,)


def test_to_pyg_without_torch_geometric_in_a_fresh_interpreter(tmp_path):
    """Whatever is installed here, a ``torch_geometric`` that fails to import gives the install hint (a
    package shadowing it on ``sys.path`` that raises ImportError, as a broken or absent install does)."""
    fake = tmp_path / "torch_geometric"
    fake.mkdir()
    (fake / "__init__.py").write_text("raise ImportError('No module named torch_geometric (test)')\n")
    code = (
        "import sys; sys.path.insert(0, sys.argv[1])\n"
        "from asen.breaking import symmetry_breaking_input, to_pyg\n"
        "try:\n"
        "    to_pyg(symmetry_breaking_input('cyclic(3)', mode='sparse'))\n"
        "except ImportError as exc:\n"
        "    print('IMPORTERROR', exc)\n"
    )
    out = subprocess.run([sys.executable, "-c", code, str(tmp_path)], check=True, capture_output=True,
                         text=True).stdout
    assert out.startswith("IMPORTERROR to_pyg needs PyTorch Geometric"), out
    assert "pip install 'asen[pyg]'" in out


def test_pyg_keyword_arguments(a4_exact):
    kw = _pyg_kwargs(a4_exact)
    assert set(kw) == {"x", "edge_index", "edge_attr", "vertex_color", "num_nodes", "num_points"}
    assert kw["x"] is None and kw["num_nodes"] == 10 and kw["num_points"] == 4
    assert torch.equal(kw["edge_index"], torch.as_tensor(a4_exact.edge_index))
    assert kw["edge_attr"].shape == (a4_exact.num_edges,) and kw["edge_attr"].dtype == torch.long
    assert torch.equal(kw["vertex_color"], torch.as_tensor(a4_exact.vertex_colors))


def test_exports_check_their_argument():
    for fn in (to_torch, to_networkx, to_pyg):
        with pytest.raises(TypeError, match="SymmetryInput"):
            fn(np.zeros((3, 3)))


def test_importing_breaking_does_not_import_torch():
    code = "import asen.breaking, sys; assert 'torch' not in sys.modules, 'torch imported'"
    subprocess.run([sys.executable, "-c", code], check=True)


def test_doctests():
    assert doctest.testmod(export).failed == 0


@settings(max_examples=15, deadline=None)
@given(st.integers(2, 6).flatmap(lambda n: st.lists(st.permutations(range(n)), min_size=1, max_size=2)))
def test_networkx_export_keeps_every_arc(gens):
    inp = symmetry_breaking_input(PermGroup(gens), mode="sparse")
    g = to_networkx(inp)
    dense = np.zeros_like(inp.pair_colors)
    for s, d, c in g.edges(data="color"):
        dense[s, d] = c
    assert np.array_equal(dense, inp.pair_colors)
