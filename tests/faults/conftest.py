"""The fault tests use the scale tests' workers (tests/scale/conftest.py)."""

from tests.scale.conftest import pg, workers

__all__ = ["pg", "workers"]
