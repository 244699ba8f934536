"""A question about a provision that is not in force on the date asked is answered about that provision (issue 14):
repealed (Decree 17 Art. 85, repealed from 2026-04-09 by Decree 134 Art. 35(1)), not yet in force (Decree 17 Art. 37a
before 2026-04-09, inserted by Decree 134 Art. 13), or in force in a wording the corpus lacks (IP Law Art. 25 before
2023-01-01). Real corpus, real model, real index; the CLI in a subprocess."""
from __future__ import annotations

import json
import re
from datetime import date

import pytest

from assistant.answer import answer
from tests.test_cli import vnip

TODAY = date(2026, 12, 8)
# English words that must not appear in a Vietnamese answer about these provisions, and the reverse
EN_WORDS = re.compile(r"\b(repealed|in force|takes effect|wording|corpus|inserted|amended|Art\.|Decree|Law on)\b")
VI_WORDS = re.compile(r"(bãi bỏ|hiệu lực|Nội dung|Điều|Nghị định|kho văn bản)")


def _roles(result):
    return [(c.id, c.role) for c in result.citations]


def _vi_body(text: str) -> str:
    # the quoted statute text is Vietnamese in both languages; check the answer's own words
    return "\n".join(line for line in text.split("\n") if not line.startswith("> "))


@pytest.mark.parametrize("question", ["Điều 85 Nghị định 17/2023", "dieu 85 nghi dinh 17"])
def test_repealed_provision_answered_about_itself_in_vietnamese(index, question):
    result = answer(index, question, TODAY)
    assert not result.refused
    assert _roles(result) == [("decree-17-2023:85", "not_in_force")]
    c = result.citations[0]
    assert (c.valid_from, c.valid_to) == ("2023-04-26", "2026-04-08") and "tịch thu hàng hóa sao chép lậu" in c.text
    body = result.answer
    assert body.startswith("**Điều 85 Nghị định 17/2023/NĐ-CP đã bị bãi bỏ từ ngày 2026-04-09** theo khoản 1 Điều 35 "
                           "Nghị định 134/2026/NĐ-CP; không còn hiệu lực tại ngày 2026-12-08.")
    assert "Nội dung cuối cùng (hiệu lực 2023-04-26 – 2026-04-08) là [1]:" in body
    assert "KHÔNG có hiệu lực tại ngày 2026-12-08" in body
    assert not EN_WORDS.search(_vi_body(body)), _vi_body(body)
    assert "Các quy định điều chỉnh" not in body          # no list of unrelated provisions


def test_repealed_provision_answered_about_itself_in_english(index):
    result = answer(index, "What does Article 85 of Decree 17 say?", TODAY)
    assert _roles(result) == [("decree-17-2023:85", "not_in_force")]
    body = result.answer
    assert body.startswith("**Art. 85 of Decree 17/2023/ND-CP was repealed from 2026-04-09** by Decree 134/2026/ND-CP "
                           "Art. 35(1); it is not in force on 2026-12-08. Its last wording (in force 2023-04-26 – "
                           "2026-04-08) was [1]:")
    assert "NOT IN FORCE on 2026-12-08" in body
    assert not VI_WORDS.search(_vi_body(body).replace("Điều 85", "")), _vi_body(body)


@pytest.mark.parametrize("question,lang", [("Article 37a of Decree 17", "en"), ("Điều 37a Nghị định 17", "vi")])
def test_not_yet_in_force_says_when_and_by_what(index, question, lang):
    result = answer(index, question, date(2026, 4, 8))
    assert _roles(result) == [("decree-17-2023:37a", "not_in_force")]
    assert result.citations[0].valid_from == "2026-04-09"
    if lang == "en":
        assert result.answer.startswith("**Art. 37a of Decree 17/2023/ND-CP takes effect on 2026-04-09**, inserted by "
                                        "Decree 134/2026/ND-CP Art. 13; it is not in force on 2026-04-08.")
        assert not VI_WORDS.search(_vi_body(result.answer).replace("Điều 37a", ""))
    else:
        assert result.answer.startswith("**Điều 37a Nghị định 17/2023/NĐ-CP có hiệu lực từ ngày 2026-04-09**, được bổ "
                                        "sung theo Điều 13 Nghị định 134/2026/NĐ-CP; chưa có hiệu lực tại ngày "
                                        "2026-04-08.")
        assert not EN_WORDS.search(_vi_body(result.answer))


def test_the_day_it_takes_effect_it_is_simply_cited(index):
    result = answer(index, "Article 37a of Decree 17", date(2026, 4, 9))
    assert result.citations[0].id == "decree-17-2023:37a" and result.citations[0].role == "retrieved"
    assert "not in force" not in result.answer.lower()


def test_earlier_wording_missing_is_said_not_served_as_law(index):
    result = answer(index, "Điều 25 Luật Sở hữu trí tuệ", date(2022, 6, 1))
    assert _roles(result) == [("ip-law:25", "not_in_force")]
    assert result.answer.startswith("**Tại ngày 2022-06-01, Điều 25 Luật Sở hữu trí tuệ có hiệu lực theo nội dung "
                                    "không có trong kho văn bản**: nội dung trước ngày 2023-01-01 không có trong kho "
                                    "văn bản (được sửa đổi từ ngày 2023-01-01 theo Luật số 07/2022/QH15, chú thích [39]")
    assert not EN_WORDS.search(_vi_body(result.answer))


@pytest.mark.parametrize("day,opening", [
    # inserted by Law 07/2022, repealed from 2025-10-01 by Law 93/2025 (footnote [95]): the corpus has no wording
    (date(2024, 6, 1), "**Tại ngày 2024-06-01, kho văn bản không có nội dung của Điều 86a Luật Sở hữu trí tuệ**: kho "
                       "văn bản chỉ ghi nhận quy định này đã bị bãi bỏ từ ngày 2025-10-01 theo Luật số 93/2025/QH15"),
    (TODAY, "**Điều 86a Luật Sở hữu trí tuệ đã bị bãi bỏ từ ngày 2025-10-01** theo Luật số 93/2025/QH15, chú thích "
            "[95] của 155/VBHN-VPQH; không còn hiệu lực tại ngày 2026-12-08. Nội dung trước đó không có"),
])
def test_a_repeal_known_only_from_a_footnote(index, day, opening):
    result = answer(index, "Điều 86a Luật Sở hữu trí tuệ", day)
    assert result.citations == [] and not result.refused
    assert result.answer.startswith(opening), result.answer[:400]
    assert "(được bãi bỏ)" not in result.answer


def test_another_provision_named_beside_it_is_still_cited(index):
    result = answer(index, "Điều 85 và Điều 86 Nghị định 17/2023", TODAY)
    assert _roles(result) == [("decree-17-2023:85", "not_in_force"), ("decree-17-2023:86", "retrieved")]
    assert result.answer.index("đã bị bãi bỏ") < result.answer.index("Pháp luật áp dụng tại ngày 2026-12-08")


def test_a_question_asking_more_gets_the_law_in_force_after_the_provision(index):
    result = answer(index, "Can we train an AI model on news articles under Article 37a of Decree 17?",
                    date(2026, 4, 8))
    roles = [role for _, role in _roles(result)]
    # a training question: the dated verdict's grounds first (37a is not among them: not yet in force), then the
    # provision asked about, then the law in force
    assert ("decree-17-2023:37a", "not_in_force") in _roles(result) and roles.count("not_in_force") == 1
    assert roles == sorted(roles, key=["assessment", "not_in_force", "retrieved"].index) and "retrieved" in roles
    assert result.assessment["verdict"] == "unsettled"
    for c in result.citations:
        if c.role != "not_in_force":
            assert c.valid_from <= "2026-04-08" and (c.valid_to is None or c.valid_to >= "2026-04-08")
    assert result.answer.index("takes effect on 2026-04-09") < result.answer.index("**Law applied as of 2026-04-08.**")


def test_cli_json_carries_the_role(home, ingested):
    run = vnip(home, "ask", "Điều 85 Nghị định 17/2023", "--as-of", "2026-12-08", "--json")
    assert run.returncode == 0, run.stderr
    data = json.loads(run.stdout)
    assert [(c["id"], c["role"], c["valid_to"]) for c in data["citations"]] == [
        ("decree-17-2023:85", "not_in_force", "2026-04-08")]
    assert "đã bị bãi bỏ từ ngày 2026-04-09" in data["answer"]
    ordinary = json.loads(vnip(home, "ask", "Điều 37a Nghị định 17", "--as-of", "2026-12-08", "--json").stdout)
    assert ordinary["citations"][0]["role"] == "retrieved"
