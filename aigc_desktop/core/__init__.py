"""Plain-Python heart of the app: specs, project, models, engines. Nothing below this package imports Qt."""
