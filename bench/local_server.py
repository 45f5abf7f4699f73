"""Plans from a real llama.cpp-family server with a small GGUF model, as a laptop user runs it.

Starts one server on a free loopback port — llama.cpp's ``llama-server`` when it is on PATH, else
llama-cpp-python's ``python -m llama_cpp.server`` when that package is installed — with the GGUF
model given by ``--model`` or ``$ABLAB_GGUF_MODEL``, then plans the bench papers through the
``llamacpp`` provider (``--structured auto``: the server's own dialect is found by ablab) and
reports, per paper, whether a plan came back, why not, and the seconds it took; plus the
structured-output form the server accepted and the context length it reported. Nothing is
downloaded: without a server or a model the script says what is missing and exits 0.
Prints the figures and writes bench/results/local_server.json.

    .venv/bin/python bench/local_server.py --model ~/models/qwen2.5-0.5b-instruct-q4_k_m.gguf \\
        [--server llama-server|llama-cpp-python] [--papers 3] [--ctx 8192] [--timeout 900] \\
        [--max-input-tokens N]

Without a model at hand, ``bench/tiny_gguf.py`` writes one that exercises the server (not the
planner's quality).
"""

from __future__ import annotations

import argparse
import contextlib
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import paper_sources, write_results  # noqa: E402

from ablab.models import get_model  # noqa: E402
from ablab.models.dialects import learned_dialect  # noqa: E402
from ablab.papers import load_paper  # noqa: E402
from ablab.planners.lm import LMPlanner  # noqa: E402
from ablab.runs import run_plans_sync  # noqa: E402
from ablab.schema import Mode  # noqa: E402


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _server_command(kind: str, model: Path, port: int, ctx: int, python: str) -> list[str] | None:
    """The command that starts ``kind`` on loopback, or None when it is not installed."""
    if kind == "llama-server":
        binary = shutil.which("llama-server")
        if binary is None:
            return None
        return [
            binary,
            "-m",
            str(model),
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "-c",
            str(ctx),
        ]
    probe = subprocess.run(
        [python, "-c", "import llama_cpp.server"], capture_output=True, check=False
    )
    if probe.returncode != 0:
        return None
    return [
        python,
        "-m",
        "llama_cpp.server",
        "--model",
        str(model),
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "--n_ctx",
        str(ctx),
    ]


@contextlib.contextmanager
def _running(command: list[str], port: int, wait: float) -> Iterator[str]:
    """Start the server, wait until ``/v1/models`` answers, stop it afterwards."""
    log = tempfile.TemporaryFile()  # noqa: SIM115 - closed in the finally below
    process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT)
    base_url = f"http://127.0.0.1:{port}/v1"
    try:
        deadline = time.monotonic() + wait
        while True:
            if process.poll() is not None:
                log.seek(0)
                tail = log.read()[-2000:].decode("utf-8", "replace")
                raise SystemExit(f"the server exited with code {process.returncode}:\n{tail}")
            try:
                with urllib.request.urlopen(f"{base_url}/models", timeout=2):
                    break
            except OSError:
                if time.monotonic() > deadline:
                    raise SystemExit(f"the server did not answer within {wait:.0f} s") from None
                time.sleep(0.5)
        yield base_url
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
        log.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", type=Path, default=os.environ.get("ABLAB_GGUF_MODEL"))
    parser.add_argument(
        "--server", choices=("auto", "llama-server", "llama-cpp-python"), default="auto"
    )
    parser.add_argument(
        "--server-python",
        default=sys.executable,
        help="interpreter with llama-cpp-python[server] installed (default: this one)",
    )
    parser.add_argument("--papers", type=int, default=3, help="how many bench papers to plan")
    parser.add_argument("--ctx", type=int, default=8192, help="context the server is started with")
    parser.add_argument("--timeout", type=float, default=900.0)
    parser.add_argument(
        "--max-input-tokens", type=int, default=None, help="as `ablab plan --max-input-tokens`"
    )
    parser.add_argument("--start-wait", type=float, default=180.0)
    args = parser.parse_args()

    if args.model is None or not Path(args.model).is_file():
        print("skipped: no GGUF model (give --model PATH or set ABLAB_GGUF_MODEL)")
        return
    kinds = ("llama-server", "llama-cpp-python") if args.server == "auto" else (args.server,)
    port = _free_port()
    commands = (
        (k, _server_command(k, args.model, port, args.ctx, args.server_python)) for k in kinds
    )
    chosen = next(((k, c) for k, c in commands if c is not None), None)
    if chosen is None:
        print("skipped: neither llama-server (on PATH) nor llama-cpp-python is installed")
        return
    kind, command = chosen
    sources = paper_sources()[: args.papers]
    papers = [load_paper(path) for path in sources]
    print(f"{kind} with {Path(args.model).name}, context {args.ctx}, {len(papers)} papers")

    with _running(command, port, args.start_wait) as base_url:
        model = get_model("llamacpp/local", base_url=base_url, timeout=args.timeout)
        reported_ctx = model.context_window
        rows = []
        for paper in papers:  # one at a time: a laptop server answers one request at a time
            started = time.perf_counter()
            with tempfile.TemporaryDirectory() as out:
                planner = LMPlanner(model, max_input_tokens=args.max_input_tokens)
                summary = run_plans_sync(
                    [paper], planner, mode=Mode.AUTHOR, out=Path(out), concurrency=1
                )
            [result] = summary.results
            seconds = time.perf_counter() - started
            rows.append(
                {
                    "paper": paper.id,
                    "status": result.status,
                    "ablations": len(result.plan.ablations) if result.plan else 0,
                    "requests": summary.usage.requests,
                    "seconds": round(seconds, 1),
                    "error": result.error,
                }
            )
            print(
                f"  {paper.id:40.40} {result.status:7} {rows[-1]['ablations']} ablations "
                f"{summary.usage.requests} requests {seconds:7.1f} s"
                + (f"  ({result.error[:120]})" if result.error else "")
            )
        accepted = learned_dialect(base_url)

    planned = sum(r["status"] == "done" for r in rows)
    times = [r["seconds"] for r in rows]
    figures = {
        "server": kind,
        "gguf": Path(args.model).name,
        "server_context": args.ctx,
        "reported_context": reported_ctx,
        "structured_form": accepted,
        "papers": len(rows),
        "planned": planned,
        "failed": len(rows) - planned,
        "seconds_per_paper": round(sum(times) / len(times), 1) if times else None,
        "rows": rows,
    }
    print(
        f"{planned}/{len(rows)} planned · structured form {accepted} · context reported "
        f"{reported_ctx} · {figures['seconds_per_paper']} s per paper"
    )
    print(f"written {write_results('local_server', figures)}")


if __name__ == "__main__":
    main()
