"""The shared harness: seeded training, accuracy, aggregation and the files it writes."""

import json

import numpy as np
import torch

from asen.experiments.harness import TaskData, build_model, evaluate, mean_std, plot_lines, train, write_rows


def _toy(seed=0, m=48):
    g = torch.Generator().manual_seed(seed)
    tok = torch.randint(0, 3, (m, 5), generator=g)
    x = torch.nn.functional.one_hot(tok, 3).float()
    y = (tok == 0).long()  # per-point label: is this token 0? (S_5-equivariant)
    y[:, 0] = -1  # an ignored label
    return TaskData(
        "is0", x[:32], y[:32], x[32:], y[32:], head="point", num_classes=2, symmetry="symmetric(5)"
    )


def test_training_is_seeded_and_learns_an_easy_task():
    task = _toy()
    runs = []
    for _ in range(2):
        model = build_model([task], width=16, num_layers=1, heads=2, seed=3)
        runs.append(train(model, [task], steps=20, batch_size=16, lr=2e-2, seed=5, progress=False))
    assert runs[0] == runs[1]
    assert runs[0][-1] < runs[0][0]
    acc = evaluate(model, task)
    assert acc["accuracy"] > 0.9 and 0.0 <= acc["exact_match"] <= acc["accuracy"] + 1e-9


def test_evaluate_ignores_unlabelled_entries():
    task = _toy()
    model = build_model([task], width=8, num_layers=1, heads=1, seed=0)
    with torch.no_grad():
        pred = model(task.x_test, task.symmetry, task=task.name).argmax(-1)
    y = task.y_test
    expected = float(((pred == y) & (y >= 0)).sum()) / float((y >= 0).sum())
    assert abs(evaluate(model, task, batch_size=5)["accuracy"] - expected) < 1e-12


def test_subset_is_seeded_and_keeps_the_test_set():
    task = _toy()
    a, b = task.subset(10, seed=1), task.subset(10, seed=1)
    assert torch.equal(a.x_train, b.x_train) and len(a.x_train) == 10 and a.x_test is task.x_test


def test_mean_std_write_rows_and_plot(tmp_path):
    rows = [
        {"model": m, "size": s, "seed": k, "acc": 0.5 + 0.1 * k + (m == "b") * 0.2}
        for m in "ab"
        for s in (10, 20)
        for k in range(3)
    ]
    summary = mean_std(rows, ["model", "size"], "acc")
    assert summary[0] == {
        "model": "a",
        "size": 10,
        "mean": 0.6,
        "std": round(float(np.std([0.5, 0.6, 0.7])), 4),
        "n": 3,
    }
    csv_path, json_path = write_rows(rows, tmp_path, "toy", meta={"seeds": [0, 1, 2]})
    assert csv_path.read_text().splitlines()[0] == "model,size,seed,acc"
    assert json.loads(json_path.read_text())["meta"] == {"seeds": [0, 1, 2]}
    png = plot_lines(summary, x="size", series="model", path=tmp_path / "toy.png", logx=True)
    assert png.read_bytes()[:4] == b"\x89PNG"
