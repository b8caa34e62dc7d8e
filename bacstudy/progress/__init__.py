"""A student's progress: statistics over plain values (``stats``, pure), server-drawn SVG
charts (``charts``, pure), the database reads behind them (``queries``), and progress as a
file to export and import (``portability``)."""
