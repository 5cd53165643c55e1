"""Benchmark the editor path: a re-lint after an edit, and a cold check of a small project.

    python bench/lsp.py               # 5 rounds
    python bench/lsp.py --repeat 3    # fewer rounds
    python bench/lsp.py --quick       # a smoke run: 200 files instead of 2,000, 1 round

Measured in one run, commands alternated round-robin, medians:

* the import floor, ``python -c "import yaml, click, pydantic"`` (a process);
* a cold ``kpilint check --format json --no-cache .`` of the 2,000-file and of
  the 10-file bench project (processes, under ``bench/_rss.py`` as in ``run.py``);
* ``kpilint server`` on the 2,000-file project with one file open: the time
  from sending ``didChange`` (debounce 0) to receiving that version's
  ``publishDiagnostics``, through a real LSP client over stdio.

Targets (issue 14): the re-publish after an edit at most 0.25x the cold check
of the 2,000-file project; the cold check of 10 files at most 1.5x the import floor.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import sys
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
sys.path.insert(0, str(BENCH))

from run import SEED, Spec, bench_env, ensure, kpilint_argv, run_once  # noqa: E402


async def edit_times(root: Path, edits: int, env: dict[str, str]) -> tuple[float, list[float]]:
    """(seconds to the first diagnostics after open, seconds per edit to its diagnostics)."""
    from lsprotocol import types as lsp
    from pygls.lsp.client import LanguageClient
    from pygls.uris import from_fs_path

    client = LanguageClient("kpilint-bench", "1")
    arrived: dict[int, float] = {}
    event = asyncio.Event()

    @client.feature(lsp.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
    def published(params: lsp.PublishDiagnosticsParams) -> None:
        if params.version is not None:
            arrived[params.version] = time.perf_counter()
            event.set()

    async def until(version: int) -> float:
        while version not in arrived:
            event.clear()
            await asyncio.wait_for(event.wait(), 600)
        return arrived[version]

    await client.start_io(sys.executable, "-m", "kpilint", "server", cwd=str(root), env=env)
    await client.initialize_async(
        lsp.InitializeParams(
            capabilities=lsp.ClientCapabilities(),
            root_uri=from_fs_path(str(root)),
            initialization_options={"debounce": 0},
        )
    )
    client.initialized(lsp.InitializedParams())
    path = sorted(root.rglob("*.kpi.yaml"))[len(list(root.rglob("*.kpi.yaml"))) // 2]
    uri = from_fs_path(str(path)) or ""
    text = path.read_text(encoding="utf-8")
    started = time.perf_counter()
    client.text_document_did_open(
        lsp.DidOpenTextDocumentParams(
            lsp.TextDocumentItem(uri=uri, language_id="yaml", version=1, text=text)
        )
    )
    first = await until(1) - started
    times = []
    for version in range(2, edits + 2):
        # alternate a real change of findings: a KPI's target removed, then back
        edited = text if version % 2 else text.replace("    target:", "    targett:", 1)
        sent = time.perf_counter()
        client.text_document_did_change(
            lsp.DidChangeTextDocumentParams(
                lsp.VersionedTextDocumentIdentifier(version=version, uri=uri),
                [lsp.TextDocumentContentChangeWholeDocument(text=edited)],
            )
        )
        times.append(await until(version) - sent)
    await client.shutdown_async(None)
    client.exit(None)
    await client.stop()
    return first, times


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--corpus", type=Path, default=BENCH / "corpus")
    args = parser.parse_args(argv)
    rounds = 1 if args.quick else args.repeat
    big = 200 if args.quick else 2000
    args.corpus.mkdir(parents=True, exist_ok=True)
    big_root = ensure(Spec(f"files-{big}-v", big, False), args.corpus, True, True)
    small_root = ensure(Spec("files-10-v", 10, False), args.corpus, True, True)
    env = bench_env()
    kp = kpilint_argv()
    check = [*kp, "check", "--format", "json", "--no-cache", "."]
    floor = [sys.executable, "-c", "import yaml, click, pydantic"]
    samples: dict[str, list[float]] = {"floor": [], "big": [], "small": [], "edit": []}
    opened: list[float] = []
    for _ in range(rounds):
        samples["floor"].append(run_once(floor, REPO, env).seconds)
        samples["small"].append(run_once(check, small_root, env).seconds)
        samples["big"].append(run_once(check, big_root, env).seconds)
        first, edits = asyncio.run(edit_times(big_root, 5, env))
        opened.append(first)
        samples["edit"].append(statistics.median(edits))
    med = {name: statistics.median(values) for name, values in samples.items()}
    edit_ratio = med["edit"] / med["big"]
    start_ratio = med["small"] / med["floor"]
    print(f"kpilint editor benchmark: medians of {rounds} rounds, seed {SEED}")
    print(f"python {sys.version.split()[0]} ({sys.executable}), {os.cpu_count()} CPUs\n")
    print("| case | median s | ratio | target | result |")
    print("| --- | ---: | ---: | --- | --- |")
    print(f"| import floor: `import yaml, click, pydantic` | {med['floor']:.3f} | 1.00x | | |")
    print(
        f"| cold check, 10 files | {med['small']:.3f} | {start_ratio:.2f}x floor | ≤ 1.5x | "
        f"{'PASS' if start_ratio <= 1.5 else 'FAIL'} |"
    )
    print(f"| cold check, {big:,} files | {med['big']:.3f} | | | |")
    print(
        f"| server: open one of {big:,} files, first diagnostics "
        f"| {statistics.median(opened):.3f} | | | |"
    )
    print(
        f"| server: edit to re-published diagnostics, {big:,} files | {med['edit']:.3f} | "
        f"{edit_ratio:.2f}x cold check | ≤ 0.25x | {'PASS' if edit_ratio <= 0.25 else 'FAIL'} |"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
