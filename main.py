"""Double-click entry: `python main.py` opens AIGC Desktop (`--smoke` checks that the window paints, then exits)."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))  # run from a checkout without installing

from aigc_desktop.app import main

if __name__ == "__main__":
    raise SystemExit(main())
