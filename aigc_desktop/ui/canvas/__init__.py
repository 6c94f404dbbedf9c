"""The Canvas pane, rendering state/canvas.py's CanvasModel and state/image_generation.py's ImageGeneration:
pane (layout, actions, status line), view (scene and view), tools, toolbar (tool and option bars), layers (the
Layers tab), generate (the Generate tab), dialogs (resize image, canvas size)."""
