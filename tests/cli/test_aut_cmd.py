"""``asen aut``: JSON and text output on graph files of each format, colours, errors, installed script."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import networkx as nx
import numpy as np
import pytest

from asen.cli.main import main
from asen.groups import PermGroup
from asen.groups.graphio import write_graph

ASEN = Path(sys.executable).with_name("asen")


def _json(capsys, *argv):
    assert main(["aut", *argv, "--json"]) == 0
    out = capsys.readouterr().out
    assert out.count("\n") == 1  # one JSON object on one line
    return json.loads(out)


@pytest.fixture
def petersen(tmp_path):
    path = tmp_path / "petersen.g6"
    write_graph(nx.petersen_graph(), path)
    return path


def test_json_for_petersen(capsys, petersen):
    info = _json(capsys, str(petersen))
    assert info["degree"] == 10 and info["order"] == 120 and info["orbits"] == 1 and info["transitive"]
    assert info["format"] == "graph6" and info["num_generators"] == len(info["generators"])
    A = nx.to_numpy_array(nx.petersen_graph(), dtype=int)
    assert info["generators"]  # the loop below checks something
    for g in info["generators"]:
        assert sorted(g) == list(range(10)) and (A[g][:, g] == A).all()
    assert PermGroup(info["generators"], 10).order() == 120  # and they generate the whole group


def test_text_output(capsys, petersen):
    assert main(["aut", str(petersen)]) == 0
    out = capsys.readouterr().out
    assert "order       120" in out and "transitive" in out and "(1," in out  # GAP cycles, 1-based


def test_directed_coloured_edgelist(capsys, tmp_path):
    path = tmp_path / "arcs.txt"
    path.write_text(
        "# directed 6-cycle, alternating arc colours\n"
        + "".join(f"{i} {(i + 1) % 6} {i % 2}\n" for i in range(6))
    )
    assert _json(capsys, str(path), "--directed")["order"] == 3
    assert _json(capsys, str(path), "--directed", "--no-colors")["order"] == 6
    info = _json(capsys, str(path))  # undirected: the dihedral group of the coloured hexagon
    assert info["order"] == 6 and info["edge_colors"] == "color" and not info["directed"]


def test_vertex_colours_from_graphml(capsys, tmp_path):
    g = nx.cycle_graph(6)
    nx.set_node_attributes(g, {v: v % 2 for v in g}, "side")
    path = tmp_path / "hex.graphml"
    write_graph(g, path)
    assert _json(capsys, str(path))["order"] == 12
    info = _json(capsys, str(path), "--vertex-color", "side")
    assert info["order"] == 6 and info["orbits"] == 2 and info["nodes"] == [str(v) for v in range(6)]


def test_edge_colours_from_a_named_graphml_attribute(capsys, tmp_path):
    """--edge-color ATTR: edge colours read from ATTR (not the default 'color'), so they count."""
    g = nx.cycle_graph(6)
    nx.set_edge_attributes(g, {(i, (i + 1) % 6): i % 2 for i in range(6)}, "kind")
    path = tmp_path / "hex_edges.graphml"
    write_graph(g, path)
    plain = _json(capsys, str(path))
    assert plain["order"] == 12 and plain["edge_colors"] is None  # no 'color' attribute: ignored
    coloured = _json(capsys, str(path), "--edge-color", "kind")
    assert coloured["order"] == 6 and coloured["edge_colors"] == "kind"
    assert _json(capsys, str(path), "--edge-color", "kind", "--no-colors")["order"] == 12


def test_format_option_and_generators_generate(capsys, tmp_path):
    path = tmp_path / "cube.data"
    write_graph(nx.convert_node_labels_to_integers(nx.hypercube_graph(3)), path, "edgelist")
    info = _json(capsys, str(path), "--format", "edgelist")
    assert info["order"] == 48 and info["format"] == "edgelist"
    assert PermGroup(info["generators"], 8).order() == 48  # the image lists generate the whole group


@pytest.mark.parametrize(
    "name, words", [("missing.g6", "not found"), ("bad.edgelist", "bad.edgelist, line 2")]
)
def test_errors_exit_2_with_message(capsys, tmp_path, name, words):
    (tmp_path / "bad.edgelist").write_text("0 1\n1 2 3 4\n")
    assert main(["aut", str(tmp_path / name)]) == 2
    assert words in capsys.readouterr().err


def test_installed_script(petersen):
    done = subprocess.run(
        [str(ASEN), "aut", str(petersen), "--json"], capture_output=True, text=True, timeout=120, check=False
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["order"] == 120


# ------------------------------------------------------------------ --engine
@pytest.mark.parametrize("engine", ["nauty", "bliss", "both"])
def test_engine_option_names_the_engines_and_gives_the_same_group(capsys, petersen, engine):
    info = _json(capsys, str(petersen), "--engine", engine)
    expected = ["nauty", "bliss"] if engine == "both" else [engine]
    assert info["order"] == 120 and info["engines"] == expected
    assert info["engines_agree"] is (True if engine == "both" else None) and info["disagreement"] is None
    assert (info["nauty_order"] is None) == (engine == "bliss")
    assert set(expected) <= set(info["seconds"])
    assert PermGroup(info["generators"], 10).order() == 120


def test_auto_picks_bliss_for_a_large_sparse_graph_and_both_agree(capsys, tmp_path):
    path = tmp_path / "torus.edgelist"
    write_graph(nx.convert_node_labels_to_integers(nx.grid_2d_graph(16, 16, periodic=True)), path, "edgelist")
    assert _json(capsys, str(path))["engines"] == ["bliss"]  # n = 256 >= 100 and sparse
    info = _json(capsys, str(path), "--engine", "both")
    assert info["order"] == 8 * 16 * 16 and info["engines_agree"] is True


def test_both_in_text_output(capsys, petersen):
    assert main(["aut", str(petersen), "--engine", "both"]) == 0
    assert "engine      nauty and bliss (agree)" in capsys.readouterr().out


def test_disagreement_names_what_differs():
    """The comparison ``--engine both`` runs, on reports of two different real graphs."""
    from asen.cli.aut_cmd import disagreement
    from asen.groups.automorphisms import automorphism_report

    petersen = automorphism_report(nx.petersen_graph(), engine="nauty")
    assert disagreement(petersen, automorphism_report(nx.petersen_graph(), engine="bliss")) is None
    assert "disagree on |Aut|: 120 against 20" in disagreement(
        petersen, automorphism_report(nx.circulant_graph(10, [1, 2]), engine="bliss")
    )
    c10 = automorphism_report(nx.cycle_graph(10), engine="nauty")  # D_10, order 20, on other edges:
    swap = [1, 0, *range(2, 10)]
    swapped = nx.to_numpy_array(nx.cycle_graph(10), dtype=int)[np.ix_(swap, swap)]
    other = automorphism_report(adjacency=swapped, engine="bliss")  # the 10-cycle 1-0-2-3-...: another D_10
    assert "different groups of order 20" in disagreement(c10, other)
    assert "10 and 12 vertices" in disagreement(c10, automorphism_report(nx.cycle_graph(12), engine="bliss"))


def test_unknown_engine_is_refused(capsys, petersen):
    with pytest.raises(SystemExit) as exc:
        main(["aut", str(petersen), "--engine", "traces"])
    assert exc.value.code == 2 and "invalid choice: 'traces'" in capsys.readouterr().err


def test_a_directory_is_named_as_one(capsys, tmp_path):
    assert main(["aut", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert err == f"asen aut: error: {tmp_path} is a directory, not a graph file\n"
