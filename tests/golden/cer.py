"""Character error rate for the golden tests and the benchmark."""

from __future__ import annotations


def levenshtein(a: str, b: str) -> int:
    """Edit distance (insertions, deletions, substitutions of one character each).

    Myers/Hyyrö bit-parallel algorithm on Python integers: O(len(a) * len(b) / word) work,
    ~10 ms for two 10,000-character texts.
    """
    if len(a) < len(b):
        a, b = b, a
    m = len(b)
    if m == 0:
        return len(a)
    peq: dict[str, int] = {}
    for i, ch in enumerate(b):
        peq[ch] = peq.get(ch, 0) | (1 << i)
    full = (1 << m) - 1
    top = 1 << (m - 1)
    pv, mv, score = full, 0, m
    for ch in a:
        eq = peq.get(ch, 0)
        xv = eq | mv
        xh = (((eq & pv) + pv) ^ pv) | eq
        ph = mv | ~(xh | pv)
        mh = pv & xh
        if ph & top:
            score += 1
        elif mh & top:
            score -= 1
        ph = (ph << 1) | 1
        mh <<= 1
        pv = (mh | ~(xv | ph)) & full
        mv = ph & xv & full
    return score


def cer(output: str, truth: str) -> float:
    """Character error rate: levenshtein(output, truth) / len(truth).

    Both texts are compared as they are, line breaks included: a paragraph wrongly split or
    joined costs one edit, a leftover page-number line costs its characters plus its break.
    """
    return levenshtein(output, truth) / max(len(truth), 1)
