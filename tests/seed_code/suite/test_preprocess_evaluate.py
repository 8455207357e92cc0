"""preprocess.py and evaluate.py on real data, with a real XGBoost model in between.

The data is scikit-learn's bundled breast cancer set (569 rows, 30 numeric features, binary
target), written as the CSV a team would point DATA_SOURCE_S3_URI at: a header row, the target
column last, split over two files of a prefix, plus a text column and a few missing values.
The model is trained with the pipeline's own hyperparameters and packaged as the built-in
XGBoost container packages it (model.tar.gz holding xgboost-model).
"""

from __future__ import annotations

import json
import tarfile
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import xgboost
from pipelines import evaluate, preprocess
from pipelines.pipeline import XGBOOST_HYPERPARAMETERS
from sklearn.datasets import load_breast_cancer
from sklearn.metrics import roc_auc_score

TARGET = "diagnosis"
N_ROWS = 569
N_POSITIVE = 357  # benign is 1 in scikit-learn's encoding
N_FEATURES = 30 + 3  # the numeric features and the one-hot encoded clinic column


def _dataset() -> pd.DataFrame:
    data = load_breast_cancer(as_frame=True)
    frame = data.data.rename(columns=lambda c: c.replace(" ", "_"))
    frame["clinic"] = np.array(["north", "south", "east"])[np.arange(len(frame)) % 3]
    frame.loc[frame.index % 50 == 0, "mean_texture"] = np.nan
    frame[TARGET] = data.target
    return frame


@pytest.fixture(scope="module")
def splits(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    root = tmp_path_factory.mktemp("preprocess")
    frame = _dataset()
    (root / "input" / "part").mkdir(parents=True)
    frame.iloc[:300].to_csv(root / "input" / "data-0.csv", index=False)
    frame.iloc[300:].to_csv(root / "input" / "part" / "data-1.csv", index=False)
    code = preprocess.main(
        [
            "--input-dir",
            str(root / "input"),
            "--target-column",
            TARGET,
            "--output-dir",
            str(root / "out"),
        ]
    )
    assert code == 0
    return {name: root / "out" / name / f"{name}.csv" for name in preprocess.SPLITS}


def _read(path: Path) -> pd.DataFrame:
    return pd.read_csv(path, header=None)


def test_split_sizes_add_up_to_the_input_in_70_15_15(splits: dict[str, Path]) -> None:
    sizes = {name: len(_read(path)) for name, path in splits.items()}
    assert sum(sizes.values()) == N_ROWS
    for name, fraction in (("train", 0.70), ("validation", 0.15), ("test", 0.15)):
        assert abs(sizes[name] - fraction * N_ROWS) <= 1, sizes


def test_no_header_and_every_value_numeric(splits: dict[str, Path]) -> None:
    for path in splits.values():
        first_line = path.read_text().splitlines()[0]
        assert "mean_radius" not in first_line and TARGET not in first_line
        frame = _read(path)
        assert frame.shape[1] == 1 + N_FEATURES
        assert all(pd.api.types.is_numeric_dtype(t) for t in frame.dtypes), frame.dtypes


def test_target_is_the_first_column(splits: dict[str, Path]) -> None:
    targets = pd.concat([_read(p)[0] for p in splits.values()])
    assert set(targets.unique()) == {0, 1}
    assert int(targets.sum()) == N_POSITIVE
    # No other column is a 0/1 column with the target's class counts.
    others = pd.concat([_read(p).iloc[:, 1:] for p in splits.values()])
    for column in others.columns:
        values = others[column].dropna()
        assert not (set(values.unique()) <= {0, 1} and values.sum() == N_POSITIVE), column


def test_splits_are_stratified(splits: dict[str, Path]) -> None:
    overall = N_POSITIVE / N_ROWS
    for name, path in splits.items():
        target = _read(path)[0]
        assert abs(target.sum() - overall * len(target)) <= 1, name


def test_missing_values_stay_missing(splits: dict[str, Path]) -> None:
    missing = sum(int(_read(p).isna().sum().sum()) for p in splits.values())
    assert missing == len(range(0, N_ROWS, 50))
    assert "nan" in splits["train"].read_text()


def test_target_must_exist_and_be_binary() -> None:
    frame = pd.DataFrame({"x": [1.0, 2.0, 3.0], "y": [0, 1, 2]})
    with pytest.raises(ValueError, match="not in the data"):
        preprocess.prepare(frame, "label")
    with pytest.raises(ValueError, match="must be binary"):
        preprocess.prepare(frame, "y")


def test_text_targets_true_false_become_1_0() -> None:
    frame = pd.DataFrame({"x": [1.0, 2.0, 3.0, 4.0], "label": ["True", "false", "yes", "No"]})
    prepared = preprocess.prepare(frame, "label")
    assert prepared.columns[0] == "label"
    assert list(prepared["label"]) == [1, 0, 1, 0]


# --------------------------------------------------------------------------------------------
# Train as the built-in algorithm would, then evaluate.py
# --------------------------------------------------------------------------------------------


def _train(train: pd.DataFrame, validation: pd.DataFrame) -> xgboost.Booster:
    hyperparameters = dict(XGBOOST_HYPERPARAMETERS)
    num_round = int(hyperparameters.pop("num_round"))
    early_stopping = int(hyperparameters.pop("early_stopping_rounds"))
    assert hyperparameters["objective"] == "binary:logistic"
    assert hyperparameters["eval_metric"] == "auc"
    # Arrays, not frames: the container reads header-less CSV, so the model has no feature names.
    dtrain = xgboost.DMatrix(train.iloc[:, 1:].to_numpy(), label=train[0].to_numpy())
    dvalidation = xgboost.DMatrix(validation.iloc[:, 1:].to_numpy(), label=validation[0].to_numpy())
    return xgboost.train(
        hyperparameters,
        dtrain,
        num_boost_round=num_round,
        evals=[(dtrain, "train"), (dvalidation, "validation")],
        early_stopping_rounds=early_stopping,
        verbose_eval=False,
    )


def _package(booster: xgboost.Booster, model_dir: Path) -> None:
    model_dir.mkdir(parents=True)
    raw = model_dir / "xgboost-model"
    booster.save_model(str(raw))
    with tarfile.open(model_dir / "model.tar.gz", "w:gz") as tar:
        tar.add(raw, arcname="xgboost-model")
    raw.unlink()


@pytest.fixture(scope="module")
def evaluation(splits: dict[str, Path], tmp_path_factory: pytest.TempPathFactory) -> dict:
    root = tmp_path_factory.mktemp("evaluate")
    booster = _train(_read(splits["train"]), _read(splits["validation"]))
    _package(booster, root / "model")
    code = evaluate.main(
        [
            "--model-dir",
            str(root / "model"),
            "--test-dir",
            str(splits["test"].parent),
            "--output-dir",
            str(root / "evaluation"),
        ]
    )
    assert code == 0
    report = json.loads((root / "evaluation" / "evaluation.json").read_text())
    test = _read(splits["test"])
    scores = booster.predict(xgboost.DMatrix(test.iloc[:, 1:].to_numpy()))
    return {"report": report, "labels": test[0].to_numpy(), "scores": scores}


def test_evaluation_json_has_the_auc_the_condition_step_reads(evaluation: dict) -> None:
    metrics = evaluation["report"]["binary_classification_metrics"]
    auc = metrics["auc"]["value"]
    assert 0.95 <= auc <= 1.0
    assert auc == pytest.approx(roc_auc_score(evaluation["labels"], evaluation["scores"]))
    for name in ("accuracy", "precision", "recall", "f1"):
        assert 0.85 <= metrics[name]["value"] <= 1.0, name
    matrix = metrics["confusion_matrix"]
    assert sum(matrix[a][p] for a in "01" for p in "01") == len(evaluation["labels"])
    assert matrix["1"]["1"] + matrix["1"]["0"] == int(evaluation["labels"].sum())
    assert evaluation["report"]["test_rows"] == len(evaluation["labels"])


def test_auc_matches_scikit_learn_with_ties() -> None:
    rng = np.random.default_rng(7)
    labels = rng.integers(0, 2, 200)
    scores = np.round(rng.random(200) * 0.5 + labels * 0.3, 1)  # few distinct values: ties
    assert evaluate.roc_auc(labels, scores) == pytest.approx(roc_auc_score(labels, scores))
    with pytest.raises(ValueError, match="both classes"):
        evaluate.roc_auc(np.ones(5), np.linspace(0, 1, 5))


def test_a_model_archive_without_xgboost_model_is_rejected(tmp_path: Path) -> None:
    other = tmp_path / "model.bin"
    other.write_bytes(b"not a model")
    with tarfile.open(tmp_path / "model.tar.gz", "w:gz") as tar:
        tar.add(other, arcname="model.bin")
    with pytest.raises(ValueError, match="no xgboost-model"):
        evaluate.load_model(tmp_path)
