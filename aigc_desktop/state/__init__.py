"""What the window shows, as observable Qt objects (no widgets): the app's settings, the open project session, the
document, canvas (with its image generations) and audio models, and the user's servers (servers.py). Widgets in ui/
render this state and change it through its methods; each object says what changed with its signals
(krita-ai-diffusion's `model.py` is the shape). Layers: core → workers → state → ui.
"""
