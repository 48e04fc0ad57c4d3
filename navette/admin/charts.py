"""Charts drawn on the server as SVG, inline in the admin pages: no script, no library
from elsewhere (the pages' Content-Security-Policy allows neither), readable without
colour (each chart has a title, a text description and a table beside it on its page).

Each function takes labelled numbers and returns a ``Chart``: its title and ``<svg>``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from lxml import etree
from lxml.builder import ElementMaker
from markupsafe import Markup

SVG_NS = "http://www.w3.org/2000/svg"
S = ElementMaker(namespace=SVG_NS, nsmap={None: SVG_NS})

WIDTH, HEIGHT = 720, 240
LEFT, RIGHT, TOP, BOTTOM = 56, 12, 16, 44
#: Colours told apart by readers with the commoner colour-vision deficiencies (Okabe–Ito).
PALETTE = ("#0072b2", "#e69f00", "#009e73", "#cc79a7", "#d55e00", "#56b4e9", "#999999")
FAILED = "#d55e00"
MARKED = "#f6c8b0"


@dataclass(frozen=True)
class Series:
    name: str
    values: Sequence[float | None]
    colour: str


@dataclass(frozen=True)
class Chart:
    title: str
    svg: Markup


def _nice_top(value: float) -> float:
    """The axis's top: 1, 2 or 5 times a power of ten, at or above ``value``."""
    if value <= 0:
        return 1
    step = 1.0
    while step * 10 <= value:
        step *= 10
    while step > value:
        step /= 10
    for factor in (1, 2, 5, 10):
        if step * factor >= value:
            return step * factor
    return step * 10


def _number(value: float) -> str:
    return f"{value:,.0f}" if value >= 10 or value == int(value) else f"{value:.1f}"


def _frame(title: str, description: str, height: int = HEIGHT) -> etree._Element:
    return S.svg(
        S.title(title),
        S.desc(description),
        viewBox=f"0 0 {WIDTH} {height}",
        width="100%",
        role="img",
        **{"aria-label": title, "class": "chart"},
    )


def _axis(svg: etree._Element, top: float, unit: str) -> None:
    """The value axis: four gridlines with their values."""
    plot_height = HEIGHT - TOP - BOTTOM
    for step in range(5):
        value = top * step / 4
        y = HEIGHT - BOTTOM - plot_height * step / 4
        svg.append(
            S.line(x1=str(LEFT), x2=str(WIDTH - RIGHT), y1=f"{y:.1f}", y2=f"{y:.1f}", stroke="#ddd")
        )
        svg.append(
            S.text(
                f"{_number(value)}{unit if step == 4 else ''}",
                x=str(LEFT - 6),
                y=f"{y + 4:.1f}",
                **{"text-anchor": "end", "font-size": "11"},
            )
        )


def _labels(svg: etree._Element, labels: Sequence[str], slot: float) -> None:
    """Category labels under the plot, thinned so that they do not overlap."""
    every = max(1, int(len(labels) * 70 / (WIDTH - LEFT - RIGHT)) + 1)
    for index, label in enumerate(labels):
        if index % every:
            continue
        x = LEFT + slot * (index + 0.5)
        svg.append(
            S.text(
                label,
                x=f"{x:.1f}",
                y=str(HEIGHT - BOTTOM + 16),
                **{"text-anchor": "middle", "font-size": "11"},
            )
        )


def _legend(svg: etree._Element, names: Sequence[tuple[str, str]]) -> None:
    x = LEFT
    for name, colour in names:
        svg.append(S.rect(x=str(x), y=str(HEIGHT - 14), width="10", height="10", fill=colour))
        svg.append(S.text(name, x=str(x + 14), y=str(HEIGHT - 5), **{"font-size": "11"}))
        x += 22 + 6 * len(name)


def _chart(title: str, svg: etree._Element) -> Chart:
    return Chart(title, Markup(etree.tostring(svg, encoding="unicode")))


def stacked_bars(
    title: str,
    description: str,
    labels: Sequence[str],
    series: Sequence[Series],
    unit: str = "",
    marked: Sequence[bool] = (),
    mark: str = "",
) -> Chart:
    """One bar per label, each series stacked on the one before (None counts as 0);
    the labels ``marked`` are shaded the whole height (their meaning named ``mark``)."""
    totals = [sum(s.values[i] or 0 for s in series) for i in range(len(labels))]
    top = _nice_top(max(totals, default=0))
    svg = _frame(title, description)
    _axis(svg, top, unit)
    plot_height = HEIGHT - TOP - BOTTOM
    slot = (WIDTH - LEFT - RIGHT) / max(len(labels), 1)
    for index, flagged in enumerate(marked):
        if flagged:
            svg.append(
                S.rect(
                    S.title(f"{labels[index]}: {mark}"),
                    x=f"{LEFT + slot * index:.1f}",
                    y=str(TOP),
                    width=f"{slot:.1f}",
                    height=str(plot_height),
                    fill=MARKED,
                )
            )
    for index, label in enumerate(labels):
        base = 0.0
        for line in series:
            value = line.values[index] or 0
            if not value:
                continue
            bar = plot_height * value / top
            y = HEIGHT - BOTTOM - plot_height * base / top - bar
            svg.append(
                S.rect(
                    S.title(f"{label}: {_number(value)}{unit} {line.name}"),
                    x=f"{LEFT + slot * index + slot * 0.15:.1f}",
                    y=f"{y:.1f}",
                    width=f"{slot * 0.7:.1f}",
                    height=f"{max(bar, 0.5):.1f}",
                    fill=line.colour,
                )
            )
            base += value
    _labels(svg, labels, slot)
    legend = [(s.name, s.colour) for s in series] + ([(mark, MARKED)] if any(marked) else [])
    if len(legend) > 1:
        _legend(svg, legend)
    return _chart(title, svg)


def line(
    title: str, description: str, labels: Sequence[str], values: Sequence[float | None]
) -> Chart:
    """A line through the known values, a point on each (an unknown one leaves a gap)."""
    known = [v for v in values if v is not None]
    top = _nice_top(max(known, default=0))
    svg = _frame(title, description)
    _axis(svg, top, "")
    plot_height = HEIGHT - TOP - BOTTOM
    slot = (WIDTH - LEFT - RIGHT) / max(len(labels), 1)
    stretch: list[str] = []
    for index, value in enumerate([*values, None]):
        if value is None:
            if len(stretch) > 1:
                svg.append(
                    S.polyline(
                        points=" ".join(stretch),
                        fill="none",
                        stroke=PALETTE[0],
                        **{"stroke-width": "2"},
                    )
                )
            stretch = []
            continue
        x = LEFT + slot * (index + 0.5)
        y = HEIGHT - BOTTOM - plot_height * value / top
        stretch.append(f"{x:.1f},{y:.1f}")
        svg.append(
            S.circle(
                S.title(f"{labels[index]}: {_number(value)}"),
                cx=f"{x:.1f}",
                cy=f"{y:.1f}",
                r="3",
                fill=PALETTE[0],
            )
        )
    _labels(svg, labels, slot)
    return _chart(title, svg)


def horizontal_bars(title: str, description: str, items: Sequence[tuple[str, int]]) -> Chart:
    """One bar per item, its label above it: for long labels such as reasons."""
    row = 34
    height = TOP + row * max(len(items), 1) + 8
    svg = _frame(title, description, height)
    top = max((count for _, count in items), default=1)
    span = WIDTH - 2 * RIGHT - 60
    for index, (label, count) in enumerate(items):
        y = TOP + row * index
        svg.append(S.text(label[:110], x=str(RIGHT), y=str(y + 10), **{"font-size": "11"}))
        width = max(span * count / top, 1)
        svg.append(
            S.rect(
                S.title(f"{label}: {count}"),
                x=str(RIGHT),
                y=str(y + 14),
                width=f"{width:.1f}",
                height="12",
                fill=PALETTE[index % len(PALETTE)],
            )
        )
        svg.append(
            S.text(str(count), x=f"{RIGHT + width + 6:.1f}", y=str(y + 24), **{"font-size": "11"})
        )
    return _chart(title, svg)
