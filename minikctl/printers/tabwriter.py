"""Column layout of Go's text/tabwriter as kubectl configures it (minwidth 6, padding 3).

kubernetes/cli-runtime: pkg/printers/tabwriter.go. Every cell but the last of a row is padded to
its column's width; the last cell is trailing text and never padded. A row with fewer cells ends
the block of the columns it lacks (kubectl's rows all have the same count, so one block).
"""

MIN_WIDTH = 6
PADDING = 3


def format_rows(rows: list[list[str]]) -> str:
    """Lay out rows of cells; returns the text with a newline after every row."""
    if not rows:
        return ""
    widths: list[int] = []
    for row in rows:
        for index, cell in enumerate(row[:-1]):
            width = max(MIN_WIDTH, len(cell) + PADDING)
            if index == len(widths):
                widths.append(width)
            elif width > widths[index]:
                widths[index] = width
    lines = []
    for row in rows:
        padded = [cell.ljust(widths[index]) for index, cell in enumerate(row[:-1])]
        lines.append("".join(padded) + (row[-1] if row else ""))
    return "\n".join(lines) + "\n"
