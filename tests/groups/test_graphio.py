"""Graph files: round trips through every format, format sniffing, and errors naming file and line."""

from __future__ import annotations

import networkx as nx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from asen.groups.automorphisms import automorphism_group, is_isomorphic
from asen.groups.graphio import GRAPH_FORMATS, guess_format, read_graph, write_graph


def _write(tmp_path, name, text, mode="w"):
    path = tmp_path / name
    if mode == "w":
        path.write_text(text)
    else:
        path.write_bytes(text)
    return path


# ------------------------------------------------------------------ reading
def test_edgelist_with_comments_colours_and_isolated_vertices(tmp_path):
    path = _write(tmp_path, "g.edgelist", "# header\n0 1 2   # trailing comment\n\n1 2 2\n2 0 7\n5\n")
    G = read_graph(path)
    assert list(G.nodes) == [0, 1, 2, 5]
    assert G.edges[0, 1]["color"] == 2 and G.edges[0, 2]["color"] == 7
    assert not G.is_directed()


def test_edgelist_string_labels_keep_first_appearance(tmp_path):
    G = read_graph(_write(tmp_path, "g.txt", "b a red\na c blue\n"))
    assert list(G.nodes) == ["b", "a", "c"] and G.edges["a", "c"]["color"] == "blue"


def test_directed_edgelist(tmp_path):
    G = read_graph(_write(tmp_path, "c.el", "0 1\n1 2\n2 0\n"), directed=True)
    assert G.is_directed() and automorphism_group(G).order() == 3


def test_graph6_and_header(tmp_path):
    data = nx.to_graph6_bytes(nx.petersen_graph(), header=True)
    G = read_graph(_write(tmp_path, "p.g6", data, mode="b"))
    assert automorphism_group(G).order() == 120


@pytest.mark.parametrize(
    "name, content, fmt",
    [
        ("a.graphml", b"", "graphml"),
        ("a.G6", b"", "graph6"),
        ("a.unknown", b'<?xml version="1.0"?><graphml/>', "graphml"),
        ("a.unknown", b">>graph6<<Ch\n", "graph6"),
        ("a.unknown", nx.to_graph6_bytes(nx.cycle_graph(5), header=False), "graph6"),
        ("a.unknown", b"0 1\n1 2\n", "edgelist"),
        ("a.unknown", b"# only a comment ?@\n0 1\n", "edgelist"),
    ],
)
def test_guess_format(tmp_path, name, content, fmt):
    assert guess_format(_write(tmp_path, name, content, mode="b")) == fmt


# ------------------------------------------------------------------ round trips
@pytest.mark.parametrize("fmt", GRAPH_FORMATS)
def test_round_trip_petersen(tmp_path, fmt):
    path = tmp_path / f"p.{fmt}"
    write_graph(nx.petersen_graph(), path, fmt)
    G = read_graph(path, fmt)
    assert is_isomorphic(G, nx.petersen_graph())


@pytest.mark.parametrize("fmt, ext", [("edgelist", "edges"), ("graphml", "graphml")])
def test_round_trip_coloured_digraph(tmp_path, fmt, ext):
    g = nx.DiGraph()
    g.add_nodes_from(range(5))
    g.add_edges_from([(0, 1, {"color": 1}), (1, 2, {"color": 2}), (2, 0, {"color": 1}), (3, 3, {"color": 4})])
    path = tmp_path / f"g.{ext}"
    write_graph(g, path)
    back = read_graph(path, directed=True)
    assert back.is_directed() and back.number_of_nodes() == 5  # vertex 4 is isolated
    if fmt == "graphml":
        back = nx.relabel_nodes(back, int)
    assert is_isomorphic(back, g, edge_colors="color")


@settings(max_examples=40, deadline=None, derandomize=True)
@given(st.integers(1, 9), st.data())
def test_round_trip_random_graphs(tmp_path_factory, n, data):
    edges = data.draw(
        st.sets(st.tuples(st.integers(0, n - 1), st.integers(0, n - 1)).filter(lambda e: e[0] < e[1]))
    )
    g = nx.Graph()
    g.add_nodes_from(range(n))
    g.add_edges_from(edges)
    folder = tmp_path_factory.mktemp("rt")
    for fmt in GRAPH_FORMATS:
        write_graph(g, folder / f"g.{fmt}", fmt)
        back = read_graph(folder / f"g.{fmt}", fmt)
        assert back.number_of_nodes() == n and is_isomorphic(back, g)


# ------------------------------------------------------------------ errors
def test_missing_file(tmp_path):
    with pytest.raises(FileNotFoundError, match="nope.edgelist"):
        read_graph(tmp_path / "nope.edgelist")
    with pytest.raises(FileNotFoundError, match="nope.dat"):
        read_graph(tmp_path / "nope.dat")


def test_unknown_format(tmp_path):
    path = _write(tmp_path, "g.txt", "0 1\n")
    with pytest.raises(ValueError, match="unknown graph format 'dot'"):
        read_graph(path, "dot")
    with pytest.raises(ValueError, match="from its extension"):
        write_graph(nx.path_graph(2), tmp_path / "g.dot")


@pytest.mark.parametrize(
    "text, words",
    [
        ("0 1\n0 1 2 3\n", "line 2: expected 'u v \\[colour\\]', got 4 fields"),
        ("0 1 red\n1 2\n", "line 2: edge 1 2 has no colour"),
        ("0 1 red\n1 0 blue\n", "line 2: edge 1 0 repeats line 1 with another colour"),
    ],
)
def test_malformed_edgelist_names_file_and_line(tmp_path, text, words):
    path = _write(tmp_path, "bad.edgelist", text)
    with pytest.raises(ValueError, match="bad.edgelist, " + words):
        read_graph(path)


def test_malformed_graph6_and_graphml(tmp_path):
    with pytest.raises(ValueError, match=r"bad.g6, line 1: not valid graph6"):
        read_graph(_write(tmp_path, "bad.g6", "Ch~~~~\n"))
    with pytest.raises(ValueError, match="holds 2 graphs"):
        read_graph(_write(tmp_path, "two.g6", "Ch\nCh\n"))
    with pytest.raises(ValueError, match="bad.graphml: not a valid GraphML"):
        read_graph(_write(tmp_path, "bad.graphml", "<graphml><node"))
    with pytest.raises(ValueError, match="not a text edge list"):
        read_graph(_write(tmp_path, "bin.edgelist", b"\xff\xfe\x00", mode="b"))


def test_graph6_refuses_what_it_cannot_hold(tmp_path):
    with pytest.raises(ValueError, match="simple undirected"):
        write_graph(nx.DiGraph([(0, 1)]), tmp_path / "d.g6")
    with pytest.raises(ValueError, match="edge colours"):
        write_graph(nx.Graph([(0, 1, {"color": 2})]), tmp_path / "c.g6")


def test_edgelist_refuses_unwritable_labels(tmp_path):
    with pytest.raises(ValueError, match="cannot be written"):
        write_graph(nx.Graph([("a b", "c")]), tmp_path / "g.edgelist")
