"""The Models window, one module per part:

    window.py      ModelsWindow: the offline banner, the three tabs, the worker threads they share (ModelTasks) and
                   `models_changed` for the main window's model pickers
    installed.py   InstalledTab: what is installed; pane defaults, pickle consent, open folder, remove
    catalog.py     CatalogTab: what can be downloaded, whether it fits this machine, and each download's progress
                   (it renders core/models/download_state.py's DownloadRow)
    import_tab.py  ImportTab: import a file or folder, and the models found on this computer
    common.py      the tabs' table style, kind labels and status line

The main window imports this package on first use (File > Models…), keeping start-up light.
"""

from aigc_desktop.ui.models_window.window import ModelsWindow

__all__ = ["ModelsWindow"]
