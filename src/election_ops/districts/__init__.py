"""Any of Korea's 250 count units: the national tables (``data/korea/``) and ``district init``."""

from .init import init_unit
from .korea import UnitInfo, list_units, resolve_unit

__all__ = ["UnitInfo", "init_unit", "list_units", "resolve_unit"]
