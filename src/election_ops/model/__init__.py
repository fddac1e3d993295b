"""The optimisation model: the only package that imports ortools (in ``cpsat``)."""
