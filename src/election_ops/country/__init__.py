"""Plan many count units at once: the whole country, a 시도, or a list of units (``country plan``).

Flow: select units -> one task per unit (init, demand, solve, write, validate) run on an
engine (in-process, or Dask distributed) -> the unit folders -> national outputs read
back from the unit folders (so a resumed run and a fresh one give the same totals).
"""
