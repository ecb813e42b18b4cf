"""The figures of a robustness run besides the fuzzer's, for the table `make stress` ends with.

Tests add a figure once what it counts is checked: a figure printed is a figure that held.
"""

from __future__ import annotations

FIGURES: dict[str, float] = {}


def add(name: str, value: float) -> None:
    FIGURES[name] = FIGURES.get(name, 0) + value


def lines() -> list[str]:
    width = max(len(name) for name in FIGURES) + 2
    return [f"{name:<{width}}{value:>12,.6g}" for name, value in FIGURES.items()]
