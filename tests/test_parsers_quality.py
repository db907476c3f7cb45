"""The parsing quality gate (like trafilatura's evaluation): real documents with truths and
generated reports go through the production path `parsers.parse`; their inputs are pinned by
sha256 and each measure has a floor. A change that makes any of them worse fails the build.

Measures: CER of the running text; table cells right (each printed cell of the truth tables,
by table and position); figures from the statistics tables right (name and value)."""

from __future__ import annotations

import hashlib
import json

import pytest
from golden.cer import cer
from golden.stats_pdf import build
from test_parsers_real import HUAIAN_FIGURES, REAL

from parsers import parse

# Floors the measures must meet (the numbers). Real and generated alike.
MAX_CER = 0.005
MIN_CELLS = 0.95
MIN_FIGURES = 1.0


def _real(name: str) -> dict:
    tables = REAL / f"{name}.tables.json"
    return {
        "body": (REAL / f"{name}.pdf").read_bytes(),
        "text": (REAL / f"{name}.truth.txt").read_text(encoding="utf-8").strip(),
        "tables": [t["rows"] for t in json.loads(tables.read_text())] if tables.exists() else [],
        "figures": HUAIAN_FIGURES if name == "gov_huaian_2024" else {},
    }


def _generated(**kwargs) -> dict:
    built = build(11, **kwargs)
    return {"body": built.pdf, "text": built.text, "tables": built.tables, "figures": built.figures}


CASES = {
    "gov_huaian_2024": (
        lambda: _real("gov_huaian_2024"),
        "fed22baafaab82a239ca15020fc37f819e7cb62bc96659bf8f3f81c6421e0a92",
    ),
    "uni_cqupt_2012_gongwen_344": (
        lambda: _real("uni_cqupt_2012_gongwen_344"),
        "f046ef265f8af10f360aa6fa63c211dd16c0ea063e85f247acbdcf7c352e4b93",
    ),
    "generated_wps_border_merged_split": (
        lambda: _generated(border=True, split="merged"),
        "9755c1ac52aad0135a7be1c9e6c8ea3bc00bc66e9eac4c8bd5a6ba1e1979055f",
    ),
    "generated_plain_row_split": (
        lambda: _generated(border=False, split="row"),
        "06ee44e9a12fb52b5f43e25aea49db4a7ad860a6259a3a508cc33116fb3d30b2",
    ),
}


def cell_accuracy(got: list[list[list[str]]], truth: list[list[list[str]]]) -> float:
    """Share of the truth's cells that the output has, same table, same row, same column."""
    total = right = 0
    for k, table in enumerate(truth):
        rows = got[k] if k < len(got) else []
        for i, row in enumerate(table):
            for j, cell in enumerate(row):
                total += 1
                right += i < len(rows) and j < len(rows[i]) and rows[i][j] == cell
    return right / total if total else 1.0


def figure_accuracy(got: dict[str, int], truth: dict[str, int]) -> float:
    return sum(got.get(k) == v for k, v in truth.items()) / len(truth) if truth else 1.0


def measure(case: dict) -> dict[str, float]:
    doc = parse(case["body"], "application/pdf")
    figures = {f.name: f.value for f in doc.figures if f.table is not None}
    return {
        "cer": cer(doc.text, case["text"]),
        "cells": cell_accuracy([t.rows for t in doc.tables], case["tables"]),
        "figures": figure_accuracy(figures, case["figures"]),
    }


@pytest.mark.parametrize("name", list(CASES))
def test_quality_floor(name):
    load, digest = CASES[name]
    case = load()
    assert hashlib.sha256(case["body"]).hexdigest() == digest, "the input changed: re-pin it"
    got = measure(case)
    print(f"{name}: CER {got['cer']:.4%}, cells {got['cells']:.1%}, figures {got['figures']:.0%}")
    assert got["cer"] <= MAX_CER, got
    assert got["cells"] >= MIN_CELLS, got
    assert got["figures"] >= MIN_FIGURES, got


def test_measures_can_fail():
    """The gate's own measures see a regression: a lost row, a wrong number, a lost line."""
    case = _generated(border=True, split="merged")
    truth = case["tables"]
    broken = [truth[0][:-6], truth[1]]
    assert cell_accuracy(broken, truth) == pytest.approx(1 - 6 * 10 / 340)
    assert cell_accuracy([], truth) == 0.0
    wrong = {**case["figures"], "requests_received": -1}
    assert figure_accuracy(wrong, case["figures"]) == pytest.approx(44 / 45)
    assert cer(case["text"].split("\n", 1)[1], case["text"]) > MAX_CER
