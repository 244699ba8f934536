"""The real app in a real browser: Debian's Chromium driven by Playwright against `streamlit run app.py`.

Screenshots go to test-artifacts/ (look at them: they are what a new user sees)."""
from __future__ import annotations

import asyncio
import statistics
import time
from datetime import date

import pytest

from assistant.answer import answer
from browser import ARTIFACTS, CHROMIUM, CHROMIUM_FLAGS, require_browser, streamlit_server, user_data_dir

CORE = "Can we train an AI model on copyrighted news articles without permission?"
FOLLOW_UP = "and if the model is only for research?"
EXPORT = "Export as Markdown"


@pytest.fixture(scope="module")
def server(home, ingested):
    require_browser()
    with streamlit_server(home) as url:
        yield url


def labels(result) -> list[str]:
    return [f"[{n}] {c.label}" for n, c in enumerate(result.citations, 1)]


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


def last_answer(page):
    return page.get_by_test_id("stChatMessage").last


def card_titles(message) -> list[str]:
    return [title(s.inner_text()) for s in message.locator('[data-testid="stExpander"] summary').all()]


def title(summary: str) -> str:
    """The card's title without the expander's icon name: "[1] Art. 7(5) Law on IP"."""
    return summary[summary.index("["):].split(" · ")[0]


def set_as_of(page, day: date) -> None:
    """Streamlit's date field is a react-aria segmented input: type the digits into the year segment."""
    page.get_by_role("spinbutton", name="year, Apply the law as of").click()
    for part in (day.strftime("%Y"), day.strftime("%m"), day.strftime("%d")):
        page.keyboard.type(part)
        page.wait_for_timeout(200)
    page.get_by_text("Apply the law as of").click()      # the field commits its value when it loses focus


def test_a_user_asks_reads_sources_changes_the_date_follows_up_and_exports(server, index, tmp_path):
    from playwright.sync_api import sync_playwright

    today = date.today()
    expected_now = answer(index, CORE, today)
    expected_before = answer(index, CORE, date(2025, 12, 1))
    assert labels(expected_now) != labels(expected_before), "the test needs a question whose answer changes"
    with sync_playwright() as p:
        ctx = p.chromium.launch_persistent_context(user_data_dir(tmp_path), executable_path=CHROMIUM,
                                                   args=CHROMIUM_FLAGS, viewport={"width": 1400, "height": 1000},
                                                   accept_downloads=True)
        page = ctx.new_page()
        page.goto(server)
        page.get_by_test_id("stChatInputTextArea").wait_for(timeout=180_000)
        page.screenshot(path=ARTIFACTS / "01-start.png")

        ask(page, CORE, 0)
        message = last_answer(page)
        assert f"Law applied as of {today.isoformat()}" in message.inner_text()
        assert card_titles(message) == labels(expected_now)
        page.screenshot(path=ARTIFACTS / "02-answer.png")

        first = message.locator('[data-testid="stExpander"]').first
        first.locator("summary").click()
        shown = first.get_by_test_id("stText").first.inner_text()
        assert shown.strip() == expected_now.citations[0].text.strip(), "the card shows the verbatim text"
        assert "official text" in first.inner_text() and "unofficial translation" in first.inner_text()
        first.screenshot(path=ARTIFACTS / "03-card.png")

        set_as_of(page, date(2025, 12, 1))
        page.get_by_role("button", name="Ask the last question again as of 2025-12-01").click()
        wait_for_answer(page, 2)
        message = last_answer(page)
        assert "Law applied as of 2025-12-01" in message.inner_text()
        assert card_titles(message) == labels(expected_before)
        page.screenshot(path=ARTIFACTS / "04-as-of-2025-12-01.png")

        ask(page, FOLLOW_UP, 2)
        message = last_answer(page)
        carried = [c.id for c in expected_before.citations if c.kind == "statute"]
        expected_follow = answer(index, FOLLOW_UP, date(2025, 12, 1), history=[CORE, CORE], carry=carried)
        assert card_titles(message) == labels(expected_follow)
        assert not expected_follow.refused
        page.screenshot(path=ARTIFACTS / "05-follow-up.png")

        with page.expect_download() as download:
            message.get_by_text(EXPORT).click()
        exported = download.value.path().read_text(encoding="utf-8")
        assert exported.startswith("# vnip answer — law applied as of 2025-12-01")
        assert expected_follow.citations[0].text.split("\n")[0] in exported
        ctx.close()


def test_what_changed_shows_both_versions_of_art_7(server, tmp_path):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        ctx = p.chromium.launch_persistent_context(user_data_dir(tmp_path), executable_path=CHROMIUM,
                                                   args=CHROMIUM_FLAGS, viewport={"width": 1400, "height": 1000})
        page = ctx.new_page()
        page.goto(server)
        page.get_by_test_id("stChatInputTextArea").wait_for(timeout=180_000)
        ask(page, "What does Article 7 of the IP law say?", 0)
        card = last_answer(page).locator('[data-testid="stExpander"]').first
        card.locator("summary").click()
        card.get_by_role("tab", name="What changed").click()
        text = card.inner_text()
        assert "2023-01-01 – 2026-03-31 → from 2026-04-01" in text
        assert "huấn luyện hệ thống trí tuệ nhân tạo" in text
        card.screenshot(path=ARTIFACTS / "06-what-changed.png")
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
        titles = [title(await s.inner_text())
                  for s in await page.locator('[data-testid="stExpander"] summary').all()]
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
