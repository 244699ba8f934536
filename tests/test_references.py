"""ingest/references.py on real phrasings: how counsel, engineers and the statutes themselves cite Vietnamese law,
in Vietnamese with and without diacritics and in English. Each row: text -> the provision ids found, in order."""
from __future__ import annotations

import pytest

from ingest.corpus import instruments
from ingest.references import (ARTICLE_HEADING, ARTICLE_MENTION, CLAUSE_HEADING, POINT_HEADING, find_references,
                               instrument_named)
from ingest.text import fold

PHRASINGS = [
    # Vietnamese, with diacritics
    ("Điều 25a quy định gì?", ["ip-law:25a"]),
    ("Khoản 5 Điều 7 Luật Sở hữu trí tuệ", ["ip-law:7.5"]),
    ("điểm đ khoản 1 Điều 25", ["ip-law:25.1.đ"]),
    ("Theo điểm a khoản 2 của Điều 37a Nghị định 17/2023/NĐ-CP", ["decree-17-2023:37a.2.a"]),
    ("Điều 37b Nghị định số 17/2023 quy định gì về khai thác dữ liệu?", ["decree-17-2023:37b"]),
    ("khoản 1, Điều 20 Luật SHTT", ["ip-law:20.1"]),
    ("Điều 7 Luật Trí tuệ nhân tạo", ["ai-law:7"]),
    ("Điều 11 Luật Công nghiệp công nghệ số", ["digital-tech-law:11"]),
    ("Điều 5 Nghị định 142/2026", ["decree-142-2026:5"]),
    ("Điều 13 Nghị định 134/2026/NĐ-CP", ["decree-134-2026:13"]),
    ("Điều 4 và Điều 25 Luật Sở hữu trí tuệ", ["ip-law:4", "ip-law:25"]),
    ("So sánh Điều 25 Luật SHTT với Điều 37a NĐ 17", ["ip-law:25", "decree-17-2023:37a"]),
    ("quy định tại khoản 5 Điều 7 của Luật Sở hữu trí tuệ", ["ip-law:7.5"]),
    ("Điều 28", ["ip-law:28"]),
    # Vietnamese typed without diacritics
    ("dieu 25a quy dinh gi", ["ip-law:25a"]),
    ("khoan 5 dieu 7 luat so huu tri tue", ["ip-law:7.5"]),
    ("diem d khoan 1 dieu 25", ["ip-law:25.1.d"]),
    ("dieu 37a nghi dinh 17", ["decree-17-2023:37a"]),
    ("Dieu 7 Luat tri tue nhan tao", ["ai-law:7"]),
    ("khoan 2 dieu 37b nd 17/2023", ["decree-17-2023:37b.2"]),
    # English
    ("What does Art. 25(1)(đ) say?", ["ip-law:25.1.đ"]),
    ("Article 37b of Decree 17", ["decree-17-2023:37b"]),
    ("Article 7.5 of the IP Law", ["ip-law:7.5"]),
    ("clause 5 of article 7 of the Law on Intellectual Property", ["ip-law:7.5"]),
    ("point d of clause 1 of Article 25", ["ip-law:25.1.d"]),
    ("Art 25a", ["ip-law:25a"]),
    ("Article 37a of Decree No. 17/2023/ND-CP", ["decree-17-2023:37a"]),
    ("Article 7 of the Law on AI", ["ai-law:7"]),
    ("Art. 7(2) of the AI Law", ["ai-law:7.2"]),
    ("Article 20(1) of the Law on IP", ["ip-law:20.1"]),
    ("Under Article 11 of the Digital Technology Industry law", ["digital-tech-law:11"]),
    ("Decree 142/2026, Article 5", ["decree-142-2026:5"]),
    ("Compare Article 25 of the IP Law with Article 37a of Decree 17/2023", ["ip-law:25", "decree-17-2023:37a"]),
    ("Do IP laws allow text and data mining? See Article 25", ["ip-law:25"]),
    # no reference at all
    ("May we train a model on news articles?", []),
    ("Có được dùng tác phẩm để huấn luyện AI không?", []),
    ("Điều kiện bảo hộ quyền tác giả", []),          # "Điều kiện" (condition) is not "Điều N"
]


@pytest.mark.parametrize("text, ids", PHRASINGS, ids=[t for t, _ in PHRASINGS])
def test_real_phrasings(text, ids):
    assert [r.id for r in find_references(text)] == ids


def test_the_table_covers_both_languages_with_and_without_diacritics():
    refs = [t for t, ids in PHRASINGS if ids]
    assert len(PHRASINGS) >= 30
    assert sum(fold(t) == t.lower() for t in refs) >= 5                          # typed without diacritics
    assert sum("Điều" in t or "điều" in t for t in refs) >= 10
    assert sum("Art" in t or "article" in t.lower() for t in refs) >= 10


def test_an_instrument_named_next_to_a_reference_is_explicit_and_wins_over_the_question():
    near, far = find_references("Điều 25 Luật SHTT và Điều 37a Nghị định 17")
    assert (near.instrument, near.explicit_instrument) == ("ip-law", True)
    assert (far.instrument, far.explicit_instrument) == ("decree-17-2023", True)
    (guessed,) = find_references("Theo Nghị định 17, Điều 37a áp dụng thế nào?")
    assert (guessed.id, guessed.explicit_instrument) == ("decree-17-2023:37a", False)


def test_names_come_from_the_manifest():
    metas = instruments()
    assert "Luật SHTT" in metas["ip-law"].aliases and metas["ip-law"].default
    assert metas["decree-134-2026"].amends == "decree-17-2023" and metas["decree-17-2023"].kind == "decree"
    for meta in metas.values():
        for alias in meta.aliases:
            assert instrument_named(fold(f"theo {alias} thì")) == meta.id, alias
    assert instrument_named(fold("Luật số 36/2009/QH12")) is None     # known only by its effect: nothing to cite


@pytest.mark.parametrize("line, groups", [
    ("Điều 25a. Các trường hợp ngoại lệ", ("25a", ".", "Các trường hợp ngoại lệ")),
    ("Điều 7 Giới hạn quyền", ("7", "", "Giới hạn quyền")),
])
def test_article_headings_of_statute_text(line, groups):
    assert ARTICLE_HEADING.match(line).groups() == groups


def test_clause_and_point_lines_and_mentions():
    assert CLAUSE_HEADING.match("1a. Tổ chức, cá nhân").groups() == ("1a", "Tổ chức, cá nhân")
    assert POINT_HEADING.match("đ) Sao chép tác phẩm").groups() == ("đ", "Sao chép tác phẩm")
    assert POINT_HEADING.match("c1) nội dung").group(1) == "c1"
    assert ARTICLE_MENTION.findall("theo Điều 25 và Điều 26a của Luật này") == ["25", "26a"]
