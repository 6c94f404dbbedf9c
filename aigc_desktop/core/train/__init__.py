"""Training small image models (DCGAN, conv VAE) on the user's own pictures.

`dataset` needs only PIL and numpy (the dialog counts a folder's pictures with it); `dcgan`, `vae`, `trainer` and
`checkpoint` import torch, so only the trainer and sampling engines import them, on a worker thread.
"""
