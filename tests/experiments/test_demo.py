"""The demo's pieces with tiny settings: certified inputs, one ASEN on two tasks, verifier verdicts."""

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
    assert (cube["order"], cube["aux"], cube["aut_order"], cube["exact"]) == (24, 24, 24, True)
    assert groups[("cube_rotations(on=vertices)", "closure")]["aut_order"] == 48  # O_h
    a8 = groups[("alternating(8)", "exact")]
    assert (a8["order"], a8["2-closed"], a8["aux"], a8["aut_order"], a8["exact"]) == (
        20160,
        False,
        140,
        20160,
        True,
    )
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
    probes = [t for t in result["tasks"] if t["accuracy"] is None]
    assert all(t["equivariant"] for t in probes)  # A_8-invariant in every case
    assert Path(result["plot"]).read_bytes()[:4] == b"\x89PNG"
    text = _table(
        trained, ["group", "order", "exact", "accuracy", "verdict"], ["group", "|G|", "exact?", "acc", "v"]
    )
    assert "dihedral(10)" in text and "exact" in text
