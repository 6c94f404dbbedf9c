"""What the window shows, as observable Qt objects (no widgets): the app's settings, the open project session, and the
document, canvas (with its image generations) and audio models. Widgets in ui/ render this state and change it through
its methods; each object says what changed with its signals (krita-ai-diffusion's `model.py` is the shape). Layers:
core → workers → state → ui.
"""
