"""Without the ``experiments`` extra: tqdm is a runtime dependency, matplotlib/scikit-learn fail with a message
naming ``pip install 'asen[experiments]'`` (simulated by putting ``None`` in ``sys.modules``)."""

import configparser
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from asen.experiments.extras import INSTALL_HINT, MissingExtraError, import_extra, pyplot

ROOT = Path(__file__).resolve().parents[2]
HINT = "pip install 'asen[experiments]'"


def _requirements(value: str) -> set[str]:
    names = set()
    for line in value.splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            names.add(line.split(">")[0].split("=")[0].split("<")[0].strip().lower())
    return names


def test_tqdm_is_a_runtime_dependency_and_the_extra_has_the_rest():
    cfg = configparser.ConfigParser()
    cfg.read(ROOT / "setup.cfg")
    assert "tqdm" in _requirements(cfg["options"]["install_requires"])
    extra = _requirements(cfg["options.extras_require"]["experiments"])
    assert {"matplotlib", "scikit-learn"} <= extra
    assert INSTALL_HINT == HINT


@pytest.fixture
def no_matplotlib(monkeypatch):
    for name in [m for m in sys.modules if m == "matplotlib" or m.startswith("matplotlib.")]:
        monkeypatch.delitem(sys.modules, name)
    monkeypatch.setitem(sys.modules, "matplotlib", None)  # `import matplotlib` now raises ImportError


def test_import_extra_names_the_extra(no_matplotlib):
    with pytest.raises(MissingExtraError, match="matplotlib is needed for the plots") as info:
        pyplot("the plots")
    assert HINT in str(info.value) and isinstance(info.value, ModuleNotFoundError)
    assert info.value.name == "matplotlib"
    assert import_extra("json", "nothing").__name__ == "json"  # present modules import as usual


def test_every_plot_function_names_the_extra(no_matplotlib, tmp_path):
    from asen.experiments import demo, transfer
    from asen.experiments.harness import plot_lines
    from asen.experiments.selection_common import plot_bars

    row = {"x": 1, "s": "a", "mean": 0.5, "std": 0.0}
    calls = [
        lambda: plot_lines([row], x="x", series="s", path=tmp_path / "l.png"),
        lambda: plot_bars([row], x="x", series="s", path=tmp_path / "b.png"),
        lambda: transfer._plot([{"held_out": "t", "arm": a, "mean": 0.5, "std": 0.0} for a in transfer.ARMS],
                               tmp_path / "t.png"),
        lambda: demo._plot([1.0], [], tmp_path / "d.png"),
    ]
    for call in calls:
        with pytest.raises(MissingExtraError, match="matplotlib"):
            call()
    assert not list(tmp_path.iterdir())


def test_the_digits_name_scikit_learn(monkeypatch):
    from asen.experiments import image_data

    monkeypatch.setitem(sys.modules, "sklearn", None)
    monkeypatch.setitem(sys.modules, "sklearn.datasets", None)
    with pytest.raises(MissingExtraError, match="scikit-learn is needed for the 8x8 digits") as info:
        image_data._digits.__wrapped__()  # past the lru_cache
    assert HINT in str(info.value)


def test_an_experiment_without_matplotlib_stops_before_training(no_matplotlib, tmp_path, monkeypatch):
    from asen.experiments import multitask

    trained = []
    monkeypatch.setattr(multitask, "unit", lambda **kw: trained.append(kw) or [])
    with pytest.raises(MissingExtraError, match="the multitask plots"):
        multitask.run(quick=True, out_dir=str(tmp_path), progress=False)
    assert not trained and not list(tmp_path.iterdir())


def test_the_command_prints_the_install_hint_without_a_traceback(tmp_path):
    code = textwrap.dedent(
        f"""
        import sys
        sys.modules["matplotlib"] = None
        from asen.cli.main import main
        sys.exit(main(["experiment", "transfer", "--quick", "--out", {str(tmp_path)!r}, "--no-progress"]))
        """
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300, check=False)
    assert proc.returncode == 2, proc.stderr
    assert "asen experiment: error: matplotlib is needed for the transfer plots" in proc.stderr
    assert HINT in proc.stderr and "Traceback" not in proc.stderr
    assert not list(tmp_path.iterdir())  # nothing trained, nothing written
