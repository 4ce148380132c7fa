"""Datasette plugins shipped with huibao, loaded by ``huibao serve`` with ``--plugins-dir``."""
