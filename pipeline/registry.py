"""Name -> factory registries that refuse duplicates (spaCy's ``Language.factory`` model)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Generic, TypeVar

T = TypeVar("T")


class Registry(Generic[T]):
    """A registry of named things; registering a name twice is an error.

    >>> r: Registry[int] = Registry("numbers")
    >>> r.register("one")(1)
    1
    >>> r.get("one")
    1
    >>> r.register("one")(2)
    Traceback (most recent call last):
    ...
    ValueError: numbers: 'one' is already registered
    >>> r.get("two")
    Traceback (most recent call last):
    ...
    KeyError: "numbers: no 'two' (known: one)"
    """

    def __init__(self, kind: str):
        self.kind = kind
        self._items: dict[str, T] = {}

    def register(self, name: str) -> Callable[[T], T]:
        def deco(item: T) -> T:
            if name in self._items:
                raise ValueError(f"{self.kind}: {name!r} is already registered")
            self._items[name] = item
            return item

        return deco

    def get(self, name: str) -> T:
        try:
            return self._items[name]
        except KeyError:
            raise KeyError(f"{self.kind}: no {name!r} (known: {', '.join(sorted(self._items))})") from None

    def names(self) -> list[str]:
        return sorted(self._items)

    def __contains__(self, name: object) -> bool:
        return name in self._items

    def __iter__(self) -> Iterator[str]:
        return iter(self._items)
