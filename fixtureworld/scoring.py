"""Recall and precision of a crawl of a generated world, per portal (seed)."""

from __future__ import annotations

from dataclasses import dataclass

from fixtureworld.generator import GeneratedWorld


@dataclass(frozen=True)
class PortalScore:
    seed: int
    expected: int
    found: int  # rows matching a true report, with its source bytes
    wrong: tuple[str, ...]  # what is off, one line each (empty when the portal is perfect)

    @property
    def perfect(self) -> bool:
        return not self.wrong


def score(world: GeneratedWorld, rows: list[dict]) -> list[PortalScore]:
    """`rows`: the archive's reports (school_code, year, sha256, status, error, text)."""
    by_school: dict[str, list[dict]] = {}
    for row in rows:
        by_school.setdefault(row["school_code"], []).append(row)
    scores = []
    for portal in world.portals:
        truth = {year: e for (code, year), e in world.truth.items() if code == portal.code}
        got = by_school.get(portal.code, [])
        wrong, found = [], 0
        years = [r["year"] for r in got]
        for row in got:
            year = row["year"]
            expected = truth.get(year)
            if expected is None:
                trap = " (a trap page)" if (portal.code, year) in world.traps else ""
                wrong.append(f"not a report{trap}: year {year} {row['title']!r}")
            elif row["sha256"] != expected.sha256:
                wrong.append(f"{year}: wrong source {row['file_url'] or row['page_url']}")
            elif row["status"] != "ok" or not (row["text"] or "").strip():
                wrong.append(f"{year}: status {row['status']} {row['error']}")
            elif (mark := world.marks.get((portal.code, year))) and mark not in row["text"]:
                wrong.append(f"{year}: text lacks its last page ({mark})")
            else:
                found += 1
        for year in sorted(set(truth) - set(years)):
            wrong.append(f"{year}: missed {truth[year].title!r}")
        if len(years) != len(set(years)):
            wrong.append(f"several rows for one year: {sorted(years)}")
        scores.append(PortalScore(portal.seed, len(truth), found, tuple(wrong)))
    return scores


def summary(scores: list[PortalScore]) -> tuple[float, float, int, int, int]:
    """(recall, precision, expected, correct rows, rows) over all portals."""
    expected = sum(s.expected for s in scores)
    correct = sum(s.found for s in scores)
    # every complaint but a miss is a row that should not be (or not be like that)
    rows = correct + sum(1 for s in scores for w in s.wrong if ": missed " not in w)
    recall = correct / expected if expected else 1.0
    precision = correct / rows if rows else 1.0
    return recall, precision, expected, correct, rows
