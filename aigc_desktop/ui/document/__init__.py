"""The Document pane: the editor, its generation settings, actions, results and text history."""
