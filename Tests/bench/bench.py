#!/usr/bin/env python3
"""The bulk-pass benchmark: tagbench against the Python peer (../shared/bench/py_reference.py).

usage: bench.py [--scale N] [--rounds R]     (make bench runs it; not part of the test suite)

Makes the benchmark corpus (3,500 documents x scale) with ../shared/bench/make_corpus.py, then
alternates A/B R times: tagbench's bulk pass (`tagbench run Tests/bench/bulk.tb --session`, which
adds the labels, loads the corpus, tags the peer's 13 terms over it and saves; then
`tagbench export SESSION spans OUT`, which reopens the session), and the peer with orjson.
Prints medians: tagbench's per-step times (from --timings), each tool's wall time and peak RSS,
the ratio peer/tagbench, and whether both found the same number of spans; then the latency of
interactive commands on the session the bulk pass saved.
"""
import argparse
import json
import os
import pathlib
import re
import shutil
import statistics
import subprocess
import sys
import time

ROOT = pathlib.Path(__file__).resolve().parents[2]
SHARED = ROOT.parent / "shared"
OUT = ROOT / "bench-out"
BINARY = ROOT / ".build" / "release" / "tagbench"


def run_with_rss(argv, cwd, env=None):
    """Runs a command as a whole process; returns (seconds, its peak RSS in MB, its stderr)."""
    start = time.perf_counter()
    pid = os.fork()
    if pid == 0:
        os.chdir(cwd)
        fd = os.open(os.devnull, os.O_WRONLY)
        log = os.open(str(OUT / "last.stderr"), os.O_WRONLY | os.O_CREAT | os.O_TRUNC)
        os.dup2(fd, 1)
        os.dup2(log, 2)
        os.execvpe(argv[0], argv, env or os.environ)
    _, status, usage = os.wait4(pid, 0)
    elapsed = time.perf_counter() - start
    if status != 0:
        sys.exit(f"{' '.join(map(str, argv))} failed:\n" + (OUT / "last.stderr").read_text())
    return elapsed, usage.ru_maxrss / 1024, (OUT / "last.stderr").read_text()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--scale", type=int, default=1, help="corpus size in units of 3,500 documents")
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    documents = 3500 * args.scale
    corpus = OUT / f"corpus-{documents}"
    OUT.mkdir(exist_ok=True)
    if not corpus.is_dir() or len(list(corpus.glob("*.txt"))) != documents:
        shutil.rmtree(corpus, ignore_errors=True)
        subprocess.run([sys.executable, SHARED / "bench" / "make_corpus.py", SHARED / "corpus", corpus, str(documents)], check=True)
    size = sum(p.stat().st_size for p in corpus.glob("*.txt")) / 1e6
    work = OUT / "work"
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir()
    (work / "corpus").symlink_to(corpus)
    shutil.copy(ROOT / "Tests" / "bench" / "bulk.tb", work / "bulk.tb")
    env = dict(os.environ, SOURCE_DATE_EPOCH="1700000000", TAGBENCH_ANNOTATOR="bench", TAGBENCH_HISTORY="")

    steps, tb_wall, tb_rss, py_wall, py_rss, py_steps = {}, [], [], [], [], {}
    tb_spans = py_spans = None
    for round in range(args.rounds):
        # A: tagbench, as two whole processes.
        (work / "s.json").unlink(missing_ok=True)
        t1, rss1, err1 = run_with_rss([str(BINARY), "run", "bulk.tb", "--session", "s.json", "--timings"], work, env)
        t2, rss2, err2 = run_with_rss([str(BINARY), "export", "s.json", "spans", "out.jsonl", "--timings"], work, env)
        tb_wall.append(t1 + t2)
        tb_rss.append(max(rss1, rss2))
        timings = {"load": 0.0, "tag": 0.0, "save": 0.0, "open": 0.0, "export": 0.0}
        # `run` reports load, each tag and save; `export` reports open and export.
        for text, kinds in ((err1, ("load", "tag", "save")), (err2, ("open", "export"))):
            for m in re.finditer(r"^timing: (\S+).* ([0-9.]+)$", text, re.M):
                if m.group(1) in kinds:
                    timings[m.group(1)] += float(m.group(2))
        for k, v in timings.items():
            steps.setdefault(k, []).append(v)
        with open(work / "out.jsonl", encoding="utf-8") as f:
            tb_spans = sum(len(json.loads(line)["spans"]) for line in f)
        # B: the peer.
        t, rss, _ = run_with_rss([sys.executable, str(SHARED / "bench" / "py_reference.py"), str(corpus), str(OUT / "py"), "orjson"], ROOT, env)
        py_wall.append(t)
        py_rss.append(rss)
    peer_out = subprocess.run([sys.executable, str(SHARED / "bench" / "py_reference.py"), str(corpus), str(OUT / "py"), "orjson"],
                              capture_output=True, text=True, check=True).stdout
    py_spans = int(re.search(r"(\d+) spans", peer_out).group(1))
    med = statistics.median
    print(f"corpus: {documents} documents, {size:.1f} MB; {args.rounds} rounds, A/B alternating; medians")
    print("tagbench steps: " + "  ".join(f"{k} {med(v):.3f}s" for k, v in steps.items()))
    print(f"tagbench (run + export): {med(tb_wall):.3f}s  peak RSS {med(tb_rss):.0f} MB")
    print(f"peer (orjson):           {med(py_wall):.3f}s  peak RSS {med(py_rss):.0f} MB")
    print(f"peer / tagbench:         {med(py_wall) / med(tb_wall):.2f}x")
    print(f"spans: tagbench {tb_spans}, peer {py_spans}: {'same' if tb_spans == py_spans else 'DIFFERENT'}")
    latency(work, documents, env)


def latency(work, documents, env):
    """Interactive commands on the session the bulk pass saved: one document at a time (open,
    show, find, tag, spans), then a corpus-wide tag and the undo of it, then save. Times are the
    engine's, from --timings; `tagbench run` saves once, at the end."""
    lines = []
    for n in sorted({1, documents // 7, documents // 3, documents // 2, documents - 1}):
        lines += [f"open doc{n:06d}", "show", "show para 3", "find 全面从严治党", "tag 第一议题 h1", "spans 巡察"]
    lines += ["tag 警示教育 all 以案为鉴 --corpus", "undo"]
    (work / "latency.tb").write_text("\n".join(lines) + "\n", encoding="utf-8")
    _, rss, err = run_with_rss([str(BINARY), "run", "latency.tb", "--session", "s.json", "--timings"], work, env)
    by_kind = {}
    for m in re.finditer(r"^timing: (.*) ([0-9.]+)$", err, re.M):
        command, seconds = m.group(1), float(m.group(2))
        kind = "open session" if command == "open" else "tag (corpus, bulk)" if "--corpus" in command else \
            "show" if command.startswith("show") else command.split(" ")[0] + (" DOC" if command.startswith("open ") else "")
        by_kind.setdefault(kind, []).append(seconds)
    print(f"interactive, on the saved session (ms, median / worst); peak RSS {rss:.0f} MB:")
    for kind, values in by_kind.items():
        print(f"  {kind:20} {statistics.median(values) * 1000:9.1f} / {max(values) * 1000:9.1f}")


if __name__ == "__main__":
    main()
