"""Widgets only: panes, the main window and dialogs. State lives in core.Project; work runs in workers."""
