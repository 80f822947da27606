"""How every report picture is drawn: a matplotlib `Figure` on the Agg canvas, which renders to
files and needs neither a display nor pyplot's global state."""

from __future__ import annotations

from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure


def new_figure(width: float, height: float) -> Figure:
    """A figure of `width` × `height` inches with constrained layout, ready for `savefig`."""
    fig = Figure(figsize=(width, height), layout="constrained")
    FigureCanvasAgg(fig)
    return fig
