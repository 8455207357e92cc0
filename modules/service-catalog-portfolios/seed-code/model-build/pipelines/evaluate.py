"""Evaluation job: the trained model on the test split, metrics to evaluation.json.

Runs in the SageMaker XGBoost container (python3 evaluate.py ...), one file on its own. Needs
only xgboost and numpy, which that container has.

Input: --model-dir holds model.tar.gz as the built-in XGBoost training job writes it (a file
named xgboost-model inside); --test-dir holds the header-less test CSV(s), target first.
Output: --output-dir/evaluation.json in the model quality format of the SageMaker model
registry; the pipeline's condition step reads binary_classification_metrics.auc.value.
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
import tarfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import xgboost

LOG = logging.getLogger("evaluate")

PROCESSING = "/opt/ml/processing"
MODEL_FILE = "xgboost-model"
DECISION_THRESHOLD = 0.5


def load_model(model_dir: Path) -> xgboost.Booster:
    """The booster inside model_dir/model.tar.gz (xgboost-model, XGBoost's own format)."""
    archive = model_dir / "model.tar.gz"
    with tarfile.open(archive) as tar:
        member = next((m for m in tar.getmembers() if Path(m.name).name == MODEL_FILE), None)
        extracted = tar.extractfile(member) if member is not None and member.isfile() else None
        if extracted is None:
            raise ValueError(f"{archive} holds no {MODEL_FILE} file")
        raw = bytearray(extracted.read())
    booster = xgboost.Booster()
    # From memory, XGBoost tells its formats apart by content (the file has no extension).
    booster.load_model(raw)
    return booster


def read_test_set(test_dir: Path) -> tuple[np.ndarray, np.ndarray]:
    """(labels, features) from every *.csv under test_dir: header-less, target first."""
    files = sorted(p for p in test_dir.rglob("*.csv") if p.is_file())
    if not files:
        raise ValueError(f"no .csv file under {test_dir}")
    data = np.vstack([np.genfromtxt(f, delimiter=",", ndmin=2) for f in files])
    return data[:, 0], data[:, 1:]


def roc_auc(labels: np.ndarray, scores: np.ndarray) -> float:
    """Area under the ROC curve (Mann-Whitney U; tied scores count one half)."""
    positives = labels == 1
    n_pos = int(positives.sum())
    n_neg = len(labels) - n_pos
    if n_pos == 0 or n_neg == 0:
        raise ValueError("the test set needs both classes to compute an AUC")
    order = np.argsort(scores, kind="mergesort")
    sorted_scores = scores[order]
    ranks = np.empty(len(scores), dtype=float)
    start = 0
    while start < len(scores):
        end = start
        while end + 1 < len(scores) and sorted_scores[end + 1] == sorted_scores[start]:
            end += 1
        ranks[order[start : end + 1]] = (start + end) / 2 + 1  # average rank of the ties
        start = end + 1
    rank_sum = ranks[positives].sum()
    return float((rank_sum - n_pos * (n_pos + 1) / 2) / (n_pos * n_neg))


def metrics(labels: np.ndarray, scores: np.ndarray) -> dict[str, Any]:
    """Binary classification metrics in the model registry's model quality format."""
    predicted = (scores >= DECISION_THRESHOLD).astype(int)
    actual = labels.astype(int)
    tp = int(((predicted == 1) & (actual == 1)).sum())
    tn = int(((predicted == 0) & (actual == 0)).sum())
    fp = int(((predicted == 1) & (actual == 0)).sum())
    fn = int(((predicted == 0) & (actual == 1)).sum())
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {
        "binary_classification_metrics": {
            "auc": {"value": roc_auc(actual, scores)},
            "accuracy": {"value": (tp + tn) / len(actual)},
            "precision": {"value": precision},
            "recall": {"value": recall},
            "f1": {"value": f1},
            "confusion_matrix": {
                "0": {"0": tn, "1": fp},
                "1": {"0": fn, "1": tp},
            },
        },
        "test_rows": len(actual),
        "decision_threshold": DECISION_THRESHOLD,
    }


def evaluate(model_dir: Path, test_dir: Path, output_dir: Path) -> dict[str, Any]:
    """Score the test set, write output_dir/evaluation.json and return its content."""
    booster = load_model(model_dir)
    labels, features = read_test_set(test_dir)
    scores = booster.predict(xgboost.DMatrix(features))
    report = metrics(labels, scores)
    output_dir.mkdir(parents=True, exist_ok=True)
    (output_dir / "evaluation.json").write_text(json.dumps(report, indent=2))
    LOG.info(
        "AUC %.4f on %d test rows",
        report["binary_classification_metrics"]["auc"]["value"],
        len(labels),
    )
    return report


def main(argv: Sequence[str] | None = None) -> int:
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model-dir", type=Path, default=Path(PROCESSING, "model"))
    parser.add_argument("--test-dir", type=Path, default=Path(PROCESSING, "test"))
    parser.add_argument("--output-dir", type=Path, default=Path(PROCESSING, "evaluation"))
    args = parser.parse_args(argv)
    evaluate(args.model_dir, args.test_dir, args.output_dir)
    return 0


if __name__ == "__main__":
    sys.exit(main())
