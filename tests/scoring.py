"""The scorer's notion of "same figure", for the case tables.

Copied from ../shared/eval/score.py (stdlib only, not importable from the
package): keep in sync when the scorer changes.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any

_DROP = re.compile(r"[\s“”\"'‘’「」『』《》〈〉()（）\[\]【】,，、.。:：;；!！?？·•\-—_]")

_APPROX = (("less", ("近", "接近", "将近", "不足", "不到", "以下", "未满", "不超过", "以内")),
           ("about", ("约", "左右", "上下", "大约", "大概", "数", "几", "来", "许")),
           ("more", ("余", "多", "超", "逾", "以上", "突破", "破", "过", "上", "还多")))


def norm(s: str | None) -> str:
    if not s:
        return ""
    return _DROP.sub("", unicodedata.normalize("NFKC", s))


def approx_class(a: str | None) -> str | None:
    if not a:
        return None
    for cls, words in _APPROX:
        if any(w in a for w in words):
            return cls
    return "other"


def same_value(a: Any, b: Any) -> bool:
    if a is None or b is None:
        return a is None and b is None
    try:
        a, b = float(a), float(b)
    except (TypeError, ValueError):
        return False
    return abs(a - b) <= 1e-6 * max(1.0, abs(a), abs(b))


SUBJECT_SLACK = 6


def subject_match(gold: str | None, pred: str | None) -> bool:
    g, p = norm(gold), norm(pred)
    if not g:
        return True
    if not p:
        return False
    return (g in p and len(p) <= len(g) + SUBJECT_SLACK) or (len(p) >= 2 and p in g)
