"""The Audio pane: pane.py (clips, transport, edits), controls.py (the Speech and Music tabs), waveform.py (the
clip's waveform with its selection and playhead). The state they render is state/audio.py's AudioModel."""
