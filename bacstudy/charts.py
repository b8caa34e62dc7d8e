"""Small server-rendered SVG charts: no script, no CDN, readable by screen readers.

Each chart is an ``<svg role="img">`` with a ``<title>`` and ``<desc>`` that say
what it shows; pages put a table with the same numbers beside it.
"""

from __future__ import annotations

from html import escape

BAR_HEIGHT, BAR_GAP, LABEL_WIDTH, BAR_WIDTH = 22, 8, 170, 260


def bar_chart(items: list[tuple[str, int]], title: str = "Score by topic") -> str:
    """Horizontal bars of percentages (0–100), one per labelled item."""
    height = max(1, len(items)) * (BAR_HEIGHT + BAR_GAP)
    width = LABEL_WIDTH + BAR_WIDTH + 50
    summary = "; ".join(f"{label}: {value}%" for label, value in items)
    rows = []
    for i, (label, value) in enumerate(items):
        y = i * (BAR_HEIGHT + BAR_GAP)
        length = BAR_WIDTH * max(0, min(100, value)) / 100
        colour = "#38a169" if value >= 80 else "#dd6b20" if value >= 50 else "#e53e3e"
        rows.append(
            f'<text x="{LABEL_WIDTH - 8}" y="{y + 16}" text-anchor="end" class="chart-label">'
            f"{escape(label)}</text>"
            f'<rect x="{LABEL_WIDTH}" y="{y}" width="{BAR_WIDTH}" height="{BAR_HEIGHT}" '
            f'rx="4" class="chart-track"/>'
            f'<rect x="{LABEL_WIDTH}" y="{y}" width="{length:.1f}" height="{BAR_HEIGHT}" rx="4" '
            f'fill="{colour}"/>'
            f'<text x="{LABEL_WIDTH + BAR_WIDTH + 8}" y="{y + 16}" class="chart-value">'
            f"{value}%</text>"
        )
    return (
        f'<svg class="chart" viewBox="0 0 {width} {height}" role="img" '
        f'aria-labelledby="chart-bars-title chart-bars-desc">'
        f'<title id="chart-bars-title">{escape(title)}</title>'
        f'<desc id="chart-bars-desc">{escape(summary)}</desc>{"".join(rows)}</svg>'
    )


def trend_chart(values: list[int], title: str = "Score of each attempt") -> str:
    """A line of percentages over attempts, oldest first; empty text for fewer than two."""
    if len(values) < 2:
        return ""
    width, height, pad = 320, 90, 10
    step = (width - 2 * pad) / (len(values) - 1)
    points = " ".join(
        f"{pad + i * step:.1f},{height - pad - (height - 2 * pad) * v / 100:.1f}"
        for i, v in enumerate(values)
    )
    summary = ", ".join(f"{v}%" for v in values)
    dots = "".join(
        f'<circle cx="{pad + i * step:.1f}" cy="{height - pad - (height - 2 * pad) * v / 100:.1f}"'
        f' r="3.5" class="chart-dot"/>'
        for i, v in enumerate(values)
    )
    return (
        f'<svg class="chart trend" viewBox="0 0 {width} {height}" role="img" '
        f'aria-labelledby="chart-trend-title chart-trend-desc">'
        f'<title id="chart-trend-title">{escape(title)}</title>'
        f'<desc id="chart-trend-desc">Oldest first: {escape(summary)}</desc>'
        f'<line x1="{pad}" y1="{height / 2}" x2="{width - pad}" y2="{height / 2}" '
        f'class="chart-track-line"/>'
        f'<polyline points="{points}" class="chart-line" fill="none"/>{dots}</svg>'
    )
