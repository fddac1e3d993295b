"""Machine-readable output files (UTF-8 CSV), each written atomically and injection-safe."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from ..safe_write import neutralise, write_atomic


def write_csv(frame: pd.DataFrame, target: Path) -> None:
    """Write ``frame`` as UTF-8 CSV with LF line ends, atomically; text cells are neutralised first."""
    write_atomic(target, lambda tmp: save_csv(frame, tmp))


def save_csv(frame: pd.DataFrame, path: Path) -> None:
    """Write ``frame`` to ``path`` as it stands (no temp file: for a caller that stages files itself)."""
    safe = frame.copy()
    for column in safe.columns:
        if safe[column].dtype == object or pd.api.types.is_string_dtype(safe[column]):
            safe[column] = safe[column].map(neutralise)
    safe.to_csv(path, index=False, encoding="utf-8", lineterminator="\n")
