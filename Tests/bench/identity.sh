#!/usr/bin/env bash
# Writes every session, export and manifest a refactor must leave byte-identical, then their
# checksums (not a test: compare the printed list of two builds with `diff`).
#   Tests/bench/identity.sh BINARY OUTDIR [BENCH_CORPUS]
# (The hash caches and locks are left out: a cache holds file times.)
# BENCH_CORPUS (say bench-out/corpus-3500) adds the benchmark's bulk pass; without it only the
# repository's fixtures are used.
set -euo pipefail
binary=$(realpath "$1"); out=$2; bench=${3:-}
root=$(cd "$(dirname "$0")/../.." && pwd)
rm -rf "$out"; mkdir -p "$out"; cd "$out"
export SOURCE_DATE_EPOCH=1700000000 TAGBENCH_ANNOTATOR=identity NO_COLOR=1
cp -r "$root/Fixtures" "$root/Schemas" .
"$binary" run Fixtures/scripts/demo.tb --session demo.json > demo.out 2>&1 || true
formats="spans doccano classify bio brat label-studio"
for f in $formats; do "$binary" export demo.json "$f" "demo-$f.out" > /dev/null 2>&1 || echo "demo $f failed" >> failures; done
"$binary" export demo.json spans demo-split.jsonl --split train=2,dev=1,test=1 > /dev/null 2>&1 || echo "split failed" >> failures
"$binary" stats demo.json > demo-stats.out 2>&1 || true
if [ -n "$bench" ]; then
  mkdir bench; cp -r "$(realpath "$root/$bench" 2>/dev/null || realpath "$bench")" bench/corpus
  cp "$root/Tests/bench/bulk.tb" bench/
  (cd bench && "$binary" run bulk.tb --session s.json > run.out 2>&1 && \
     for f in $formats; do "$binary" export s.json "$f" "out-$f.out" > /dev/null 2>&1 || echo "bench $f failed" >> ../failures; done)
fi
find . \( -path ./Fixtures -o -path ./Schemas -o -path ./bench/corpus -o -name '.*.hashes' -o -name '.*.lock' \) -prune -o -type f -print | sort | xargs md5sum
