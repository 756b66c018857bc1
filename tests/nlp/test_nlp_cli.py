"""``motcua nlp train|eval|classify``: generic TSVs, the metric JSON, errors in Vietnamese."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from nlp.cli import main

METRIC_KEYS = {"accuracy", "macro_f1", "weighted_f1", "per_class", "confusion"}


def run_json(capsys: pytest.CaptureFixture[str], argv: list[str]) -> object:
    assert main(argv) == 0
    return json.loads(capsys.readouterr().out)


def test_eval_prints_the_metric_json_per_label_column(
    capsys: pytest.CaptureFixture[str], small_model_dir: Path, data_files: dict[str, Path]
) -> None:
    report = run_json(
        capsys,
        ["eval", "--model", str(small_model_dir), "--data", str(data_files["dev"]), "--json"],
    )
    assert isinstance(report, dict)
    assert set(report) == {"sentiment", "topic", "urgent"}
    topic = report["topic"]
    assert set(topic) == METRIC_KEYS
    assert set(topic["per_class"]["corruption"]) == {"precision", "recall", "f1", "support"}
    labels, matrix = topic["confusion"]["labels"], topic["confusion"]["matrix"]
    assert len(matrix) == len(labels) and all(len(row) == len(labels) for row in matrix)
    assert sum(map(sum, matrix)) == sum(c["support"] for c in topic["per_class"].values())


def test_train_on_any_tsv_takes_label_sets_from_the_data(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    rows = ["text\tmood"]
    rows += [f"món này ngon quá lần {i}\tvui" for i in range(12)]
    rows += [f"chờ mãi chán lắm lần {i}\tbuồn" for i in range(12)]
    data = tmp_path / "mood.tsv"
    data.write_text("\n".join(rows) + "\n", encoding="utf-8")
    out = tmp_path / "mood-model"
    report = run_json(
        capsys, ["train", "--data", str(data), "--labels", "mood", "-o", str(out), "--json"]
    )
    assert isinstance(report, dict) and set(report) == {"mood"}
    meta = json.loads((out / "meta.json").read_text())
    assert meta["labels"] == {"mood": ["buồn", "vui"]}
    doc = run_json(capsys, ["classify", "ngon quá", "--model", str(out), "--json"])
    assert isinstance(doc, dict)
    assert doc["labels"]["mood"]["label"] == "vui"
    assert doc["model_version"] == meta["version"]


def test_classify_several_texts_prints_a_list(
    capsys: pytest.CaptureFixture[str], small_model_dir: Path
) -> None:
    docs = run_json(
        capsys, ["classify", "Chờ lâu quá", "", "--model", str(small_model_dir), "--json"]
    )
    assert isinstance(docs, list) and len(docs) == 2
    assert docs[1]["notes"] == ["empty"]


def test_missing_data_file_exits_2_with_a_vietnamese_message(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    code = main(["train", "--data", str(tmp_path / "none.tsv"), "-o", str(tmp_path / "m")])
    err = capsys.readouterr().err
    assert code == 2
    assert err.startswith("Không đọc được tệp dữ liệu:")
    assert err.count("\n") == 1


def test_tsv_without_text_column_exits_2(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    data = tmp_path / "bad.tsv"
    data.write_text("content\tlabel\nabc\tx\n", encoding="utf-8")
    assert main(["train", "--data", str(data), "-o", str(tmp_path / "m")]) == 2
    assert "text" in capsys.readouterr().err


def test_training_from_data_without_output_directory_exits_2(
    capsys: pytest.CaptureFixture[str], data_files: dict[str, Path]
) -> None:
    assert main(["train", "--data", str(data_files["train"])]) == 2
    assert "-o" in capsys.readouterr().err


def test_missing_model_exits_2(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    assert main(["classify", "xin chào", "--model", str(tmp_path)]) == 2
    assert capsys.readouterr().err.startswith("Không nạp được mô hình:")
