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


def column_chart(
    values: list[tuple[str, int]], title: str, chart_id: str, colour: str = "var(--accent, #2f6f5e)"
) -> str:
    """Vertical columns of counts with the first, middle and last labels on the axis."""
    width, height, axis = 640, 160, 18
    top = max((v for _, v in values), default=0) or 1
    step = width / max(1, len(values))
    bars = []
    for i, (label, value) in enumerate(values):
        bar = (height - axis - 10) * value / top
        bars.append(
            f'<rect x="{i * step + step * 0.12:.1f}" y="{height - axis - bar:.1f}" '
            f'width="{step * 0.76:.1f}" height="{bar:.1f}" fill="{colour}">'
            f"<title>{escape(label)}: {value}</title></rect>"
        )
    ticks = sorted({0, len(values) // 2, len(values) - 1}) if values else []
    last = len(values) - 1

    def placed(i: int) -> str:
        """The end labels sit flush with the chart's edges, so they are never cut off."""
        if i == 0:
            return 'x="0" text-anchor="start"'
        if i == last:
            return f'x="{width}" text-anchor="end"'
        return f'x="{i * step + step / 2:.1f}" text-anchor="middle"'

    labels = "".join(
        f'<text {placed(i)} y="{height - 4}" class="chart-label">{escape(values[i][0])}</text>'
        for i in ticks
    )
    total = sum(v for _, v in values)
    return (
        f'<svg class="chart columns" viewBox="0 0 {width} {height}" role="img" '
        f'aria-labelledby="{chart_id}-title {chart_id}-desc">'
        f'<title id="{chart_id}-title">{escape(title)}</title>'
        f'<desc id="{chart_id}-desc">{total} in all; highest {top if total else 0} a day.'
        f"</desc>{''.join(bars)}{labels}"
        f'<text x="{width}" y="10" text-anchor="end" class="chart-label">max {top if total else 0}'
        f"</text></svg>"
    )


def calendar_heatmap(days: list[tuple[str, int, int]], title: str = "Reviews each day") -> str:
    """Study days as weekly columns; ``days`` holds (label, weekday, count), oldest first."""
    cell, gap = 11, 2
    top = max((count for _, _, count in days), default=0) or 1
    week, cells = 0, []
    for index, (label, weekday, count) in enumerate(days):
        if index and weekday == 0:
            week += 1
        level = 0 if count == 0 else 1 + min(3, int(4 * count / (top + 1)))
        cells.append(
            f'<rect x="{week * (cell + gap)}" y="{weekday * (cell + gap)}" width="{cell}" '
            f'height="{cell}" rx="2" class="heat-{level}"><title>{escape(label)}: '
            f"{count} review{'s' if count != 1 else ''}</title></rect>"
        )
    width = (week + 1) * (cell + gap)
    height = 7 * (cell + gap)
    studied = sum(1 for _, _, count in days if count)
    return (
        f'<svg class="chart heatmap" viewBox="0 0 {width} {height}" role="img" '
        f'aria-labelledby="heatmap-title heatmap-desc">'
        f'<title id="heatmap-title">{escape(title)}</title>'
        f'<desc id="heatmap-desc">{studied} of the last {len(days)} days had reviews.</desc>'
        f"{''.join(cells)}</svg>"
    )
