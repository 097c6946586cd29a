"""The HTML report, opened in a real browser: Debian's chromium, headless, driven through the
DevTools protocol (cdp.py). For the fixtures' demo session and for a session made here with
overlapping and nested spans, an astral character (U+20000), a carriage return, HTML in the text
and in a note, and a label named `<script>…</script>`: one mark per span holding exactly the
span's text, every mark clickable on its own underline, no console error, no request beyond the
report's own files, and the legend hiding a label's marks. Screenshots go to the test artifacts."""
import json
import os
import pathlib
import shutil
import subprocess

import pytest

import cdp

ROOT = pathlib.Path(__file__).resolve().parents[2]
ARTIFACTS = pathlib.Path(os.environ.get("TAGBENCH_ARTIFACTS", ROOT / ".build" / "test-artifacts"))
BINARY = ROOT / ".build" / "debug" / "tagbench"
SCRIPT_LABEL = "<script>alert(1)</script>"

def overlap_session(directory):
    """A session whose spans overlap and nest, over text with an astral character and markup."""
    text = "第一段：𠀀巡察巡视整改<落实>&工作。\n\n第二段：开展政治巡察，落实整改责任。\r\n第三段 a&b \"quoted\" 'single'。\n"
    (directory / "x.txt").write_bytes(text.encode("utf-8"))

    def at(word, k=0):
        i = -1
        for _ in range(k + 1):
            i = text.index(word, i + 1)
        return i

    spans = [
        (SCRIPT_LABEL, 0, at("工作") + 2),  # holds every other span of the paragraph
        ("巡察", at("𠀀"), at("巡察") + 2),  # starts on the astral character
        ("巡视", at("巡察"), at("巡视") + 2),  # nests the next...
        ("巡察", at("巡察"), at("巡察") + 2),  # ...and shares its start
        ("整改", at("巡视"), at("<落实>") + 4),  # crosses 巡察巡视
        ("巡察", at("巡察", 1) - 2, at("巡察", 1) + 2),
        ("整改", at("落实整改"), at("责任") + 2),
        (SCRIPT_LABEL, at("开展"), len(text) - 3),  # across a \r\n into the next paragraph
    ]
    lines = [f'label add "{SCRIPT_LABEL}" --colour ff0000', "label add 巡察", "label add 巡视", "label add 整改",
             "label add 政治建设 --category", "load x.txt", "open x"]
    lines += [f'tag "{label}" {start}:{end}' for label, start, end in spans]
    lines += ['note a2 "<b>巡察</b> & <script>alert(2)</script>"', "classify 政治建设 para 2", "classify 政治建设 sent 1"]
    (directory / "x.tb").write_text("\n".join(lines) + "\n", encoding="utf-8")
    subprocess.run([BINARY, "run", "x.tb", "--session", "x.json"], cwd=directory, check=True, capture_output=True)
    return directory / "x.json"


def spans_of(session_path):
    """Each document's spans as (label, start, end, text), the text cut from the document file
    with Python's code-point indexing."""
    session = json.loads(session_path.read_text(encoding="utf-8"))
    texts = {}
    for d in session["documents"]:
        texts[d["id"]] = (session_path.parent / d["path"]).read_bytes().decode("utf-8")
    numbers = {d["id"]: n + 1 for n, d in enumerate(session["documents"])}
    found = {}
    for a in session["annotations"]:
        text = texts[a["doc"]][a["start"]:a["end"]]
        assert text == a["text"]
        found.setdefault(numbers[a["doc"]], []).append((a["label"], a["start"], a["end"], text))
    return found


MARKS = "Array.from(document.querySelectorAll('mark')).map(m => [m.dataset.label, +m.dataset.start, +m.dataset.end, m.textContent])"

# Each mark, scrolled into view, is what the browser finds at the foot of its last line box (on
# its own underline): it is not covered by another mark, a lane or the text.
UNCLICKABLE = """(() => {
  const missed = [];
  for (const m of document.querySelectorAll('mark')) {
    m.scrollIntoView({block: 'center'});
    const rects = m.getClientRects();
    const r = rects[rects.length - 1];
    const hit = document.elementFromPoint(r.left + r.width / 2, r.bottom - 2);
    if (hit !== m) missed.push(m.id + ' under ' + (hit ? hit.outerHTML.slice(0, 60) : 'nothing'));
  }
  window.scrollTo(0, 0);
  return missed;
})()"""


@pytest.fixture(scope="module")
def browser():
    # Not skipped when missing: `make test` installs it, and a skipped proof proves nothing.
    assert cdp.chromium(), "chromium is not installed (make setup installs it)"
    b = cdp.Browser()
    yield b
    b.close()


@pytest.fixture(scope="module")
def reports(tmp_path_factory):
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    work = tmp_path_factory.mktemp("report")
    for folder in ("Sessions", "Fixtures", "Schemas"):
        shutil.copytree(ROOT / folder, work / folder)
    sessions = {"demo": work / "Sessions" / "demo.json", "overlap": overlap_session(work)}
    for name, session in sessions.items():
        subprocess.run([BINARY, "report", session, work / f"{name}-report"], cwd=work, check=True, capture_output=True)
    return work, sessions


@pytest.mark.parametrize("name", ["demo", "overlap"])
def test_every_span_is_one_clickable_mark_with_its_exact_text(browser, reports, name):
    work, sessions = reports
    expected = spans_of(sessions[name])
    report = work / f"{name}-report"
    pages = sorted((report / "docs").glob("*.html"))
    assert pages, "no document pages"
    browser.events.clear()
    seen = 0
    for page in pages:
        browser.open(page.as_uri())
        marks = browser.evaluate(MARKS)
        want = sorted(expected.get(int(page.stem), []))
        assert sorted(tuple(m) for m in marks) == want, page.name
        seen += len(marks)
        assert browser.evaluate(UNCLICKABLE) == [], page.name
    assert seen == sum(len(v) for v in expected.values())
    browser.open((report / "index.html").as_uri())
    links = browser.evaluate("Array.from(document.querySelectorAll('tbody a')).map(a => a.getAttribute('href'))")
    assert links == [f"docs/{p.stem}.html" for p in sorted(pages, key=lambda p: int(p.stem))]
    assert browser.evaluate("document.querySelectorAll('svg rect').length") >= 1
    assert browser.errors() == []
    outside = [u for u in browser.requests() if not u.startswith(report.as_uri() + "/")]
    assert outside == [], "requests left the report"
    browser.screenshot(ARTIFACTS / f"report-{name}-index.png")


def test_script_label_and_note_are_text_and_the_legend_filters(browser, reports):
    work, _ = reports
    browser.events.clear()
    browser.open((work / "overlap-report" / "docs" / "1.html").as_uri())
    # Nothing ran: the label and the note are text, not elements.
    assert browser.evaluate("document.querySelectorAll('body script').length") == 1
    assert browser.evaluate("document.querySelectorAll('main *:not(section):not(div):not(span):not(mark)').length") == 0
    assert SCRIPT_LABEL in browser.evaluate("document.querySelector('.legend').textContent")
    title = browser.evaluate("document.getElementById('a2').title")
    assert "<b>巡察</b> & <script>alert(2)</script>" in title
    # The astral character and the carriage return come through as they are.
    text = browser.evaluate("document.querySelector('.layer.z0').parentElement.parentElement.parentElement.textContent")
    assert "𠀀" in text and "\r\n" in text
    browser.screenshot(ARTIFACTS / "report-overlap-page.png")
    # A real click on the 巡察 button of the legend hides 巡察's marks only, and shows them again.
    box = browser.evaluate(
        "(() => { const b = Array.from(document.querySelectorAll('.legend button')).find(b => b.textContent.startsWith('巡察'));"
        " const r = b.getBoundingClientRect(); return [r.left + r.width / 2, r.top + r.height / 2]; })()")
    state = ("Array.from(document.querySelectorAll('mark')).map(m => [m.dataset.label, "
             "getComputedStyle(m).textDecorationLine, getComputedStyle(m, '::before').display])")
    before = browser.evaluate(state)
    assert all(line == "underline" for _, line, _ in before)
    browser.click(*box)
    after = browser.evaluate(state)
    assert [line for label, line, _ in after if label == "巡察"] == ["none"] * 3
    assert all(line == "underline" for label, line, _ in after if label != "巡察")
    assert all(badge == "none" for label, _, badge in after if label == "巡察")
    browser.screenshot(ARTIFACTS / "report-overlap-filtered.png")
    browser.click(*box)
    assert browser.evaluate(state) == before
    # Hovering a mark shows its label, offsets and id under it (the style sheet, from its
    # attributes: no title repeats them); a note is the title.
    where = browser.evaluate(
        "(() => { const m = document.getElementById('a3'); m.scrollIntoView({block: 'center'});"
        " const rs = m.getClientRects(); const r = rs[rs.length - 1]; return [r.left + r.width / 2, r.bottom - 2]; })()")
    browser.hover(*where)
    hovered = browser.evaluate("(() => { const m = document.getElementById('a3'); "
                               "return [m.matches(':hover'), getComputedStyle(m, '::after').content, m.dataset.start, m.dataset.end]; })()")
    assert hovered[0], hovered
    assert hovered[1] == f'"巡视 {hovered[2]}:{hovered[3]} a3"', hovered
    assert browser.evaluate("document.getElementById('a3').title") == ""
    # A click on a mark shows its label, offsets and text below.
    browser.evaluate("document.getElementById('a3').click()")
    detail = browser.evaluate("document.getElementById('detail').textContent")
    assert detail.startswith(f"巡视 · {hovered[2]}:{hovered[3]} · a3\n"), detail
    assert browser.errors() == []
    assert all(u.startswith((work / "overlap-report").as_uri()) for u in browser.requests())


def test_several_sessions_show_the_agreement_heatmap(browser, reports):
    """A report of three annotators' sessions: an n × n heatmap whose cells hold what `agree`
    computes, every name (one is `<script>…`) shown as text, no console error, no request out."""
    work, _ = reports
    common = "label add 巡察\nlabel add 巡视\nload Fixtures/corpus\ntag 巡察 all 巡察 --corpus\n"
    extras = {"alice": "open 1\nuntag a1\n", "bob": "tag 巡视 all 巡视 --corpus\n", SCRIPT_LABEL: ""}
    sessions = []
    for k, (name, extra) in enumerate(extras.items()):
        path = work / f"annotator{k}.json"
        subprocess.run([BINARY, "run", "-", "--session", path], cwd=work, check=True, capture_output=True,
                       input=(common + extra).encode(), env={**os.environ, "TAGBENCH_ANNOTATOR": name})
        sessions.append(path)
    report = work / "agreement-report"
    subprocess.run([BINARY, "report", *sessions, report], cwd=work, check=True, capture_output=True)
    figures = json.loads(subprocess.run([BINARY, "agree", *sessions, "--json", "-"], cwd=work, check=True,
                                        capture_output=True).stdout)
    browser.events.clear()
    browser.open((report / "index.html").as_uri())
    n = len(sessions)
    cells = browser.evaluate("Array.from(document.querySelectorAll('svg.heat g.cell')).map(g => "
                             "[g.dataset.a, g.dataset.b, g.dataset.f1Exact, g.dataset.f1Overlap, g.dataset.kappa])")
    assert len(cells) == n * n
    names = figures["annotators"]
    assert [c[:2] for c in cells] == [[a, b] for a in names for b in names]
    for a, b, exact, overlap, kappa in cells:
        if a == b:
            assert exact is None
            continue
        pair = next(p for p in figures["pairs"] if {p["a"], p["b"]} == {a, b})
        assert [float(exact), float(overlap), float(kappa)] == [
            pair["spans"]["exact"]["f1"], pair["spans"]["overlap"]["f1"], pair["characters"]["cohen_kappa"]]
    # The `<script>` annotator is text: the index has no script element, the name is in the text.
    assert browser.evaluate("document.querySelectorAll('script').length") == 0
    assert SCRIPT_LABEL in browser.evaluate("document.querySelector('svg.heat').textContent")
    assert browser.evaluate("document.querySelectorAll('svg.heat rect').length") >= n * n
    assert browser.errors() == []
    outside = [u for u in browser.requests() if not u.startswith(report.as_uri() + "/")]
    assert outside == [], "requests left the report"
    browser.evaluate("document.querySelector('svg.heat').scrollIntoView()")
    browser.screenshot(ARTIFACTS / "report-agreement-heatmap.png")
