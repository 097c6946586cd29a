"""What tagbench writes, checked by Python: every session the Swift tests produced against
Schemas/session.schema.json (jsonschema, draft 2020-12), and every JSONL export with Python's own
code-point string indexing, plus the real reports in Fixtures/reports exported end to end."""
import json
import os
import pathlib
import subprocess

import jsonschema
import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]
ARTIFACTS = pathlib.Path(os.environ.get("TAGBENCH_ARTIFACTS", ROOT / ".build" / "test-artifacts"))
BINARY = ROOT / ".build" / "debug" / "tagbench"
REPORTS = ROOT / "Fixtures" / "reports"


def validator(name):
    schema = json.loads((ROOT / "Schemas" / name).read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


def sessions():
    found = sorted(ARTIFACTS.glob("*session*.json")) + [ROOT / "Sessions" / "demo.json"]
    return found


def test_the_swift_tests_left_sessions_to_check():
    # Without these the schema check below would pass vacuously.
    assert len(list(ARTIFACTS.glob("*session*.json"))) >= 4, f"no sessions in {ARTIFACTS}"
    assert len(list(ARTIFACTS.glob("*.jsonl"))) >= 1


@pytest.mark.parametrize("path", sessions(), ids=lambda p: p.name)
def test_session_matches_schema_and_its_spans_match_their_documents(path):
    session = json.loads(path.read_text(encoding="utf-8"))
    errors = sorted(validator("session.schema.json").iter_errors(session), key=str)
    assert not errors, "\n".join(e.message for e in errors)
    labels = {l["name"] for l in session["labels"]}
    docs = {d["id"]: d for d in session["documents"]}
    ids = [a["id"] for a in session["annotations"]]
    assert len(ids) == len(set(ids))
    assert all(int(i[1:]) < session["next_id"] for i in ids)
    for a in session["annotations"]:
        assert a["label"] in labels and a["doc"] in docs
        assert 0 <= a["start"] < a["end"] <= docs[a["doc"]]["length"]


def test_tag_set_file_matches_its_schema():
    tagset = json.loads((ROOT / "Schemas" / "governance.tagset.json").read_text(encoding="utf-8"))
    validator("tagset.schema.json").validate(tagset)
    assert len([l for l in tagset["labels"] if l["kind"] == "span"]) >= 12
    aliases = [a for l in tagset["labels"] for a in l["aliases"]]
    assert len(aliases) == len(set(aliases))


def check_spans_export(path):
    records = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    spans = 0
    for r in records:
        assert set(r) - {"rejected"} == {"id", "text", "spans", "categories", "meta"}
        assert r["meta"]["offset_unit"] == "codepoint"
        for s in r["spans"] + r.get("rejected", []):
            assert r["text"][s["start"]:s["end"]] == s["text"], (r["id"], s)
            spans += 1
        for c in r["categories"]:
            assert 0 <= c["start"] <= c["end"] <= len(r["text"])
    return records, spans


@pytest.mark.parametrize("path", sorted(ARTIFACTS.glob("*.jsonl")), ids=lambda p: p.name)
def test_exports_from_the_swift_tests_have_exact_offsets(path):
    records, spans = check_spans_export(path)
    assert records and spans > 0


def run(*args, cwd, stdin=None):
    env = dict(os.environ, SOURCE_DATE_EPOCH="1700000000", TAGBENCH_ANNOTATOR="interop", TAGBENCH_HISTORY="")
    return subprocess.run([str(BINARY), *args], cwd=cwd, input=stdin, text=True, capture_output=True, env=env)


def test_reports_and_edge_fixtures_export_exactly(tmp_path):
    # Real reports (long lines, U+00A0, watermark lines) and the edge fixtures (BOM, CRLF, astral
    # characters, combining marks, an empty file, a long line), tagged in bulk and by regex.
    assert len(list(REPORTS.glob("*.txt"))) == 4, f"the four reports must be in {REPORTS}"
    script = "\n".join([
        f"schema {ROOT}/Schemas/governance.tagset.json",
        f"load {REPORTS} {ROOT}/Fixtures/edge",
        f"load --encoding auto {ROOT}/Fixtures/encodings",
        "tag 巡察 all 巡察 --corpus",
        "tag 主题教育 all 主题教育 --corpus",
        "tag 第一议题 all /第一议题|“第一议题”/ --corpus",
        "tag 减负 all /减轻基层负担|为基层减负/ --corpus",
        "tag 整改落实 all /整改[^，。]{0,3}/ --corpus",
        "save s.json",
    ]) + "\n"
    result = run(stdin=script, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    result = run("export", "s.json", "spans", "out.jsonl", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    records, spans = check_spans_export(tmp_path / "out.jsonl")
    by_id = {r["id"]: r for r in records}
    for path in REPORTS.glob("*.txt"):
        assert by_id[path.stem]["text"] == path.read_text(encoding="utf-8")
    assert by_id["bom"]["text"] == (ROOT / "Fixtures/edge/bom.txt").read_text(encoding="utf-8-sig")
    assert by_id["crlf"]["text"] == (ROOT / "Fixtures/edge/crlf.txt").read_bytes().decode("utf-8")
    assert by_id["gb18030"]["text"] == (ROOT / "Fixtures/encodings/gb18030.txt").read_bytes().decode("gb18030")
    assert by_id["utf16le"]["text"] == (ROOT / "Fixtures/encodings/utf16le.txt").read_bytes().decode("utf-16")
    # Independent count of the literal terms, Python's way (overlapping find).
    def count(term):
        n = 0
        for r in records:
            i = r["text"].find(term)
            while i >= 0:
                n += 1
                i = r["text"].find(term, i + 1)
        return n
    exported = {}
    for r in records:
        for s in r["spans"]:
            exported[s["label"]] = exported.get(s["label"], 0) + 1
    assert exported["巡察"] == count("巡察")
    assert exported["主题教育"] == count("主题教育")
    validator("session.schema.json").validate(json.loads((tmp_path / "s.json").read_text(encoding="utf-8")))
    (ARTIFACTS / "interop-corpus-session.json").write_bytes((tmp_path / "s.json").read_bytes())
