"""Engines: plain Python that loads one model and runs job specs on it. Heavy libraries are imported inside them."""
