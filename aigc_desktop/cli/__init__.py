"""`aigc`: the terminal face of the app. One parser and `main` (entry.py), one shared runner and its helpers
(common.py), and a module per command group; the groups import only common.py, never each other."""
