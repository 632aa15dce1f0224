"""Read and write graph files: edge lists, GraphML and graph6, as networkx graphs.

Formats
-------
``edgelist``
    One arc or edge per line, ``u v [colour]``, whitespace-separated; ``#`` starts a comment; a line
    with a single token declares a (possibly isolated) vertex. Vertices that are all integers are
    sorted numerically, otherwise kept in order of first appearance. Colours that parse as integers
    become ints, others stay strings; they are stored in the edge attribute ``"color"``. Extensions
    ``.edgelist``, ``.edges``, ``.el``, ``.txt``.
``graphml``
    Through networkx (node and edge attributes kept, node order as in the file). ``.graphml``, ``.xml``.
``graph6``
    Through networkx: undirected, uncoloured, no loops; one graph per file. ``.g6``, ``.graph6``.

Without ``format=`` the format is read off the extension, else sniffed from the content.

Examples
--------
>>> import networkx as nx, tempfile, os
>>> path = os.path.join(tempfile.mkdtemp(), "c4.edgelist")
>>> write_graph(nx.cycle_graph(4), path)
>>> G = read_graph(path)
>>> sorted(G.edges()), G.is_directed()
([(0, 1), (0, 3), (1, 2), (2, 3)], False)
"""

from __future__ import annotations

import os
from typing import Any

import networkx as nx

__all__ = ["GRAPH_FORMATS", "guess_format", "read_graph", "write_graph"]

GRAPH_FORMATS = ("edgelist", "graphml", "graph6")
_EXTENSIONS = {
    ".edgelist": "edgelist",
    ".edges": "edgelist",
    ".el": "edgelist",
    ".txt": "edgelist",
    ".graphml": "graphml",
    ".xml": "graphml",
    ".g6": "graph6",
    ".graph6": "graph6",
}
COLOR_ATTRIBUTE = "color"


def _check_format(fmt: str) -> str:
    if fmt not in GRAPH_FORMATS:
        raise ValueError(f"unknown graph format {fmt!r}; expected one of {', '.join(GRAPH_FORMATS)}")
    return fmt


def guess_format(path: str | os.PathLike) -> str:
    """The format of a graph file from its extension, else from its first bytes.

    Raises
    ------
    FileNotFoundError
        If ``path`` does not exist.
    """
    path = os.fspath(path)
    ext = os.path.splitext(path)[1].lower()
    if ext in _EXTENSIONS:
        return _EXTENSIONS[ext]
    if not os.path.isfile(path):
        raise FileNotFoundError(f"graph file not found: {path}")
    with open(path, "rb") as fh:
        head = fh.read(4096).lstrip()
    if head.startswith((b"<?xml", b"<graphml")):
        return "graphml"
    first = head.split(b"\n", 1)[0].strip()
    if first.startswith(b">>graph6<<"):
        return "graph6"
    if first and all(63 <= c <= 126 for c in first) and not first.startswith(b"#"):
        try:
            nx.from_graph6_bytes(first)
        except Exception:  # noqa: BLE001, S110 - networkx raises several kinds: not graph6 after all
            pass
        else:
            return "graph6"
    return "edgelist"


def read_graph(path: str | os.PathLike, format: str | None = None, *, directed: bool = False) -> nx.Graph:
    """Read a graph file into a networkx ``Graph`` (or ``DiGraph`` for a directed edge list).

    Parameters
    ----------
    path
        The file.
    format
        One of ``GRAPH_FORMATS``; guessed when omitted (:func:`guess_format`).
    directed
        Edge lists only: read ``u v`` as the arc ``u -> v`` (a ``DiGraph``). GraphML says itself.

    Raises
    ------
    FileNotFoundError
        If the file does not exist.
    ValueError
        Unknown format, or a malformed file (the message names the file and, for text formats, the line).

    Examples
    --------
    >>> import os, tempfile
    >>> path = os.path.join(tempfile.mkdtemp(), "arcs.txt")
    >>> _ = open(path, "w").write("# a directed triangle\\n0 1 red\\n1 2 red\\n2 0 blue\\n")
    >>> G = read_graph(path, directed=True)
    >>> G.number_of_edges(), G.edges[2, 0]["color"]
    (3, 'blue')
    """
    path = os.fspath(path)
    fmt = _check_format(format) if format is not None else guess_format(path)
    if not os.path.isfile(path):
        raise FileNotFoundError(f"graph file not found: {path}")
    if fmt == "edgelist":
        return _read_edgelist(path, directed)
    if fmt == "graphml":
        try:
            return nx.read_graphml(path)
        except Exception as exc:  # noqa: BLE001 - networkx raises several kinds for bad XML
            raise ValueError(f"{path}: not a valid GraphML file: {exc}") from None
    return _read_graph6(path)


def _read_graph6(path: str) -> nx.Graph:
    with open(path, "rb") as fh:
        lines = [(k, ln.strip()) for k, ln in enumerate(fh.read().split(b"\n"), 1) if ln.strip()]
    if not lines:
        raise ValueError(f"{path}: empty graph6 file")
    if len(lines) > 1:
        raise ValueError(
            f"{path}: holds {len(lines)} graphs (lines {lines[0][0]}..{lines[-1][0]}); read_graph reads one"
        )
    lineno, data = lines[0]
    data = data.removeprefix(b">>graph6<<")
    try:
        return nx.from_graph6_bytes(data)
    except Exception as exc:  # noqa: BLE001 - NetworkXError, ValueError, IndexError on bad data
        raise ValueError(f"{path}, line {lineno}: not valid graph6: {exc}") from None


def _parse_token(tok: str) -> Any:
    try:
        return int(tok)
    except ValueError:
        return tok


def _read_edgelist(path: str, directed: bool) -> nx.Graph:
    vertices: dict[str, int] = {}  # token -> first line
    arcs: list[tuple[str, str, str | None, int]] = []
    with open(path, encoding="utf-8") as fh:
        try:
            text = fh.read()
        except UnicodeDecodeError as exc:
            raise ValueError(f"{path}: not a text edge list ({exc.reason})") from None
    for lineno, line in enumerate(text.splitlines(), 1):
        tokens = line.split("#", 1)[0].split()
        if not tokens:
            continue
        if len(tokens) > 3:
            raise ValueError(
                f"{path}, line {lineno}: expected 'u v [colour]', got {len(tokens)} fields: {line.strip()!r}"
            )
        for tok in tokens[:2]:
            vertices.setdefault(tok, lineno)
        if len(tokens) >= 2:
            arcs.append((tokens[0], tokens[1], tokens[2] if len(tokens) == 3 else None, lineno))
    coloured = [a for a in arcs if a[2] is not None]
    if coloured and len(coloured) != len(arcs):
        bad = next(a for a in arcs if a[2] is None)
        raise ValueError(f"{path}, line {bad[3]}: edge {bad[0]} {bad[1]} has no colour, but other edges do")
    if all(_is_int(v) for v in vertices):
        label = {v: int(v) for v in vertices}
        order = sorted(vertices, key=int)
    else:
        label = {v: v for v in vertices}
        order = list(vertices)
    G: nx.Graph = nx.DiGraph() if directed else nx.Graph()
    G.add_nodes_from(label[v] for v in order)
    seen: dict[tuple[Any, Any], tuple[Any, int]] = {}
    for u, v, c, lineno in arcs:
        a, b = label[u], label[v]
        key = (a, b) if directed or _sort_key(a) <= _sort_key(b) else (b, a)
        colour = None if c is None else _parse_token(c)
        if key in seen and seen[key][0] != colour:
            raise ValueError(
                f"{path}, line {lineno}: edge {u} {v} repeats line {seen[key][1]} with another colour"
            )
        seen[key] = (colour, lineno)
        if colour is None:
            G.add_edge(a, b)
        else:
            G.add_edge(a, b, **{COLOR_ATTRIBUTE: colour})
    return G


def _is_int(tok: str) -> bool:
    try:
        int(tok)
        return True
    except ValueError:
        return False


def _sort_key(x: Any) -> tuple[str, str]:
    return (type(x).__name__, repr(x))


def write_graph(graph: nx.Graph, path: str | os.PathLike, format: str | None = None) -> None:
    """Write a networkx graph as an edge list, GraphML or graph6 (format from ``format=`` or the extension).

    Edge lists keep the ``"color"`` edge attribute and list isolated vertices on their own lines; a
    ``DiGraph`` is written arc by arc (read it back with ``directed=True``). graph6 refuses directed,
    coloured or looped graphs rather than drop information.

    Raises
    ------
    ValueError
        Unknown format, or a graph that the format cannot hold.
    """
    path = os.fspath(path)
    if format is None:
        format = _EXTENSIONS.get(os.path.splitext(path)[1].lower())
        if format is None:
            raise ValueError(f"cannot tell the graph format of {path!r} from its extension; pass format=")
    fmt = _check_format(format)
    if fmt == "graphml":
        nx.write_graphml(graph, path)
    elif fmt == "graph6":
        if graph.is_directed() or nx.number_of_selfloops(graph) or graph.is_multigraph():
            raise ValueError("graph6 holds simple undirected graphs only; use edgelist or graphml")
        if any(COLOR_ATTRIBUTE in d for _, _, d in graph.edges(data=True)):
            raise ValueError("graph6 cannot hold edge colours; use edgelist or graphml")
        nx.write_graph6(nx.convert_node_labels_to_integers(graph), path, header=False)
    else:
        _write_edgelist(graph, path)


def _write_edgelist(graph: nx.Graph, path: str) -> None:
    for v in graph.nodes:
        text = str(v)
        if not text or any(ch.isspace() for ch in text) or "#" in text:
            raise ValueError(f"vertex {v!r} cannot be written to an edge list (empty, whitespace or '#')")
    kind = "directed" if graph.is_directed() else "undirected"
    lines = [f"# asen edge list: {graph.number_of_nodes()} vertices, {graph.number_of_edges()} {kind} edges"]
    touched = {x for e in graph.edges for x in e}
    lines += [str(v) for v in graph.nodes if v not in touched]
    for u, v, d in graph.edges(data=True):
        colour = d.get(COLOR_ATTRIBUTE)
        if colour is not None and (
            not str(colour) or any(ch.isspace() for ch in str(colour)) or "#" in str(colour)
        ):
            raise ValueError(f"colour {colour!r} of edge ({u!r}, {v!r}) cannot be written to an edge list")
        lines.append(f"{u} {v}" if colour is None else f"{u} {v} {colour}")
    with open(path, "w", encoding="utf-8") as fh:
        fh.write("\n".join(lines) + "\n")
