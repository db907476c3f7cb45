"""Every figure the parsers can produce has a Chinese label (the site, the compare page and its
CSV show it), and no label names a figure the parsers never make."""

from __future__ import annotations

from parsers.figure_labels import LABELS, figure_label
from parsers.figures import FIGURE_NAMES
from parsers.table_figures import FIGURES as TABLE_FIGURES


def test_every_figure_name_has_a_label_and_no_label_is_stale():
    assert set(LABELS) == set(FIGURE_NAMES) | set(TABLE_FIGURES)
    assert all(label and label.isprintable() for label in LABELS.values())
    assert len(set(LABELS.values())) == len(LABELS)


def test_labels_read_like_the_template():
    assert figure_label("requests_received") == "依申请公开：收到申请"
    assert figure_label("lawsuits_after_review_pending") == "行政诉讼（复议后起诉）：尚未审结"
    assert figure_label("not_a_figure") == "not_a_figure"
