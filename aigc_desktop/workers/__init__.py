"""Qt threading: one QThread per lane, each with a worker that owns that lane's loaded models; model-manager tasks
(model_tasks.py) and short stoppable calls such as testing a server (background.py) on threads of their own."""
