"""The model registry: embedded models from PyPI packages and whatever lies in the user's models folder."""
