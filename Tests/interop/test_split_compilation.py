"""A compilation of the four real reports cut into its reports with `load --split-at`, checked
against a cut made here with Python's `re`, line by line; then `export … --split … --split-by
para|sent` in each JSONL format, every split file loaded by Hugging Face `datasets`, every record
found again in its document and in the file by its offsets, every span's offsets exact."""
import json
import os
import pathlib
import re
import subprocess

import pytest

os.environ.setdefault("HF_DATASETS_OFFLINE", "1")
os.environ.setdefault("HF_HUB_OFFLINE", "1")

ROOT = pathlib.Path(__file__).resolve().parents[2]
BINARY = ROOT / ".build" / "debug" / "tagbench"
COMPILATION = ROOT / "Fixtures" / "compilation" / "reports.txt"
TITLE = r"^.{0,40}报告$"
SPLIT = ["--split", "train=8,dev=1,test=1", "--seed", "3"]


def run(*args, cwd, stdin=None):
    env = dict(os.environ, SOURCE_DATE_EPOCH="1700000000", TAGBENCH_ANNOTATOR="interop", TAGBENCH_HISTORY="")
    result = subprocess.run([str(BINARY), *args], cwd=cwd, input=stdin, text=True, capture_output=True, env=env)
    assert result.returncode == 0, result.stderr
    return result


def records(path):
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def python_parts(text):
    """The parts as the rule says, computed independently: each line matching TITLE (matched
    alone, without its line break) starts a part; the text before the first is one if not blank."""
    starts, offset, number = [], 0, 0
    for number, line in enumerate(text.split("\n"), start=1):
        if re.search(TITLE, line.removesuffix("\r")):
            starts.append((offset, number))
        offset += len(line) + 1
    if starts and text[: starts[0][0]].strip():
        starts.insert(0, (0, 1))
    ends = [s for s, _ in starts[1:]] + [len(text)]
    return [(start, line, text[start:end]) for (start, line), end in zip(starts, ends)]


@pytest.fixture(scope="module")
def compilation(tmp_path_factory):
    d = tmp_path_factory.mktemp("compilation")
    script = [
        f"schema {ROOT}/Schemas/governance.tagset.json",
        f"load --split-at /{TITLE}/ {COMPILATION}",
        "tag 巡察 all 巡察 --corpus",
        "tag 主题教育 all 主题教育 --corpus",
        "tag 整改落实 all /整改[^，。]{0,3}/ --corpus",
        "open reports-2",
        "classify 政治建设 para 3",
        "save s.json",
    ]
    run(stdin="\n".join(script) + "\n", cwd=d)
    run("export", "s.json", "spans", "whole.jsonl", cwd=d)
    exports = {
        "spans": ["spans", "spans.jsonl", *SPLIT, "--split-by", "para"],
        "spans-sent": ["spans", "spans-sent.jsonl", *SPLIT, "--split-by", "sent"],
        "doccano": ["doccano", "doccano.jsonl", *SPLIT, "--split-by", "para"],
        "classify": ["classify", "classify.jsonl", *SPLIT, "--split-by", "para", "--from-spans", "--negatives"],
        "bio": ["bio", "bio.jsonl", "--jsonl", "--overlap", "longest", *SPLIT, "--split-by", "para"],
    }
    for args in exports.values():
        run("export", "s.json", *args, cwd=d)
    return d


def test_the_compilation_is_cut_into_exactly_its_reports(compilation):
    text = COMPILATION.read_text(encoding="utf-8")
    expected = python_parts(text)
    assert len(expected) == 4
    whole = records(compilation / "whole.jsonl")
    assert [r["id"] for r in whole] == ["reports-1", "reports-2", "reports-3", "reports-4"]
    for r, (start, line, part_text) in zip(whole, expected):
        assert r["text"] == part_text
        assert r["meta"]["source"].endswith("Fixtures/compilation/reports.txt")
        assert (r["meta"]["part"]["start"], r["meta"]["part"]["line"]) == (start, line)
    # The reports themselves: each under the title the compilation gave it (the fourth from its
    # own title line, below a reseller's three-line watermark).
    reports = sorted((ROOT / "Fixtures" / "reports").glob("*.txt"))
    for r, path in zip(whole[:3], reports[:3]):
        assert r["text"].split("\n", 1)[1] == path.read_text(encoding="utf-8")
    assert whole[3]["text"] == "\n".join(reports[3].read_text(encoding="utf-8").split("\n")[3:])


def paragraphs(text):
    """(start, trimmed text) of each non-blank line, Python's `str.isspace` being whitespace."""
    out, offset = [], 0
    for line in text.split("\n"):
        stripped = line.strip()
        if stripped:
            out.append((offset + len(line) - len(line.lstrip()), stripped))
        offset += len(line) + 1
    return out


def split_files(d, name):
    manifest = json.loads((d / f"{name}.jsonl.manifest.json").read_text(encoding="utf-8"))
    return manifest, {s["name"]: [d / f["path"] for f in s["files"]] for s in manifest["splits"]}


@pytest.mark.parametrize("name", ["spans", "spans-sent", "doccano", "classify", "bio"])
def test_every_split_loads_in_datasets_and_locates_its_records(compilation, name):
    import datasets

    datasets.disable_progress_bars()
    documents = {r["id"]: r for r in records(compilation / "whole.jsonl")}
    file_text = COMPILATION.read_text(encoding="utf-8")
    manifest, files = split_files(compilation, name)
    assert manifest["options"]["split_by"] == ("sent" if name == "spans-sent" else "para")
    seen_units = set()
    split_of_paragraph = {}
    for split, paths in files.items():
        assert paths, f"split {split} has no file"
        for path in paths:
            ds = datasets.load_dataset("json", data_files=str(path), split="train", cache_dir=str(compilation / "hf"))
            recs = records(path)
            assert ds.num_rows == len(recs) > 0
            for r in recs:
                doc = documents[r["doc"]]
                unit = (r["doc"], r["unit"], r["index"])
                assert unit not in seen_units, f"{unit} is in two splits"
                seen_units.add(unit)
                if name == "bio":
                    para = max(k for k, (start, _) in enumerate(paragraphs(doc["text"])) if start <= r["offset"])
                    assert split_of_paragraph.setdefault((r["doc"], para), split) == split, "a paragraph split apart"
                    assert "".join(r["tokens"]) == "".join(doc["text"][r["offset"]:].split())[: len(r["tokens"])]
                    continue
                assert doc["text"][r["offset"]:r["offset"] + len(r["text"])] == r["text"]
                if name.startswith("spans"):
                    start = r["meta"]["part"]["start"] + r["offset"]
                    assert file_text[start:start + len(r["text"])] == r["text"]
                    for s in r["spans"]:
                        assert r["text"][s["start"]:s["end"]] == s["text"]
                if name == "doccano":
                    for s, e, label in r["label"]:
                        assert 0 <= s < e <= len(r["text"]) and label
    if name in ("spans", "doccano"):
        # Every paragraph, in exactly one split.
        expected = {(d, "para", k + 1) for d, r in documents.items() for k in range(len(paragraphs(r["text"])))}
        assert seen_units == expected
    if name == "bio":
        # Sentences kept with their paragraphs: every one, numbered from 1 in each document.
        for d in documents:
            numbers = sorted(k for doc, _, k in seen_units if doc == d)
            assert numbers == list(range(1, len(numbers) + 1)) and len(numbers) > 10


def test_unit_spans_are_the_documents_spans_less_those_across_a_boundary(compilation):
    whole = records(compilation / "whole.jsonl")
    inside = 0
    for r in whole:
        paras = [(s, s + len(t)) for s, t in paragraphs(r["text"])]
        inside += sum(any(a <= s["start"] and s["end"] <= b for a, b in paras) for s in r["spans"])
    _, files = split_files(compilation, "spans")
    exported = sum(len(rec["spans"]) for paths in files.values() for p in paths for rec in records(p))
    assert exported == inside > 50
