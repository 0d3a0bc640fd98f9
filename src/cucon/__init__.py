"""CuCon: the content model, validator and build tools of the International Cultural Connection."""

__version__ = "0.1.0"
