"""Small bar charts drawn as inline SVG on the server: they work offline, without
scripts, in the pages and in a report sent by e-mail. Every label is escaped."""

from __future__ import annotations

from markupsafe import Markup, escape

#: A colour a bar may take, by the name of what it counts (claim statuses, levels).
COLOURS = {
    "unreviewed": "#9aa5b1",
    "supported": "#2f855a",
    "partly_supported": "#b7791f",
    "unsupported": "#c53030",
    "contradicted": "#702459",
    "1": "#22543d",
    "2": "#2f855a",
    "3": "#68d391",
    "4": "#ecc94b",
    "5": "#ed8936",
    "none": "#9aa5b1",
}
BAR_HEIGHT = 18
GAP = 6
LABEL_WIDTH = 150
BAR_WIDTH = 240


def bar_chart(
    title: str, counts: dict[str, int], labels: dict[str, str] | None = None
) -> Markup:
    """Horizontal bars, one per key of ``counts``, with the count beside each."""
    labels = labels or {}
    largest = max(counts.values(), default=0) or 1
    rows = []
    for index, (name, count) in enumerate(counts.items()):
        y = 24 + index * (BAR_HEIGHT + GAP)
        width = round(BAR_WIDTH * count / largest)
        colour = COLOURS.get(str(name), "#4a5568")
        label = labels.get(name, str(name).replace("_", " "))
        rows.append(
            f'<text x="{LABEL_WIDTH - 8}" y="{y + 13}" text-anchor="end">{escape(label)}</text>'
            f'<rect x="{LABEL_WIDTH}" y="{y}" width="{max(width, 1)}" height="{BAR_HEIGHT}"'
            f' fill="{colour}"><title>{escape(label)}: {count}</title></rect>'
            f'<text x="{LABEL_WIDTH + max(width, 1) + 6}" y="{y + 13}">{count}</text>'
        )
    height = 24 + len(counts) * (BAR_HEIGHT + GAP)
    width = LABEL_WIDTH + BAR_WIDTH + 50
    return Markup(
        f'<svg class="chart" role="img" aria-label="{escape(title)}" width="{width}"'
        f' height="{height}" viewBox="0 0 {width} {height}"'
        ' xmlns="http://www.w3.org/2000/svg" font-family="sans-serif" font-size="12">'
        f'<text x="0" y="14" font-weight="bold">{escape(title)}</text>'
        + "".join(rows)
        + "</svg>"
    )
