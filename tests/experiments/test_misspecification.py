"""The misspecification setting: which runs it plans (no training; the smoke run is in test_experiments)."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from asen.experiments.misspecification import CASES, FULL, OPT_IN, QUICK, plan, run


def test_full_leaves_the_exact_a8_runs_out_and_exact_a8_puts_them_back():
    runs = plan(FULL)
    assert len(runs) == 102  # 17 cases x 2 sizes x 3 seeds: the 30-minute budget on 2 CPU cores
    assert not [r for r in runs if r["symmetry"] == "alternating(8)"]
    sort_sign = {r["variant"] for r in runs if r["task"] == "sort_sign"}
    assert sort_sign == {"larger", "trivial"}
    extra = [r for r in plan({**FULL, "exact_a8": True}) if r not in runs]
    assert len(extra) == 6 and {(r["task"], r["variant"], r["symmetry"]) for r in extra} == {
        ("sort_sign", "true", "alternating(8)")
    }


def test_quick_and_full_know_the_same_keys():
    assert set(QUICK) == set(FULL) and QUICK["exact_a8"] is False
    assert {r["variant"] for r in plan(QUICK)} == {"true", "larger", "trivial"}


def test_unknown_task_is_rejected_before_training(tmp_path):
    with pytest.raises(ValueError, match="tasks must be among"):
        run(quick=True, out_dir=str(tmp_path), progress=False, tasks=["nope"])
    with pytest.raises(ValueError, match="unknown setting 'exact'"):
        run(quick=True, out_dir=str(tmp_path), progress=False, exact=True)
    assert not list(tmp_path.iterdir())


@given(
    tasks=st.lists(st.sampled_from(sorted(CASES)), min_size=1, max_size=5, unique=True),
    sizes=st.lists(st.integers(1, 500), min_size=1, max_size=3, unique=True),
    seeds=st.lists(st.integers(0, 9), min_size=1, max_size=3, unique=True),
    exact=st.booleans(),
)
def test_plan_is_every_kept_case_times_sizes_times_seeds(tasks, sizes, seeds, exact):
    cfg = {**FULL, "tasks": tasks, "sizes": sizes, "seeds": seeds, "exact_a8": exact}
    runs = plan(cfg)
    cases = [(t, v) for t in tasks for v, _ in CASES[t] if exact or (t, v) not in OPT_IN]
    assert len(runs) == len(cases) * len(sizes) * len(seeds)
    assert len({tuple(sorted(r.items())) for r in runs}) == len(runs)
    assert all(r["size"] in sizes and r["seed"] in seeds for r in runs)
