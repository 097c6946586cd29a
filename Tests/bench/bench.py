#!/usr/bin/env python3
"""The bulk-pass benchmark: tagbench against the Python peer (../shared/bench/py_reference.py).

usage: bench.py [--scale N] [--rounds R] [--binary PATH] [--report DIR]
       (make bench; not part of the test suite)

Makes the benchmark corpus (3,500 documents x scale) with ../shared/bench/make_corpus.py, then runs
R rounds, each a strict pair: the peer's whole pass, then tagbench's (`tagbench run
Tests/bench/bulk.tb --session s.json`, which adds the labels, loads the corpus, tags the peer's 13
terms and saves; then `tagbench export s.json spans out.jsonl`, which reopens the session). Each
tool starts from the same state: the other tool's outputs were just written and are then removed,
as a user's would be, so neither finds its own files warm in memory from a run before. Rounds
alternate which tool goes first. Each round also pairs the peer with the floor
(Tests/bench/floor.c, built with cc): two C processes that do only the file work tagbench's two
cannot skip — read the documents into memory of their own and hash them, write and fsync a
session of the same size; read it and the documents again, write an export of the same size,
hashed — and nothing else. The peer / floor ratio bounds what any program that keeps these rules
can reach on the machine as it is during the run. Prints the processor, then for each tool min /
median / max of the wall time and the system time of each process, the ratio of every pair, and
whether both found the same spans; then the latency of interactive commands on the session
tagbench saved.

With --report DIR, then R rounds on that session of `tagbench export s.json spans` against
`tagbench report s.json` (a page a document), both writing into DIR, each first removing its
previous output, alternating which goes first: the wall and system time of each, and the ratio.
"""
import argparse
import json
import os
import pathlib
import platform
import re
import shutil
import statistics
import subprocess
import sys
import time

ROOT = pathlib.Path(__file__).resolve().parents[2]
SHARED = ROOT.parent / "shared"
OUT = ROOT / "bench-out"


def run(argv, cwd, env):
    """Runs a command as a whole process; returns (wall seconds, user, system, peak RSS in MB, stderr)."""
    log = OUT / "last.stderr"
    start = time.perf_counter()
    pid = os.fork()
    if pid == 0:
        os.chdir(cwd)
        os.dup2(os.open(os.devnull, os.O_WRONLY), 1)
        os.dup2(os.open(str(log), os.O_WRONLY | os.O_CREAT | os.O_TRUNC), 2)
        os.execvpe(argv[0], argv, env)
    _, status, usage = os.wait4(pid, 0)
    elapsed = time.perf_counter() - start
    if status != 0:
        sys.exit(f"{' '.join(map(str, argv))} failed:\n" + log.read_text())
    return elapsed, usage.ru_utime, usage.ru_stime, usage.ru_maxrss / 1024, log.read_text()


def build_floor():
    """Compiles Tests/bench/floor.c (the file work alone) into bench-out; returns its path."""
    floor = OUT / "floor"
    sources = [ROOT / "Tests" / "bench" / "floor.c", ROOT / "Sources" / "CTagbenchSHA256" / "sha256.c"]
    if not floor.exists() or any(s.stat().st_mtime > floor.stat().st_mtime for s in sources):
        compiler = shutil.which("cc") or shutil.which("clang")
        if compiler is None:
            sys.exit("no C compiler (cc or clang) to build Tests/bench/floor.c")
        subprocess.run([compiler, "-O2", "-pthread", "-I", str(ROOT / "Sources" / "CTagbenchSHA256" / "include"),
                        *map(str, sources), "-o", str(floor)], check=True, stderr=subprocess.DEVNULL)
    return floor


def processor():
    for line in pathlib.Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            return line.split(":", 1)[1].strip()
    return platform.processor() or "unknown"


def spread(values, unit="s", digits=3):
    med = statistics.median(values)
    return f"median {med:.{digits}f}{unit} (min {min(values):.{digits}f}, max {max(values):.{digits}f})"


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--scale", type=int, default=1, help="corpus size in units of 3,500 documents")
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--binary", default=str(ROOT / ".build" / "release" / "tagbench"))
    parser.add_argument("--report", metavar="DIR", help="also time `report` against `export spans`, writing into DIR")
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
    peer_out = OUT / "py"
    env = dict(os.environ, SOURCE_DATE_EPOCH="1700000000", TAGBENCH_ANNOTATOR="bench", TAGBENCH_HISTORY="")
    peer_argv = [sys.executable, str(SHARED / "bench" / "py_reference.py"), str(corpus), str(peer_out), "orjson"]

    def clear_tagbench():
        for p in work.iterdir():
            if p.name not in ("corpus", "bulk.tb", "latency.tb"):
                p.unlink()

    def tagbench_pass():
        clear_tagbench()
        a = run([args.binary, "run", "bulk.tb", "--session", "s.json", "--timings"], work, env)
        b = run([args.binary, "export", "s.json", "spans", "out.jsonl", "--timings"], work, env)
        timings = {"load": 0.0, "tag": 0.0, "save": 0.0, "open": 0.0, "export": 0.0}
        # `run` reports load, each tag and save; `export` reports open and export.
        for text, kinds in ((a[4], ("load", "tag", "save")), (b[4], ("open", "export"))):
            for m in re.finditer(r"^timing: (\S+).* ([0-9.]+)$", text, re.M):
                if m.group(1) in kinds:
                    timings[m.group(1)] += float(m.group(2))
        with open(work / "out.jsonl", encoding="utf-8") as f:
            spans = sum(len(json.loads(line)["spans"]) for line in f)
        return {"wall": a[0] + b[0], "sys_run": a[2], "sys_export": b[2], "user": a[1] + b[1], "rss": max(a[3], b[3]),
                "steps": timings, "spans": spans}

    def peer_pass():
        shutil.rmtree(peer_out, ignore_errors=True)
        wall, user, system, rss, _ = run(peer_argv, ROOT, env)
        return {"wall": wall, "sys": system, "user": user, "rss": rss}

    # One pass first, not timed: the floor writes as many bytes as tagbench's session and export.
    tagbench_pass()
    session_bytes, export_bytes = (work / "s.json").stat().st_size, (work / "out.jsonl").stat().st_size
    floor = build_floor()

    def floor_pass():
        clear_tagbench()
        a = run([floor, "run", "corpus", "floor.json", str(session_bytes)], work, env)
        b = run([floor, "export", "corpus", "floor.json", "floor.jsonl", str(export_bytes)], work, env)
        return {"wall": a[0] + b[0], "sys_run": a[2], "sys_export": b[2]}

    tb, py, ratios, fl, floor_ratios = [], [], [], [], []
    for round in range(args.rounds):
        # Strict pairs, tagbench's and then the floor's, each with a peer run of its own; who goes
        # first alternates, so neither always follows the other.
        for subject, results, pair_ratios in ((tagbench_pass, tb, ratios), (floor_pass, fl, floor_ratios)):
            if round % 2 == 0:
                p, t = peer_pass(), subject()
            else:
                t, p = subject(), peer_pass()
            results.append(t)
            py.append(p)
            pair_ratios.append(p["wall"] / t["wall"])
        print(f"  round {round + 1}: peer {py[-2]['wall']:.3f}s  tagbench {tb[-1]['wall']:.3f}s  {ratios[-1]:.2f}x"
              f"   peer {py[-1]['wall']:.3f}s  floor {fl[-1]['wall']:.3f}s  {floor_ratios[-1]:.2f}x", flush=True)
    shutil.rmtree(peer_out, ignore_errors=True)
    # The floor's last pass removed tagbench's session: made again for what follows (untimed).
    tagbench_pass()
    py_spans = int(re.search(r"(\d+) spans", subprocess.run(peer_argv, capture_output=True, text=True, check=True).stdout).group(1))
    shutil.rmtree(peer_out, ignore_errors=True)
    med = statistics.median
    print(f"processor: {processor()}, {os.cpu_count()} cores")
    print(f"corpus: {documents} documents, {size:.1f} MB; {args.rounds} rounds, strict pairs, alternating order")
    print("tagbench steps (median): " + "  ".join(f"{k} {med([t['steps'][k] for t in tb]):.3f}s" for k in tb[0]["steps"]))
    print(f"tagbench (run + export): wall {spread([t['wall'] for t in tb])}")
    print(f"    system time: run {spread([t['sys_run'] for t in tb])}, export {spread([t['sys_export'] for t in tb])}")
    print(f"    peak RSS {med([t['rss'] for t in tb]):.0f} MB")
    print(f"peer (orjson, both pairs): wall {spread([p['wall'] for p in py])}")
    print(f"    system time {spread([p['sys'] for p in py])}, peak RSS {med([p['rss'] for p in py]):.0f} MB")
    print(f"peer / tagbench, per pair: {spread(ratios, 'x', 2)}; of the medians {med([p['wall'] for p in py]) / med([t['wall'] for t in tb]):.2f}x")
    print(f"floor (Tests/bench/floor.c, the file work only): wall {spread([f['wall'] for f in fl])}")
    print(f"    system time: run {spread([f['sys_run'] for f in fl])}, export {spread([f['sys_export'] for f in fl])}")
    print(f"peer / floor, per pair: {spread(floor_ratios, 'x', 2)}: the most a program doing this file work could reach")
    spans = tb[-1]["spans"]
    print(f"spans: tagbench {spans}, peer {py_spans}: {'same' if spans == py_spans else 'DIFFERENT'}")
    latency(work, documents, env, args.binary)
    if args.report:
        report_against_export(work, pathlib.Path(args.report), args.rounds, env, args.binary)


def report_against_export(work, out, rounds, env, binary):
    """`report` against `export spans` of the saved session, alternating, outputs in `out`."""
    out.mkdir(parents=True, exist_ok=True)
    exported, reported, ratios = [], [], []

    def export():
        for name in ("spans.jsonl", "spans.jsonl.manifest.json"):
            (out / name).unlink(missing_ok=True)
        return run([binary, "export", "s.json", "spans", str(out / "spans.jsonl")], work, env)

    def report():
        shutil.rmtree(out / "report", ignore_errors=True)
        return run([binary, "report", "s.json", str(out / "report")], work, env)

    for round in range(rounds):
        if round % 2 == 0:
            e = export()
            r = report()
        else:
            r = report()
            e = export()
        exported.append(e)
        reported.append(r)
        ratios.append(r[0] / e[0])
        print(f"  round {round + 1}: export spans {e[0]:.2f}s  report {r[0]:.2f}s  {ratios[-1]:.2f}x", flush=True)
    print(f"export spans: wall {spread([e[0] for e in exported], digits=2)}, "
          f"system {spread([e[2] for e in exported], digits=2)}")
    print(f"report:       wall {spread([r[0] for r in reported], digits=2)}, "
          f"system {spread([r[2] for r in reported], digits=2)}")
    print(f"report / export, per pair: {spread(ratios, 'x', 2)}; into {out}")


def latency(work, documents, env, binary):
    """Interactive commands on the session the bulk pass saved: one document at a time (open,
    show, find, tag, spans), then a corpus-wide tag and the undo of it, then save. Times are the
    engine's, from --timings; `tagbench run` saves once, at the end."""
    lines = []
    for n in sorted({1, documents // 7, documents // 3, documents // 2, documents - 1}):
        lines += [f"open doc{n:06d}", "show", "show para 3", "find 全面从严治党", "tag 第一议题 h1", "spans 巡察"]
    lines += ["tag 警示教育 all 以案为鉴 --corpus", "undo"]
    (work / "latency.tb").write_text("\n".join(lines) + "\n", encoding="utf-8")
    _, _, _, rss, err = run([binary, "run", "latency.tb", "--session", "s.json", "--timings"], work, env)
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
