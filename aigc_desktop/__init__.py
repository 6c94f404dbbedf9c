"""AIGC Desktop: an offline studio to write, paint and record with local generative models."""

__version__ = "0.1.0"
