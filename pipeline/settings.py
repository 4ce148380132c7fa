"""Layered TOML data files: shipped defaults, a user file overriding only what it sets."""

from __future__ import annotations

import os
import tomllib
from functools import cache
from importlib import resources
from typing import Any

#: a folder whose ``NAME.toml`` files override the shipped ones key by key
USER_DIR_ENV = "HUIBAO_DATA_DIR"


def _merge(base: dict[str, Any], over: dict[str, Any]) -> dict[str, Any]:
    """Merge ``over`` into ``base``: tables merge, everything else replaces.

    >>> _merge({"a": {"x": 1, "y": 2}, "b": [1]}, {"a": {"y": 3}, "b": [2]})
    {'a': {'x': 1, 'y': 3}, 'b': [2]}
    """
    out = dict(base)
    for k, v in over.items():
        if isinstance(v, dict) and isinstance(out.get(k), dict):
            out[k] = _merge(out[k], v)
        else:
            out[k] = v
    return out


@cache
def load_data(package: str, name: str) -> dict[str, Any]:
    """The data file ``package/data/name.toml``, overridden by ``$HUIBAO_DATA_DIR/name.toml``."""
    with resources.files(package).joinpath("data", f"{name}.toml").open("rb") as f:
        data = tomllib.load(f)
    user_dir = os.environ.get(USER_DIR_ENV)
    if user_dir:
        path = os.path.join(user_dir, f"{name}.toml")
        if os.path.exists(path):
            with open(path, "rb") as f:
                data = _merge(data, tomllib.load(f))
    return data
