"""The demo's pieces with tiny settings: certified inputs, one ASEN on two tasks, verifier verdicts."""

import itertools
from pathlib import Path

from asen.cli.demo_cmd import _table
from asen.experiments.demo import DEMO_GROUPS, run_demo


def test_demo_certifies_trains_and_verifies(tmp_path):
    result = run_demo(
        steps=3,
        train_size=40,
        test_size=40,
        width=8,
        layers=1,
        heads=1,
        chirality_steps=3,
        out_dir=str(tmp_path),
        progress=False,
    )
    groups = {(r["group"], r["input"]): r for r in result["groups"]}
    assert len(groups) == len(DEMO_GROUPS) + 2  # + the two cube-chirality inputs of step 4
    cube = groups[("cube_rotations(on=vertices)", "exact")]
    assert (cube["order"], cube["aux"], cube["aut_order"], cube["exact"]) == (24, 24, 24, True)  # the 24 frames
    assert groups[("cube_rotations(on=vertices)", "closure")]["aut_order"] == 48  # O_h
    a8 = groups[("alternating(8)", "exact")]
    assert (a8["order"], a8["2-closed"], a8["aut_order"], a8["exact"]) == (20160, False, 20160, True)
    smallest = groups[("alternating(8)", "smallest")]
    # 140 oriented 4-subsets is the smallest exact input, invisible to colour refinement; the default exact
    # search adds vertices until refinement tells the points from their images under S_8 \ A_8
    assert (smallest["aux"], smallest["aut_order"], smallest["visible"]) == (140, 20160, "never")
    assert a8["aux"] > 140 and a8["visible"].endswith("rounds")
    closure = groups[("alternating(8)", "closure")]
    assert closure["aut_order"] == 40320 and not closure["exact"]  # the 2-closure of A_8 is S_8
    assert all(r["exact"] for (g, mode), r in groups.items() if g != "alternating(8)" and mode != "closure"
               or g not in ("alternating(8)", "cube_rotations(on=vertices)"))
    chirality = {t["group"]: t for t in result["tasks"] if t["task"] == "cube chirality"}
    closure = chirality["cube_rotations(on=vertices) [closure]"]
    assert closure["equivariant"] and not closure["passed"] and closure["respected_order"] == 48
    assert chirality["cube_rotations(on=vertices) [exact]"]["equivariant"]
    trained = [t for t in result["tasks"] if t["accuracy"] is not None and t["task"] != "cube chirality"]
    assert [t["task"] for t in trained] == ["max_window_sum", "longest_constant_run"]
    assert all(t["passed"] and t["verdict"] == "exact" and 0 <= t["accuracy"] <= 1 for t in trained)
    assert all(t["accuracy"] is not None for t in result["tasks"])  # every row of step 2-4 is trained
    assert Path(result["plot"]).read_bytes()[:4] == b"\x89PNG"
    text = _table(
        trained, ["group", "order", "exact", "accuracy", "verdict"], ["group", "|G|", "exact?", "acc", "v"]
    )
    assert "dihedral(10)" in text and "exact" in text


# rows with the structure run_demo gives _plot: two trained sequence tasks, two untrained rows (the plot
# must leave out rows without an accuracy), the two cube-chirality inputs (same task and group, different input: the bars that used to be drawn at one x)
PLOT_ROWS = [
    {"task": "max_window_sum", "group": "dihedral(10)", "accuracy": 0.93, "verdict": "exact", "passed": True},
    {"task": "longest_constant_run", "group": "reversal(10)", "accuracy": 0.88, "verdict": "exact", "passed": True},
    {"task": "sort_sign (untrained)", "group": "alternating(8) [sparse]", "accuracy": None,
     "verdict": "respects symmetric(8)", "passed": False},
    {"task": "sort_sign (untrained)", "group": "alternating(8) [closure]", "accuracy": None,
     "verdict": "respects symmetric(8)", "passed": False},
    {"task": "cube chirality", "group": "cube_rotations(on=vertices) [closure]", "accuracy": 0.5,
     "verdict": "respects order 48", "passed": False},
    {"task": "cube chirality", "group": "cube_rotations(on=vertices) [exact]", "accuracy": 1.0, "verdict": "exact",
     "passed": True},
]  # fmt: skip


def test_demo_plot_puts_every_trained_row_in_its_own_bar_inside_the_figure(tmp_path):
    import matplotlib.pyplot as plt

    from asen.experiments.demo import _figure, _plot

    fig = _figure([2.0, 1.0, 0.5], PLOT_ROWS)
    try:
        ax = fig.axes[1]
        bars = sorted(ax.patches, key=lambda p: p.get_x())
        trained = [r for r in PLOT_ROWS if r["accuracy"] is not None]
        assert [round(b.get_height(), 6) for b in bars] == [r["accuracy"] for r in trained]
        spans = [(b.get_x(), b.get_x() + b.get_width()) for b in bars]
        assert all(right <= left for (_, right), (left, _) in itertools.pairwise(spans))  # side by side
        lo, hi = ax.get_xlim()
        assert lo <= spans[0][0] and spans[-1][1] <= hi  # every bar inside the axes
        labels = [t.get_text() for t in ax.get_xticklabels()]
        assert len(set(labels)) == len(trained)
        assert "closure input" in labels[2] and "exact input" in labels[3]
        centres = [(a + b) / 2 for a, b in spans]
        assert [round(c, 6) for c in ax.get_xticks()] == [round(c, 6) for c in centres]
        fig.canvas.draw()
        renderer, box = fig.canvas.get_renderer(), fig.bbox
        texts = [t for t in ax.get_xticklabels() + ax.texts if t.get_text()]
        assert len(ax.texts) == len(trained)  # one accuracy/verdict label per bar
        for t in texts:  # every label inside the figure
            e = t.get_window_extent(renderer)
            assert box.x0 <= e.x0 and e.x1 <= box.x1 and box.y0 <= e.y0 and e.y1 <= box.y1, t.get_text()
    finally:
        plt.close(fig)
    assert _plot([2.0, 1.0], PLOT_ROWS, tmp_path / "demo.png").read_bytes()[:4] == b"\x89PNG"
