"""`python -m aigc_desktop` is the `aigc` command."""

from aigc_desktop.cli.entry import main

raise SystemExit(main())
