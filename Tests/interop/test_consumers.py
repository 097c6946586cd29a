"""Every export format, loaded by the tools that consume it: spaCy (char_span and DocBin),
Hugging Face `datasets`, seqeval, brat's offset rules and Label Studio's task format; plus each
manifest checked against its files, export → load → export byte-identical for the formats that
carry everything, and the suggestions of the tag set's rules against a count made in Python.
The corpus is the fixtures and the four real reports in Fixtures/reports."""
import hashlib
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
REPORTS = ROOT / "Fixtures" / "reports"

# Literal terms that never overlap one another, so IOB2 holds every span and decoding the tags
# must give back exactly the spans export.
FLAT = ["巡察", "主题教育", "第一议题", "整改", "形式主义", "基层党建"]


def run(*args, cwd, stdin=None):
    env = dict(os.environ, SOURCE_DATE_EPOCH="1700000000", TAGBENCH_ANNOTATOR="interop", TAGBENCH_HISTORY="")
    result = subprocess.run([str(BINARY), *args], cwd=cwd, input=stdin, text=True, capture_output=True, env=env)
    assert result.returncode == 0, result.stderr
    return result


def build(directory, terms, extra=(), name="s.json"):
    assert len(list(REPORTS.glob("*.txt"))) == 4, f"the four reports must be in {REPORTS}"
    lines = [f"schema {ROOT}/Schemas/governance.tagset.json", f"load {REPORTS} {ROOT}/Fixtures/corpus {ROOT}/Fixtures/edge"]
    labels = {"巡察": "巡察", "主题教育": "主题教育", "第一议题": "第一议题", "整改": "整改落实", "形式主义": "形式主义官僚主义",
              "基层党建": "基层党建", "巡察工作": "巡视", "减轻基层负担": "减负"}
    lines += [f"tag {labels[t]} all {t} --corpus" for t in terms]
    lines += list(extra) + [f"save {name}"]
    run(stdin="\n".join(lines) + "\n", cwd=directory)


# 主题教育 and 巡察 are span labels put on units too: no 主题教育 span lies in paragraph 3.
UNIT_LABELS = ["open quwei-2023", "classify 政治建设 doc", "classify 政治建设 para 2", "note a1 第一处",
               "classify 主题教育 para 3", "classify 巡察 doc"]
EXPORTS = {
    "spans": ["spans", "spans.jsonl"],
    "spans-sent": ["spans", "spans-sent.jsonl", "--unit", "sent"],
    "doccano": ["doccano", "doccano.jsonl"],
    "classify": ["classify", "classify.jsonl", "--unit", "para", "--from-spans", "--negatives"],
    "bio-doc": ["bio", "bio-doc.jsonl", "--jsonl", "--unit", "doc"],
    "bio-sent": ["bio", "bio-sent.jsonl", "--jsonl"],
    "conll": ["bio", "bio.conll"],
    "brat": ["brat", "brat"],
    "label-studio": ["label-studio", "ls.json"],
    "split": ["doccano", "split.jsonl", "--split", "train=8,dev=1,test=1", "--seed", "3", "--shard-size", "5"],
}


@pytest.fixture(scope="module")
def flat(tmp_path_factory):
    d = tmp_path_factory.mktemp("flat")
    build(d, FLAT, UNIT_LABELS)
    for args in EXPORTS.values():
        run("export", "s.json", *args, cwd=d)
    return d


@pytest.fixture(scope="module")
def merged(tmp_path_factory):
    # Three annotators merged (unanimous) and every conflict adjudicated by a script: bob has no
    # 整改 and tags 减负 (conflicts both ways); odd conflicts take the first version, even ones all.
    d = tmp_path_factory.mktemp("merged")
    build(d, FLAT, UNIT_LABELS, name="alice.json")
    build(d, [t for t in FLAT if t != "整改"] + ["减轻基层负担"], UNIT_LABELS, name="bob.json")
    build(d, FLAT, UNIT_LABELS, name="carol.json")
    made = run("merge", "s.json", "alice.json", "bob.json", "carol.json", cwd=d).stdout
    first, last = map(int, re.search(r"new conflicts \(c(\d+)–c(\d+)\)", made).groups())
    assert last - first > 20, made
    decisions = [f"resolve c{n} " + ("--pick 1" if n % 2 else "--all") for n in range(first, last + 1)]
    run("s.json", stdin="\n".join(decisions + ["conflicts", "save"]) + "\n", cwd=d)
    session = json.loads((d / "s.json").read_text(encoding="utf-8"))
    assert session["conflicts"] and all("decision" in c for c in session["conflicts"])
    assert any(a["source"] == "merge" and len(a["annotators"]) == 3 for a in session["annotations"])
    for args in EXPORTS.values():
        run("export", "s.json", *args, cwd=d)
    return d


@pytest.fixture(scope="module")
def nested(tmp_path_factory):
    # 巡察工作 contains 巡察 and 减轻基层负担 overlaps nothing: overlapping and nested spans.
    d = tmp_path_factory.mktemp("nested")
    build(d, ["巡察", "巡察工作", "减轻基层负担", "整改"])
    run("export", "s.json", "spans", "spans.jsonl", cwd=d)
    run("export", "s.json", "doccano", "doccano.jsonl", cwd=d)
    run("export", "s.json", "label-studio", "ls.json", cwd=d)
    run("export", "s.json", "bio", "bio.jsonl", "--jsonl", "--overlap", "longest", cwd=d)
    return d


def records(path):
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def span_records(d):
    """(text, [(start, end, label, text)]) for each record of the three span formats."""
    out = {}
    out["spans"] = [(r["text"], [(s["start"], s["end"], s["label"], s["text"]) for s in r["spans"]]) for r in records(d / "spans.jsonl")]
    out["doccano"] = [(r["text"], [(s, e, l, None) for s, e, l in r["label"]]) for r in records(d / "doccano.jsonl")]
    tasks = json.loads((d / "ls.json").read_text(encoding="utf-8"))
    out["label-studio"] = [(t["data"]["text"], [(v["start"], v["end"], v["labels"][0], v["text"]) for v in
                                                (x["value"] for x in t["annotations"][0]["result"] if x["type"] == "labels")]) for t in tasks]
    return out


@pytest.mark.parametrize("which", ["flat", "nested", "merged"])
def test_span_formats_have_exact_offsets_and_spacy_takes_every_span(which, request, tmp_path):
    import spacy
    from spacy.tokens import DocBin, SpanGroup

    d = request.getfixturevalue(which)
    nlp = spacy.blank("zh")
    reference = None
    for fmt, recs in span_records(d).items():
        total = 0
        bin_ = DocBin(store_user_data=True)
        for text, spans in recs:
            doc = nlp(text)
            group = []
            for start, end, label, span_text in spans:
                if span_text is not None:
                    assert text[start:end] == span_text, (fmt, start, end)
                span = doc.char_span(start, end, label=label)
                assert span is not None, (fmt, text[start:end], start, end)
                group.append(span)
                total += 1
            doc.spans["sc"] = SpanGroup(doc, name="sc", spans=group)
            bin_.add(doc)
        bin_.to_disk(tmp_path / f"{fmt}.spacy")
        back = list(DocBin().from_disk(tmp_path / f"{fmt}.spacy").get_docs(nlp.vocab))
        assert [len(doc.spans["sc"]) for doc in back] == [len(s) for _, s in recs]
        assert [(s.start_char, s.end_char, s.label_) for s in back[0].spans["sc"]] == [(a, b, l) for a, b, l, _ in recs[0][1]]
        assert total > 300, f"{fmt}: only {total} spans"
        reference = reference or total
        assert total == reference, "spans, doccano and label-studio hold the same spans"


def jsonl_exports(d):
    manifest_paths = sorted(d.glob("*.manifest.json"))
    for m in manifest_paths:
        manifest = json.loads(m.read_text(encoding="utf-8"))
        if manifest["format"] in ("brat", "label-studio") or (manifest["format"] == "bio" and not manifest["options"]["jsonl"]):
            continue
        for split in manifest["splits"]:
            for f in split["files"]:
                yield manifest, d / f["path"], f["records"]


@pytest.mark.parametrize("which", ["flat", "merged"])
def test_datasets_loads_every_jsonl_export_and_split(which, request):
    flat = request.getfixturevalue(which)
    import datasets

    datasets.disable_progress_bars()
    seen = 0
    for manifest, path, count in jsonl_exports(flat):
        if count == 0:
            continue
        ds = datasets.load_dataset("json", data_files=str(path), split="train", cache_dir=str(flat / "hf-cache"))
        assert ds.num_rows == count, path.name
        if manifest["format"] == "bio":
            assert set(ds.column_names) >= {"id", "tokens", "ner_tags"}
        seen += 1
    assert seen >= 8


def iob2_valid(tags):
    previous = "O"
    for t in tags:
        if t.startswith("I-") and previous[2:] != t[2:]:
            return False
        previous = t
    return True


def decode(tokens_at, tags):
    """Spans (start, end, label) in document offsets from IOB2 tags of tokens at those offsets."""
    spans = []
    current = None
    for offset, tag in zip(tokens_at, tags):
        if tag.startswith("B-") or tag == "O":
            if current:
                spans.append(tuple(current))
            current = [offset, offset + 1, tag[2:]] if tag != "O" else None
        else:
            current[1] = offset + 1
    if current:
        spans.append(tuple(current))
    return spans


def bio_sequences(d, name):
    names = json.loads((d / name.replace(".jsonl", ".labels.json")).read_text(encoding="utf-8"))
    texts = {r["id"]: r["text"] for r in records(d / "spans.jsonl")}
    out = []
    for r in records(d / name):
        text = texts[r["doc"]]
        # Tokens are the non-whitespace characters (str.isspace) from the unit's offset on.
        positions = []
        i = r["offset"]
        while len(positions) < len(r["tokens"]):
            if not text[i].isspace():
                assert text[i] == r["tokens"][len(positions)], (r["id"], i)
                positions.append(i)
            i += 1
        out.append((r, positions, [names[t] for t in r["ner_tags"]]))
    return out


@pytest.mark.parametrize("which", ["flat", "merged"])
def test_bio_is_valid_iob2_scores_one_and_decodes_to_exactly_the_exported_spans(which, request):
    flat = request.getfixturevalue(which)
    from seqeval.metrics import f1_score
    from seqeval.scheme import IOB2

    sequences = bio_sequences(flat, "bio-doc.jsonl")
    gold = [tags for _, _, tags in sequences]
    assert all(iob2_valid(t) for t in gold)
    assert f1_score(gold, gold, mode="strict", scheme=IOB2) == 1.0
    decoded = {(r["doc"], *s) for r, positions, tags in sequences for s in decode(positions, tags)}
    exported = {(r["id"], s["start"], s["end"], s["label"]) for r in records(flat / "spans.jsonl") for s in r["spans"]}
    assert decoded == exported
    # By sentence: every decoded span is an exported one; only spans across sentences are missing.
    by_sentence = [(r, p, t) for r, p, t in bio_sequences(flat, "bio-sent.jsonl")]
    assert all(iob2_valid(t) for _, _, t in by_sentence)
    decoded_sent = {(r["doc"], *s) for r, p, t in by_sentence for s in decode(p, t)}
    assert decoded_sent <= exported and len(decoded_sent) > 0.95 * len(exported)


@pytest.mark.parametrize("which", ["flat", "merged"])
def test_conll_holds_the_same_tags_as_the_jsonl(which, request):
    flat = request.getfixturevalue(which)
    blocks = [b for b in (flat / "bio.conll").read_text(encoding="utf-8").split("\n\n") if b]
    sequences = bio_sequences(flat, "bio-sent.jsonl")
    assert len(blocks) == len(sequences)
    for block, (r, _, tags) in zip(blocks, sequences):
        rows = [line.split("\t") for line in block.split("\n")]
        assert [c for c, _ in rows] == r["tokens"] and [t for _, t in rows] == tags


def test_bio_with_overlaps_resolved_keeps_a_subset_of_valid_tags(nested):
    from seqeval.metrics import f1_score

    sequences = bio_sequences(nested, "bio.jsonl")
    gold = [tags for _, _, tags in sequences]
    assert all(iob2_valid(t) for t in gold) and f1_score(gold, gold) == 1.0
    decoded = {(r["doc"], *s) for r, p, t in sequences for s in decode(p, t)}
    exported = {(r["id"], s["start"], s["end"], s["label"]) for r in records(nested / "spans.jsonl") for s in r["spans"]}
    assert decoded < exported
    assert any(label == "巡视" for *_, label in decoded), "the longer 巡察工作 wins over the 巡察 inside it"


@pytest.mark.parametrize("which", ["flat", "merged"])
def test_brat_offsets_select_their_text(which, request):
    flat = request.getfixturevalue(which)
    anns = sorted((flat / "brat").glob("*.ann"))
    assert len(anns) == len(list((flat / "brat").glob("*.txt"))) >= 10
    checked = 0
    for ann in anns:
        text = ann.with_suffix(".txt").read_bytes().decode("utf-8")
        for line in ann.read_text(encoding="utf-8").splitlines():
            if not line.startswith("T"):
                assert line.startswith("#") and "\tAnnotatorNotes T" in line
                continue
            _, type_offsets, span_text = line.split("\t")
            label, offsets = type_offsets.split(" ", 1)
            fragments = [tuple(map(int, f.split())) for f in offsets.split(";")]
            assert " ".join(text[s:e] for s, e in fragments) == span_text
            assert all("\n" not in text[s:e] for s, e in fragments)
            checked += 1
    assert checked > 300
    conf = (flat / "brat" / "annotation.conf").read_text(encoding="utf-8")
    assert conf.startswith("[entities]\n主题教育\n")


@pytest.mark.parametrize("which", ["flat", "merged"])
def test_label_studio_tasks_have_the_shape_label_studio_imports(which, request):
    flat = request.getfixturevalue(which)
    tasks = json.loads((flat / "ls.json").read_text(encoding="utf-8"))
    config = (flat / "ls.config.xml").read_text(encoding="utf-8")
    assert '<Labels name="label" toName="text">' in config and '<Text name="text" value="$text"/>' in config
    for t in tasks:
        assert isinstance(t["id"], int) and isinstance(t["data"]["text"], str)
        for result in t["annotations"][0]["result"]:
            assert result["to_name"] == "text" and result["from_name"] in ("label", "category")
            if result["type"] == "labels":
                v = result["value"]
                assert t["data"]["text"][v["start"]:v["end"]] == v["text"]
                assert f'<Label value="{v["labels"][0]}"' in config
            else:
                # Every choice a task holds is one the config offers, span labels on documents too.
                for choice in result["value"]["choices"]:
                    assert f'<Choice value="{choice}"/>' in config


@pytest.mark.parametrize("which", ["flat", "merged"])
def test_a_span_label_on_units_is_a_unit_label_in_the_exports_never_a_span(which, request):
    flat = request.getfixturevalue(which)
    import datasets
    import jsonschema

    session = json.loads((flat / "s.json").read_text(encoding="utf-8"))
    schema = json.loads((ROOT / "Schemas" / "session.schema.json").read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator(schema).validate(session)
    kinds = {l["name"]: l["kind"] for l in session["labels"]}
    assert kinds["主题教育"] == kinds["巡察"] == "span"
    units = {(c["doc"], c["unit"], c["index"], c["label"]) for c in session["categories"]}
    assert {("quwei-2023", "para", 3, "主题教育"), ("quwei-2023", "doc", 1, "巡察")} <= units
    # classify: the paragraph is labelled 主题教育 though no span of it lies there; datasets loads it.
    datasets.disable_progress_bars()
    ds = datasets.load_dataset("json", data_files=str(flat / "classify.jsonl"), split="train",
                               cache_dir=str(flat / "hf-cache"))
    row = ds[ds["id"].index("quwei-2023:p3")]
    assert "主题教育" not in row["text"] and "主题教育" in row["labels"]
    # spans: units in categories; the spans are the session's annotations, no more.
    by_id = {r["id"]: r for r in records(flat / "spans.jsonl")}
    assert {("主题教育", "para", 3), ("巡察", "doc", 1)} <= {(c["label"], c["unit"], c["index"])
                                                           for c in by_id["quwei-2023"]["categories"]}
    assert sum(len(r["spans"]) for r in by_id.values()) == len(session["annotations"])
    # label-studio: the document's 巡察 is a choice of its task (the config check is above).
    tasks = {t["data"]["doc"]: t for t in json.loads((flat / "ls.json").read_text(encoding="utf-8"))}
    choices = [c for r in tasks["quwei-2023"]["annotations"][0]["result"] if r["type"] == "choices"
               for c in r["value"]["choices"]]
    assert sorted(choices) == sorted(["巡察", "政治建设"])


@pytest.mark.parametrize("which", ["flat", "nested", "merged"])
def test_every_manifest_matches_its_files(which, request):
    d = request.getfixturevalue(which)
    manifests = sorted(d.glob("*.manifest.json"))
    assert manifests
    for m in manifests:
        manifest = json.loads(m.read_text(encoding="utf-8"))
        assert manifest["offset_unit"] == "codepoint" and manifest["session"]["saved"]
        assert manifest["session"]["sha256"] == hashlib.sha256((d / "s.json").read_bytes()).hexdigest()
        totals = {}
        records_total = 0
        for split in manifest["splits"]:
            split_labels = {}
            for f in split["files"]:
                data = (m.parent / f["path"]).read_bytes()
                assert hashlib.sha256(data).hexdigest() == f["sha256"] and len(data) == f["bytes"], f["path"]
                if manifest["format"] in ("spans", "doccano", "classify") or (manifest["format"] == "bio" and manifest["options"]["jsonl"]):
                    assert len(data.decode("utf-8").splitlines()) == f["records"]
                if manifest["format"] == "label-studio":
                    assert len(json.loads(data)) == f["records"]
                for label, n in f["labels"].items():
                    split_labels[label] = split_labels.get(label, 0) + n
                records_total += f["records"]
            assert split_labels == split["labels"]
            for label, n in split_labels.items():
                totals[label] = totals.get(label, 0) + n
        assert totals == manifest["totals"]["labels"] and records_total == manifest["totals"]["records"]
        for f in manifest["other_files"]:
            assert hashlib.sha256((m.parent / f["path"]).read_bytes()).hexdigest() == f["sha256"]


@pytest.mark.parametrize("which", ["flat", "merged"])
def test_splits_keep_documents_apart_and_spread_labels(which, request):
    flat = request.getfixturevalue(which)
    manifest = json.loads((flat / "split.jsonl.manifest.json").read_text(encoding="utf-8"))
    docs = {}
    for split in manifest["splits"]:
        assert all(f["records"] <= 5 for f in split["files"])
        ids = {r["id"] for f in split["files"] for r in records(flat / f["path"])}
        assert len(ids) == split["documents"]
        docs[split["name"]] = ids
    assert not (docs["train"] & docs["dev"] or docs["train"] & docs["test"] or docs["dev"] & docs["test"])
    assert sum(len(v) for v in docs.values()) == manifest["totals"]["documents"]
    assert 0 <= manifest["balance"]["max_label_deviation"] <= 1


@pytest.mark.parametrize("fmt,out", [("spans", "rt.jsonl"), ("doccano", "rt.jsonl"), ("label-studio", "rt.json"), ("brat", "rt")])
@pytest.mark.parametrize("which", ["flat", "merged"])
def test_export_load_export_is_byte_identical(which, request, tmp_path, fmt, out):
    flat = request.getfixturevalue(which)
    run("export", str(flat / "s.json"), fmt, str(tmp_path / out), cwd=tmp_path)
    run(stdin=f"load {out}\nsave again.json\n", cwd=tmp_path)
    run("export", "again.json", fmt, "again-" + out, cwd=tmp_path)
    # A session holding imported texts still matches the session schema.
    import jsonschema
    schema = json.loads((ROOT / "Schemas" / "session.schema.json").read_text(encoding="utf-8"))
    session = json.loads((tmp_path / "again.json").read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator(schema).validate(session)
    assert all("text" in d and "origin" in d for d in session["documents"])
    first, second = tmp_path / out, tmp_path / ("again-" + out)
    if first.is_dir():
        names = sorted(p.name for p in first.iterdir())
        assert names == sorted(p.name for p in second.iterdir())
        for name in names:
            assert (first / name).read_bytes() == (second / name).read_bytes(), name
    else:
        assert first.read_bytes() == second.read_bytes()


def test_suggestions_on_the_real_reports_match_an_independent_count(tmp_path):
    # The tag set's rules applied in Python: literals found overlapping (str.find), regular
    # expressions with re, a match dropped when it lies inside one of its not_inside texts.
    import re

    assert len(list(REPORTS.glob("*.txt"))) == 4, f"the four reports must be in {REPORTS}"
    run(stdin=f"schema {ROOT}/Schemas/governance.tagset.json\nload {REPORTS}\nsuggest --corpus\nsave s.json\n", cwd=tmp_path)
    session = json.loads((tmp_path / "s.json").read_text(encoding="utf-8"))
    tagset = json.loads((ROOT / "Schemas" / "governance.tagset.json").read_text(encoding="utf-8"))
    texts = {p.stem: p.read_text(encoding="utf-8") for p in REPORTS.glob("*.txt")}

    def occurrences(text, term):
        i = text.find(term)
        while i >= 0:
            yield i, i + len(term)
            i = text.find(term, i + 1)

    expected = set()
    for label in tagset["labels"]:
        for rule in label.get("patterns", []):
            rule = {"pattern": rule} if isinstance(rule, str) else rule
            pattern = rule["pattern"]
            for doc, text in texts.items():
                if pattern.startswith("/") and pattern.endswith("/"):
                    found = [(m.start(), m.end()) for m in re.finditer(pattern[1:-1], text) if m.end() > m.start()]
                else:
                    found = list(occurrences(text, pattern))
                outside = [(s, e) for s, e in found
                           if not any(cs <= s and e <= ce for c in rule.get("not_inside", []) for cs, ce in occurrences(text, c))]
                expected |= {(doc, s, e, label["name"]) for s, e in outside}
    queued = {(q["doc"], q["start"], q["end"], q["label"]) for q in session["suggestions"]}
    assert queued == expected
    assert len(queued) > 100
    for q in session["suggestions"]:
        assert texts[q["doc"]][q["start"]:q["end"]] == q["text"]
    assert any(label == "巡察" for *_, label in queued)
    import jsonschema
    jsonschema.Draft202012Validator(json.loads((ROOT / "Schemas" / "session.schema.json").read_text(encoding="utf-8"))).validate(session)
