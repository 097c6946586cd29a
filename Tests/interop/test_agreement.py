"""`tagbench agree` checked against the references: three sessions with known, varied
disagreements (boundary shifts, other labels, missing spans, overlapping spans, a document only
one has, astral characters, whitespace of every kind) are made with the built binary, and every
figure of `agree --json` is compared, to 1e-9, with sklearn's cohen_kappa_score, krippendorff's
alpha (nominal), statsmodels' fleiss_kappa (with aggregate_raters), and span F1s computed here."""
import hashlib
import itertools
import json
import os
import pathlib
import subprocess

import jsonschema
import krippendorff
import numpy as np
import pytest
from sklearn.metrics import cohen_kappa_score
from statsmodels.stats.inter_rater import aggregate_raters, fleiss_kappa

ROOT = pathlib.Path(__file__).resolve().parents[2]
BINARY = ROOT / ".build" / "debug" / "tagbench"
TOLERANCE = 1e-9

# Documents: the shared ones hold CJK, astral characters (U+20000, U+1F600), and whitespace
# Python's isspace knows (space, tab, newline, U+3000, U+00A0, U+2028).
TEXTS = {
    "one": "巡察工作𠀀在全区推进。\n整改落实\u3000到位，巡视😀反馈问题。\n\n第一议题 学习\u00a0制度\u2028常态化。",
    "two": "主题教育扎实开展，巡察整改同步推进。\n意识形态工作责任制落实到位。",
    "three": "减轻基层负担，整治形式主义官僚主义。\n警示教育𠀁常抓不懈。",
    "only-alice": "只有一位标注者载入了这份文件。",
}
LABELS = ["巡察", "巡视", "整改", "教育", "形式"]
CATEGORY = "政治建设"


def span_lines(spans):
    return [f"open {doc}\ntag {label} {start}:{end}" for doc, start, end, label in spans]


# (document, start, end, label) per annotator. alice is the reference; bob shifts boundaries,
# changes labels, misses and adds spans; carol overlaps and nests spans.
BASE = [
    ("one", 0, 2, "巡察"),
    ("one", 12, 16, "整改"),
    ("one", 20, 22, "巡视"),
    ("one", 4, 5, "巡视"),
    ("two", 0, 4, "教育"),
    ("two", 9, 11, "巡察"),
    ("two", 11, 13, "整改"),
    ("three", 8, 12, "形式"),
    ("three", 12, 16, "形式"),
    ("three", 19, 23, "教育"),
]
SPANS = {
    "alice": BASE + [("only-alice", 0, 2, "巡察")],
    "bob": [
        ("one", 0, 2, "巡察"),
        ("one", 11, 16, "整改"),  # boundary shift
        ("one", 20, 22, "巡察"),  # other label
        ("two", 0, 4, "教育"),
        ("two", 9, 13, "巡察"),  # one span over two
        ("three", 8, 16, "形式"),  # merged
        ("three", 19, 20, "教育"),  # shorter
        ("three", 0, 2, "整改"),  # extra
    ],
    "carol": BASE
    + [
        ("one", 0, 6, "巡视"),  # overlaps 巡察 0:2 and 巡视 4:5
        ("two", 2, 10, "整改"),  # overlaps several
        ("three", 9, 11, "形式"),  # nested in its own label
    ],
}
CATEGORIES = {
    "alice": [("one", "doc"), ("one", "para 1"), ("two", "para 2")],
    "bob": [("one", "doc"), ("two", "para 2"), ("three", "para 1")],
    "carol": [("one", "para 1"), ("two", "para 2")],
}


def make_session(tmp, name):
    lines = [f"label add {label}" for label in LABELS] + [f"label add {CATEGORY} --category"]
    docs = [d for d in TEXTS if d != "only-alice" or name == "alice"]
    lines += [f"load corpus/{d}.txt" for d in docs]
    lines += span_lines(SPANS[name])
    for doc, unit in CATEGORIES[name]:
        lines += [f"open {doc}", f"classify {CATEGORY} {unit}"]
    script = tmp / f"{name}.tb"
    script.write_text("\n".join(lines) + "\n", encoding="utf-8")
    env = dict(os.environ, TAGBENCH_ANNOTATOR=name, SOURCE_DATE_EPOCH="1700000000")
    subprocess.run(
        [BINARY, "run", script, "--session", tmp / f"{name}.json"], cwd=tmp, env=env, check=True, capture_output=True
    )
    return tmp / f"{name}.json"


@pytest.fixture(scope="module")
def sessions(tmp_path_factory):
    if not BINARY.exists():
        pytest.skip(f"{BINARY} is not built")
    tmp = tmp_path_factory.mktemp("agree")
    (tmp / "corpus").mkdir()
    for doc, text in TEXTS.items():
        (tmp / "corpus" / f"{doc}.txt").write_text(text, encoding="utf-8")
    return tmp, [make_session(tmp, name) for name in ["alice", "bob", "carol"]]


def agree(tmp, paths, *options):
    out = subprocess.run(
        [BINARY, "agree", *paths, "--json", "-", *options], cwd=tmp, check=True, capture_output=True, text=True
    )
    return json.loads(out.stdout)


def load(path):
    """A session as the reference sees it: per document hash, its text, spans and categories."""
    session = json.loads(path.read_text(encoding="utf-8"))
    docs = {}
    for d in session["documents"]:
        text = (path.parent / d["path"]).read_text(encoding="utf-8")
        assert hashlib.sha256(text.encode()).hexdigest() == d["sha256"]
        docs[d["id"]] = {"text": text, "sha256": d["sha256"], "spans": [], "categories": set()}
    for a in session["annotations"]:
        docs[a["doc"]]["spans"].append((a["start"], a["end"], a["label"]))
    for c in session["categories"]:
        docs[c["doc"]]["categories"].add((c["unit"], c["index"], c["label"]))
    return {d["sha256"]: d for d in docs.values()}


def close(value, reference):
    if reference is None or (isinstance(reference, float) and np.isnan(reference)):
        return value is None
    return value is not None and abs(value - reference) <= TOLERANCE


def f1_counts(a_spans, b_spans, overlap):
    """tp, fp, fn, tp_b of b against a, over lists of (doc, start, end, label)."""
    if not overlap:
        both = len(set(a_spans) & set(b_spans))
        return both, len(b_spans) - both, len(a_spans) - both, both

    def hits(x, ys):
        return any(x[0] == y[0] and x[3] == y[3] and x[1] < y[2] and y[1] < x[2] for y in ys)

    tp = sum(hits(x, b_spans) for x in a_spans)
    tp_b = sum(hits(y, a_spans) for y in b_spans)
    return tp, len(b_spans) - tp_b, len(a_spans) - tp, tp_b


def f1(tp, fp, fn, tp_b):
    if tp + fn + tp_b + fp == 0:
        return None
    if tp_b + fp == 0 or tp + fn == 0:
        return 0.0
    p, r = tp_b / (tp_b + fp), tp / (tp + fn)
    return 0.0 if p + r == 0 else 2 * p * r / (p + r)


def char_values(doc, labels):
    """Each non-whitespace character's value: the sorted labels covering it joined with +, or O."""
    values = []
    for k, ch in enumerate(doc["text"]):
        if ch.isspace():
            continue
        covering = sorted({l for s, e, l in doc["spans"] if s <= k < e and l in labels})
        values.append("+".join(covering) or "O")
    return values


def paragraphs(text):
    return [line for line in text.split("\n") if line.strip()]


def test_every_figure_matches_the_references(sessions):
    tmp, paths = sessions
    report = agree(tmp, paths)
    schema = json.loads((ROOT / "Schemas" / "agreement.schema.json").read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    jsonschema.Draft202012Validator(schema).validate(report)
    check(report, [load(p) for p in paths], set(LABELS))


def test_labels_option_restricts_every_figure(sessions):
    tmp, paths = sessions
    report = agree(tmp, paths[:2], "--labels", "巡察,整改")
    assert report["labels"] == sorted(["巡察", "整改"])
    check(report, [load(p) for p in paths[:2]], {"巡察", "整改"})


def check(report, annotators, labels):
    names = report["annotators"]
    common = [h for h in annotators[0] if all(h in a for a in annotators)]
    assert sorted(d["sha256"] for d in report["documents"]["common"]) == sorted(common)
    left = sum(1 for a in annotators for h in a if h not in common)
    assert len(report["documents"]["left_out"]) == left
    values = [[v for h in common for v in char_values(a[h], labels)] for a in annotators]
    tagged_labels = labels
    for pair in report["pairs"]:
        i, j = names.index(pair["a"]), names.index(pair["b"])
        a_spans = [(h, *s) for h in common for s in annotators[i][h]["spans"] if s[2] in tagged_labels]
        b_spans = [(h, *s) for h in common for s in annotators[j][h]["spans"] if s[2] in tagged_labels]
        for kind, overlap in (("exact", False), ("overlap", True)):
            tp, fp, fn, tp_b = f1_counts(a_spans, b_spans, overlap)
            got = pair["spans"][kind]
            assert (got["tp"], got["fp"], got["fn"], got["tp_b"]) == (tp, fp, fn, tp_b), (pair["a"], pair["b"], kind)
            assert close(got["f1"], f1(tp, fp, fn, tp_b))
            for label, by in pair["by_label"].items():
                counts = f1_counts([s for s in a_spans if s[3] == label], [s for s in b_spans if s[3] == label], overlap)
                assert (by[kind]["tp"], by[kind]["fp"], by[kind]["fn"], by[kind]["tp_b"]) == counts, (label, kind)
                assert close(by[kind]["f1"], f1(*counts))
        x, y = values[i], values[j]
        chars = pair["characters"]
        assert chars["count"] == len(x)
        assert close(chars["cohen_kappa"], cohen_kappa_score(x, y))
        assert close(chars["p_o"], sum(u == v for u, v in zip(x, y)) / len(x))
        p_e = sum(x.count(v) * y.count(v) for v in set(x) | set(y)) / len(x) ** 2
        assert close(chars["p_e"], p_e)
        tagged = [(u, v) for u, v in zip(x, y) if u != "O" or v != "O"]
        assert chars["tagged_count"] == len(tagged)
        assert close(chars["cohen_kappa_tagged_only"], cohen_kappa_score(*zip(*tagged)))
    codes = {v: k for k, v in enumerate(sorted({v for row in values for v in row}))}
    data = np.array([[codes[v] for v in row] for row in values], dtype=float)
    assert report["characters"]["count"] == data.shape[1]
    assert close(report["characters"]["krippendorff_alpha"], krippendorff.alpha(data, level_of_measurement="nominal"))
    table, _ = aggregate_raters(data.T.astype(int))
    assert close(report["characters"]["fleiss_kappa"], fleiss_kappa(table, method="fleiss"))
    # Category labels: presence on each unit of the kinds used (here the document and paragraphs).
    for label, figures in report["categories"].items():
        kinds = figures["units"]
        units = [(h, "doc", 1) for h in common if "doc" in kinds]
        units += [(h, "para", n + 1) for h in common if "para" in kinds for n in range(len(paragraphs(annotators[0][h]["text"])))]
        assert figures["count"] == len(units)
        present = [[int((u[1], u[2], label) in a[u[0]]["categories"]) for u in units] for a in annotators]
        assert close(
            figures["krippendorff_alpha"], krippendorff.alpha(np.array(present, dtype=float), level_of_measurement="nominal")
        )
        for pair in figures["pairs"]:
            i, j = names.index(pair["a"]), names.index(pair["b"])
            assert close(pair["cohen_kappa"], cohen_kappa_score(present[i], present[j]))


def test_identical_sessions_agree_fully(sessions):
    tmp, paths = sessions
    copy = tmp / "alice-again.json"
    copy.write_bytes(paths[0].read_bytes())
    report = agree(tmp, [paths[0], copy])
    pair = report["pairs"][0]
    assert pair["spans"]["exact"]["f1"] == 1.0 and pair["spans"]["overlap"]["f1"] == 1.0
    assert pair["characters"]["cohen_kappa"] == 1.0
    assert report["characters"]["krippendorff_alpha"] == 1.0 and report["characters"]["fleiss_kappa"] == 1.0


def test_against_a_curated_session_each_annotator_is_checked_with_it_as_reference(sessions):
    # Any session can be the curated one: alice's here; bob and carol are measured against it.
    tmp, paths = sessions
    report = agree(tmp, paths[1:], "--against", paths[0], "--diff")
    schema = json.loads((ROOT / "Schemas" / "agreement.schema.json").read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator(schema).validate(report)
    assert report["reference"] == "alice" and report["session"] == str(paths[0])
    assert [c["annotators"] for c in report["comparisons"]] == [["alice", "bob"], ["alice", "carol"]]
    curated = load(paths[0])
    for comparison, path in zip(report["comparisons"], paths[1:]):
        check(comparison, [curated, load(path)], set(LABELS))
        # Every difference is a place where the annotator's spans and the curated ones differ.
        assert comparison["disagreements"], path
        for item in comparison["disagreements"]:
            assert item["versions"]["alice"] != item["versions"][comparison["annotators"][1]]
