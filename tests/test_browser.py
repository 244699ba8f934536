"""The real app in a real browser: Debian's Chromium driven by Playwright against `streamlit run app.py`.

Screenshots go to test-artifacts/ (look at them: they are what a new user sees)."""
from __future__ import annotations

import asyncio
import re
import statistics
import time
from datetime import date

import pytest

from assistant.answer import DISCLAIMER, answer
from assistant.assessment_text import VERDICTS
from assistant.refacts import reassess
from browser import (ARTIFACTS, CHROMIUM, CHROMIUM_FLAGS, full_page_screenshot, page_text, require_browser,
                     streamlit_server, user_data_dir)

CORE = "Can we train an AI model on copyrighted news articles without permission?"
EXACT_VI = "Điều 25a quy định gì?"
FOLLOW_UP = "and if the model is only for research?"
EXPORT = "Export as Markdown"
# What must never be on the page: program output (Streamlit magic writing an expression's value, a traceback, a
# source line) and Markdown that was shown instead of rendered.
LEAKS = ["DeltaGenerator", "Traceback", "render_answer(", "st.text(", "if m[\"role\"]", "## English",
         "## Tiếng Việt", "*only*", "**", "### ", "&#91;"]


@pytest.fixture(scope="module")
def server(home, ingested):
    require_browser()
    with streamlit_server(home) as url:
        yield url


def labels(result, vi: bool | None = None) -> list[str]:
    """The card titles the app shows: statutes by their English label, a note by its title in the answer's
    language (a Vietnamese answer ends with the Vietnamese disclaimer)."""
    vi = DISCLAIMER["vi"] in result.answer if vi is None else vi
    return [f"[{n}] {c.label_vi if vi and c.kind == 'commentary' else c.label}"
            for n, c in enumerate(result.citations, 1)]


def ask(page, question: str, answers_before: int) -> None:
    box = page.get_by_test_id("stChatInputTextArea")
    box.fill(question)
    box.press("Enter")
    wait_for_answer(page, answers_before + 1)


def wait_for_answer(page, answers: int) -> None:
    """While Streamlit reruns, elements of the previous run linger until replaced: wait for the full conversation,
    whose last message ends with its export button."""
    from playwright.sync_api import expect

    expect(page.get_by_test_id("stChatMessage")).to_have_count(2 * answers, timeout=120_000)
    expect(last_answer(page).get_by_text(EXPORT)).to_be_visible(timeout=120_000)
    page.wait_for_timeout(500)


def last_answer(page):
    return page.get_by_test_id("stChatMessage").last


def card_titles(message) -> list[str]:
    """The citation cards' titles ("[n] …"); the facts panel, also an expander, is not a card."""
    summaries = [s.inner_text() for s in message.locator('[data-testid="stExpander"] summary').all()]
    return [title(s) for s in summaries if re.search(r"\[\d+\]", s)]


def title(summary: str) -> str:
    """The card's title without the expander's icon name: "[1] Art. 7(5) Law on IP"."""
    return summary[summary.index("["):].split(" · ")[0]


def set_as_of(page, day: date) -> None:
    """Type the date and press Enter, as a user would: it applies at once."""
    field = page.get_by_role("textbox", name="Apply the law as of")
    field.fill(day.isoformat())
    field.press("Enter")


def assert_only_the_conversation(page, asked: dict[str, int]) -> str:
    text = page_text(page)
    for question, times in asked.items():
        assert text.count(question) == times, f"{question!r} shown {text.count(question)} times, asked {times}"
    for leak in LEAKS:
        assert leak not in text, f"{leak!r} on the page"
    assert "The provisions that govern this question" not in text
    assert page.get_by_text("Deploy", exact=True).count() == 0, "the header offers no deployment menu"
    return text


def choose(page, message, fact: str, value: str, attempts: int = 4) -> None:
    """Open the facts panel of `message` (if closed) and pick `value` for `fact`, as a user would. A rerun still
    finishing can swallow a click, so the panel and the list are opened again until the option shows."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    for attempt in range(attempts):
        panel = message.locator('[data-testid="stExpander"]').filter(has_text="Facts read from the question")
        if panel.locator("details").get_attribute("open") is None:
            panel.locator("summary").click()
        panel.get_by_test_id("stSelectbox").filter(has_text=fact).get_by_role("combobox").click()
        try:
            page.get_by_role("option", name=value, exact=True).click(timeout=10_000)
            return
        except PlaywrightTimeout:
            if attempt == attempts - 1:
                raise
            page.keyboard.press("Escape")
            page.wait_for_timeout(1000)


def settled(page, asked: dict[str, int], seconds: float = 60) -> str:
    """The same checks once a rerun has finished: while Streamlit reruns, the previous run's elements linger beside
    the new ones for a moment, so a question may briefly be in the page twice."""
    deadline = time.monotonic() + seconds
    while True:
        try:
            return assert_only_the_conversation(page, asked)
        except AssertionError:
            if time.monotonic() > deadline:
                raise
            page.wait_for_timeout(500)


def note_cards(page):
    """The commentary cards: their titles start with the note's label ("Commentary: …", "Bình luận: …")."""
    import re

    return page.locator('[data-testid="stExpander"]').filter(
        has=page.locator("summary", has_text=re.compile(r"\] (Commentary|Bình luận): ")))


def assert_commentary_is_never_law(page) -> int:
    notes = note_cards(page)
    for i in range(notes.count()):
        inside = notes.nth(i).text_content()
        assert ("Commentary by this project — not law" in inside
                or "Bình luận của dự án — không phải quy định pháp luật" in inside)
        for claim in ("official text", "transcription, not checked", "In force", "No translation of this provision"):
            assert claim not in inside, claim
    return notes.count()


def test_a_lawyer_asks_twice_changes_the_date_asks_again_follows_up_and_opens_cards(server, index, tmp_path):
    from playwright.sync_api import expect, sync_playwright

    today, before = date.today(), date(2025, 12, 1)
    expected_now = answer(index, CORE, today)
    carry = [c.id for c in expected_now.citations if c.kind == "statute"]
    expected_exact = answer(index, EXACT_VI, today, history=[CORE], carry=carry)
    expected_before = answer(index, EXACT_VI, before, history=[CORE], carry=carry)
    with sync_playwright() as p:
        ctx = p.chromium.launch_persistent_context(user_data_dir(tmp_path), executable_path=CHROMIUM,
                                                   args=CHROMIUM_FLAGS, viewport={"width": 1400, "height": 1000},
                                                   accept_downloads=True)
        page = ctx.new_page()
        page.goto(server)
        page.get_by_test_id("stChatInputTextArea").wait_for(timeout=180_000)
        full_page_screenshot(page, ARTIFACTS / "01-start.png")

        ask(page, CORE, 0)
        message = last_answer(page)
        assert f"Law applied as of {today.isoformat()}" in message.inner_text()
        assert card_titles(message) == labels(expected_now)
        assert expected_now.assessment is not None, "the core question gets a dated verdict"
        verdict = VERDICTS[expected_now.assessment["verdict"]][0]
        assert f"Verdict as of {today.isoformat()}: {verdict}" in message.inner_text(), "the verdict badge"

        ask(page, EXACT_VI, 1)
        message = last_answer(page)
        assert card_titles(message) == labels(expected_exact, vi=True)
        shown = message.inner_text()
        assert "Điều 25a Luật Sở hữu trí tuệ — " + expected_exact.citations[0].title_vi in shown
        assert "Các quy định liên quan" in shown and "The latest change" not in shown
        assert_only_the_conversation(page, {CORE: 1, EXACT_VI: 1})
        full_page_screenshot(page, ARTIFACTS / "02-two-questions.png")

        set_as_of(page, before)
        again = page.get_by_test_id("stSidebar").get_by_role("button", name=f"Ask the last question again as of "
                                                             f"{before.isoformat()}")
        expect(again).to_be_visible(timeout=60_000)      # applied on Enter, the button beside the date field
        again.click()
        wait_for_answer(page, 3)
        message = last_answer(page)
        assert f"Law applied as of {before.isoformat()}" in message.inner_text()
        assert card_titles(message) == labels(expected_before, vi=True)
        assert_only_the_conversation(page, {CORE: 1, EXACT_VI: 2})
        full_page_screenshot(page, ARTIFACTS / "03-as-of-2025-12-01.png")

        ask(page, FOLLOW_UP, 3)
        message = last_answer(page)
        carried = [c.id for c in expected_before.citations if c.kind == "statute"]
        expected_follow = answer(index, FOLLOW_UP, before, history=[CORE, EXACT_VI, EXACT_VI], carry=carried)
        assert not expected_follow.refused
        assert card_titles(message) == labels(expected_follow)

        first = message.locator('[data-testid="stExpander"]').first
        first.locator("summary").click()
        shown = first.get_by_test_id("stText").first.inner_text()
        assert shown.strip() == expected_follow.citations[0].text.strip(), "the card shows the verbatim text"
        assert "unofficial translation" in first.inner_text()
        notes = note_cards(page)
        if notes.count():
            notes.last.locator("summary").click()
            assert notes.last.locator("h4, strong, em, li").count() > 0, "the note is rendered as Markdown"
        assert assert_commentary_is_never_law(page) >= 1, "the conversation shows at least one commentary card"
        assert_only_the_conversation(page, {CORE: 1, EXACT_VI: 2, FOLLOW_UP: 1})
        full_page_screenshot(page, ARTIFACTS / "04-follow-up-cards-open.png")

        with page.expect_download() as download:
            message.get_by_text(EXPORT).click()
        exported = download.value.path().read_text(encoding="utf-8")
        assert exported.startswith(f"# vnip answer — law applied as of {before.isoformat()}")

        # a fact flipped in place on the first answer: the verdict is recomputed with no new question
        first_answer = page.get_by_test_id("stChatMessage").nth(1)
        choose(page, first_answer, "purpose", "commercial")
        commercial = reassess(index, expected_now, {"purpose": "commercial"})
        verdict = VERDICTS[commercial.assessment["verdict"]][0]
        expect(page.get_by_test_id("stChatMessage").nth(1)).to_contain_text(
            f"Verdict as of {today.isoformat()}: {verdict}", timeout=60_000)
        assert commercial.assessment["verdict"] != expected_now.assessment["verdict"]
        settled(page, {CORE: 1, EXACT_VI: 2, FOLLOW_UP: 1})
        full_page_screenshot(page, ARTIFACTS / "04b-fact-changed-in-place.png")
        ctx.close()


def test_what_changed_strikes_deletions_and_marks_insertions_in_both_languages(server, tmp_path):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        ctx = p.chromium.launch_persistent_context(user_data_dir(tmp_path), executable_path=CHROMIUM,
                                                   args=CHROMIUM_FLAGS, viewport={"width": 1400, "height": 1000})
        page = ctx.new_page()
        page.goto(server)
        page.get_by_test_id("stChatInputTextArea").wait_for(timeout=180_000)
        ask(page, "What does Article 7 of the IP law say?", 0)
        message = last_answer(page)
        assert "Art. 7 Law on IP — Limitation of intellectual property rights" in message.inner_text()
        card = message.locator('[data-testid="stExpander"]').first
        card.locator("summary").click()
        card.get_by_role("tab", name="What changed").click()
        text = card.inner_text()
        assert "2023-01-01 – 2026-03-31 → from 2026-04-01" in text
        assert "huấn luyện hệ thống trí tuệ nhân tạo" in text
        assert card.locator("del").count() > 0 and card.locator("strong").count() > 2
        struck = " ".join(card.locator("del").all_inner_texts())
        assert "thực hiện" in struck, struck
        assert "khai thác, bảo vệ" in " ".join(card.locator("strong").all_inner_texts())
        assert any(t.isascii() for t in card.locator("del").all_inner_texts()), "the English is compared too"
        for leak in ("~~", "**", ":red-background", ":green-background"):
            assert leak not in text
        full_page_screenshot(page, ARTIFACTS / "05-what-changed.png")

        ask(page, "What does Article 6(1) of Decree 17 say?", 1)
        card = last_answer(page).locator('[data-testid="stExpander"]').filter(has_text="Art. 6(1) Decree").first
        card.locator("summary").click()
        card.get_by_role("tab", name="What changed").click()
        inserted = " ".join(card.locator("strong").all_inner_texts())
        assert "truyện tranh" in inserted and "ngắn; ngắn" not in card.inner_text()      # words no longer run together
        full_page_screenshot(page, ARTIFACTS / "06-what-changed-decree-17.png")
        ctx.close()


QUESTIONS = [CORE, "Điều 25a Luật Sở hữu trí tuệ quy định gì?", "dieu kien su dung du lieu de huan luyen AI",
             "What does Article 37b of Decree 17 say?", "How do I renew a passport?"]


def test_ten_browser_sessions_at_once_get_the_answers_asked_alone(server, index, tmp_path):
    from playwright.async_api import async_playwright

    today = date.today()
    expected = {q: labels(answer(index, q, today)) for q in QUESTIONS}

    async def session(ctx, n: int) -> tuple[list[str], float]:
        page = await ctx.new_page()
        await page.goto(server)
        box = page.get_by_test_id("stChatInputTextArea")
        await box.wait_for(timeout=180_000)
        started = time.perf_counter()
        await box.fill(QUESTIONS[n % len(QUESTIONS)])
        await box.press("Enter")
        await page.get_by_text(EXPORT).first.wait_for(timeout=180_000)
        took = time.perf_counter() - started
        summaries = [await s.inner_text() for s in await page.locator('[data-testid="stExpander"] summary').all()]
        titles = [title(s) for s in summaries if re.search(r"\[\d+\]", s)]      # the facts panel is no card
        return titles, took

    async def run():
        async with async_playwright() as p:
            ctx = await p.chromium.launch_persistent_context(user_data_dir(tmp_path), executable_path=CHROMIUM,
                                                             args=CHROMIUM_FLAGS)
            results = await asyncio.gather(*(session(ctx, n) for n in range(10)), return_exceptions=True)
            await ctx.close()
            return results

    results = asyncio.run(run())
    errors = [r for r in results if isinstance(r, BaseException)]
    assert not errors, errors
    for n, (titles, _) in enumerate(results):
        assert titles == expected[QUESTIONS[n % len(QUESTIONS)]], QUESTIONS[n % len(QUESTIONS)]
    times = sorted(t for _, t in results)
    print(f"\n10 browser sessions: p50 {statistics.median(times):.2f} s, p95 {times[-1]:.2f} s, errors 0")


def test_a_user_uploads_a_pdf_sees_it_cited_by_page_and_deletes_it(home, ingested, tmp_path_factory, tmp_path):
    """In a home of its own (the session's index stays without documents): upload in the sidebar, refresh, ask,
    read the passage cited by page under "your documents (not law)", delete."""
    require_browser()
    from playwright.sync_api import expect, sync_playwright

    from crash_excerpt import fresh_home
    from ingest.index import refresh
    from test_documents import CONTRACT, FEE_QUESTION, pdf

    doc_home = fresh_home(tmp_path_factory.mktemp("browser-docs") / "home", home)
    refresh(doc_home)
    contract = tmp_path / "zephyr-license.pdf"
    contract.write_bytes(pdf(CONTRACT))
    with streamlit_server(doc_home) as url, sync_playwright() as p:
        ctx = p.chromium.launch_persistent_context(user_data_dir(tmp_path), executable_path=CHROMIUM,
                                                   args=CHROMIUM_FLAGS, viewport={"width": 1400, "height": 1000})
        page = ctx.new_page()
        page.goto(url)
        page.get_by_test_id("stChatInputTextArea").wait_for(timeout=180_000)
        page.get_by_test_id("stFileUploaderDropzoneInput").set_input_files(contract)
        page.get_by_role("button", name="Add and refresh").click()
        listed = page.get_by_text("zephyr-license.pdf · 3 p. · ok")
        expect(listed).to_be_visible(timeout=180_000)

        ask(page, FEE_QUESTION, 0)
        message = last_answer(page)
        assert "From your documents (not law)" in message.inner_text()
        card = message.locator('[data-testid="stExpander"]').filter(has_text="zephyr-license.pdf, p. 3")
        card.locator("summary").click()
        assert "USD 42,000" in card.inner_text()
        page.screenshot(path=ARTIFACTS / "07-your-document.png")

        page.get_by_role("button", name="Delete").click()
        expect(listed).to_have_count(0, timeout=180_000)
        ctx.close()
