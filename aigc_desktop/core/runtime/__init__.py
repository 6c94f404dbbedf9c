"""The installed app's Python runtime, built on first start for this machine's hardware (no Qt here: the frozen
launcher, the setup window, Help ▸ Repair installation and the tests share it).

    hardware.py   what generation can run on: an NVIDIA GPU (`nvidia-smi`) and its memory, or CPU only; an override
    locks.py      the pinned requirements per hardware kind (installer/locks/*.txt, generated from pyproject.toml)
    layout.py     where the runtime goes (the platformdirs data folder, changeable), disk space, the ready marker
    build.py      builds the runtime venv in a temporary folder with one progress figure, renames it into place
    bundle.py     an offline bundle: a folder or archive of every wheel a lock needs, for air-gapped machines
"""
