"""Download speed of the app's resumable, checked downloader against huggingface_hub's own `hf_hub_download`, in the
same run, from the local fake Hub (tests/fake_hub.py, unthrottled, loopback). The app also hashes every byte (sha256)
and writes through a resumable .part file; hf_hub_download checks the size only. Prints both times and the ratio.
Asserts nothing.

    .venv/bin/python benchmarks/model_download.py [--mb 300] [--repeat 3]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from fake_hub import FakeHub, catalog_entry, gguf_bytes, write_catalog  # noqa: E402

from aigc_desktop.core.models.catalog import load_catalog  # noqa: E402
from aigc_desktop.core.models.downloads import download_model  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--mb", type=int, default=300, help="size of the file to download (MB)")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()

    from huggingface_hub import hf_hub_download

    work = Path(tempfile.mkdtemp(prefix="aigc-dl-bench-"))
    hub = FakeHub().start()
    repo = "bench/Big-GGUF"
    hub.add(repo, "big.gguf", gguf_bytes(args.mb * 1_000_000))
    catalog = write_catalog(
        work / "catalog.json",
        [catalog_entry(hub, "bench-big", repo, kind="text", backend="llama.cpp", model_path="big.gguf")],
    )
    model = load_catalog(catalog).get("bench-big")
    ours, theirs = [], []
    for i in range(args.repeat):
        started = time.perf_counter()
        download_model(work / f"ours-{i}", model, endpoint=hub.url)
        ours.append(time.perf_counter() - started)
        started = time.perf_counter()
        hf_hub_download(repo, "big.gguf", local_dir=work / f"theirs-{i}", endpoint=hub.url)
        theirs.append(time.perf_counter() - started)
    hub.stop()
    a, b = statistics.median(ours), statistics.median(theirs)
    mb = args.mb
    print(f"file: {mb} MB from the fake Hub on 127.0.0.1, median of {args.repeat}")
    print(f"app download_model (resumable, size + sha256 checked): {a:.2f} s ({mb / a:.0f} MB/s)")
    print(f"huggingface_hub hf_hub_download (size checked):        {b:.2f} s ({mb / b:.0f} MB/s)")
    print(f"ratio app / hf_hub_download: {a / b:.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
