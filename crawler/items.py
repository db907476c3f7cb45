"""The one item shape that crosses from spiders to pipelines.

It is the archive's ReportCandidate: a report's school, title, article URL, the file chosen as
its source and every other file fetched for it (all already stored by sha256).
"""

from archive import ReportCandidate as ReportItem
from archive import SourceFile

__all__ = ["ReportItem", "SourceFile"]
