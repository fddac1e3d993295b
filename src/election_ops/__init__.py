"""election-ops: staff demand and rosters for a district's polling, early-voting and counting sites."""

__version__ = "0.1.0"
