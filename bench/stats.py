"""Timing helpers and table printing shared by the benchmark sections."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable, Sequence


def per_call(fn: Callable[[], object], number: int) -> float:
    """Seconds per call of `fn`, over `number` back-to-back calls."""
    start = time.perf_counter()
    for _ in range(number):
        fn()
    return (time.perf_counter() - start) / number


def interleaved(
    variants: dict[str, Callable[[], object]], rounds: int, number: int, slices: int = 10
) -> dict[str, list[float]]:
    """Seconds per call of each variant, in rounds x slices samples of number/slices calls each.

    The variants take turns slice by slice, so a burst of load from elsewhere on the machine hits
    all of them alike; comparing sample i of one variant with sample i of another cancels it out.
    """
    size = max(1, number // slices)
    samples: dict[str, list[float]] = {name: [] for name in variants}
    for _ in range(rounds * slices):
        for name, fn in variants.items():
            samples[name].append(per_call(fn, size))
    return samples


def ratio(samples: Sequence[float], baseline: Sequence[float]) -> float:
    """Median of the sample-by-sample ratios to a baseline measured alongside."""
    return statistics.median(s / b for s, b in zip(samples, baseline, strict=True))


def calibrate(fn: Callable[[], object], budget: float) -> int:
    """How many calls of `fn` fill about `budget` seconds (at least one)."""
    once = per_call(fn, 1)
    number = 1
    while once * number < budget / 10 and number < 1_000_000:
        number *= 10
    return max(1, int(budget / per_call(fn, number)))


def median(values: Sequence[float]) -> float:
    return statistics.median(values)


def table(title: str, header: Sequence[str], rows: Sequence[Sequence[object]]) -> str:
    """A Markdown table, so the output pastes straight into BENCHMARKS.md."""
    cells = [[str(c) for c in header]] + [[_cell(c) for c in row] for row in rows]
    widths = [max(len(row[i]) for row in cells) for i in range(len(header))]
    lines = [f"\n### {title}\n"]
    for index, row in enumerate(cells):
        lines.append("| " + " | ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)) + " |")
        if index == 0:
            lines.append("|" + "|".join("-" * (w + 2) for w in widths) + "|")
    return "\n".join(lines)


def _cell(value: object) -> str:
    if isinstance(value, float):
        return f"{value:.2f}" if value < 100 else f"{value:.0f}"
    return str(value)
