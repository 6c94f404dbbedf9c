"""Qt threading: one QThread per lane, each with a worker that owns that lane's loaded models."""
