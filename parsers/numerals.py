"""Chinese numerals: 三 -> 3, 二十一 -> 21, 一百零五 -> 105, 两千 -> 2000, 二〇二三 -> 2023.

The one reader of Chinese numbers for dates, section numbers and counted figures.
"""

from __future__ import annotations

from parsers.folding import half_width

DIGITS = {c: i for i, c in enumerate("零一二三四五六七八九")} | {
    "〇": 0,
    "○": 0,
    "Ｏ": 0,
    "O": 0,
    "两": 2,
    "壹": 1,
    "贰": 2,
    "叁": 3,
    "肆": 4,
    "伍": 5,
    "陆": 6,
    "柒": 7,
    "捌": 8,
    "玖": 9,
}
UNITS = {"十": 10, "拾": 10, "百": 100, "佰": 100, "千": 1000, "仟": 1000}
MYRIAD = {"万": 10_000, "亿": 100_000_000}
NUMERAL_CHARS = "".join(DIGITS) + "".join(UNITS) + "".join(MYRIAD)


def _below_myriad(text: str) -> int | None:
    total, digit = 0, None
    for ch in text:
        if ch in DIGITS:
            if digit is not None and digit != 0:
                return None  # 二三 inside a unit number: not a numeral
            digit = DIGITS[ch]
        elif ch in UNITS:
            total += (1 if digit is None else digit) * UNITS[ch]  # 十 alone is 10
            digit = None
        else:
            return None
    return total + (digit or 0)


def cn_number(text: str) -> int | None:
    """The value of a Chinese (or Arabic, also full-width) numeral; None when it is not one.

    A run of digits without units is read digit by digit, as years are written (二〇二三 ->
    2023); with units it is read positionally (三十一 -> 31, 一百零五 -> 105, 一万二千 ->
    12000). 两 is 2 and 〇/○/零 are 0.
    """
    text = half_width(text).strip()
    if not text:
        return None
    if text.isascii() and text.isdigit():
        return int(text)
    if all(ch in DIGITS for ch in text):
        return int("".join(str(DIGITS[ch]) for ch in text))
    total, rest = 0, text
    for unit, value in sorted(MYRIAD.items(), key=lambda kv: -kv[1]):
        if unit in rest:
            head, _, rest = rest.partition(unit)
            part = _below_myriad(head) if head else 1
            if part is None:
                return None
            total += part * value
    if not rest:
        return total
    tail = _below_myriad(rest)
    return None if tail is None else total + tail
