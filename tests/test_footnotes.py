"""The 2025 IP-law consolidation's footnotes read in full: a provision's wording dates from its LAST amendment.

The expected table was taken by reading the footnotes of corpus/statutes/ip-law-vbhn-155-2025.txt (lines 2425–2819),
not from the code's output; the count of notes recording a second amendment is taken from the file itself.
"""
from __future__ import annotations

import re
from datetime import date

import pytest

from ingest.corpus import CORPUS_DIR
from ingest.footnotes import amendments, footnote_lines, last_amendment
from ingest.records import EARLIER_WORDING_MISSING, IN_FORCE
from ingest.versions import build_corpus

SOURCE = CORPUS_DIR / "statutes" / "ip-law-vbhn-155-2025.txt"
D2010, D2023, D2025 = date(2010, 1, 1), date(2023, 1, 1), date(2025, 10, 1)

# footnote -> (provision it sits on, [(law, effective date) in the order written])
MULTI = {
    "39": ("ip-law:25", [("36/2009/QH12", D2010), ("07/2022/QH15", D2023)]),
    "45": ("ip-law:30", [("36/2009/QH12", D2010), ("07/2022/QH15", D2023)]),
    "48": ("ip-law:33", [("36/2009/QH12", D2010), ("07/2022/QH15", D2023)]),
    "51": ("ip-law:41", [("36/2009/QH12", D2010), ("07/2022/QH15", D2023)]),
    "52": ("ip-law:42", [("36/2009/QH12", D2010), ("07/2022/QH15", D2023)]),
    "68": ("ip-law:60.3", [("07/2022/QH15", D2023), ("93/2025/QH15", D2025)]),
    "71": ("ip-law:65.4.a", [("07/2022/QH15", D2023), ("93/2025/QH15", D2025)]),
    "72": ("ip-law:65.4.b", [("07/2022/QH15", D2023), ("93/2025/QH15", D2025)]),
    "73": ("ip-law:65.4.c", [("07/2022/QH15", D2023), ("93/2025/QH15", D2025)]),
    "74": ("ip-law:71.2", [("07/2022/QH15", D2023), ("93/2025/QH15", D2025)]),
    "163": ("ip-law:154", [("36/2009/QH12", D2010), ("07/2022/QH15", D2023)]),
    "181": ("ip-law:165", [("36/2009/QH12", D2010), ("07/2022/QH15", D2023)]),
    "229": ("ip-law:214", [("36/2009/QH12", D2010), ("07/2022/QH15", D2023)]),   # marker split: "[229" / "] Điều …"
}
LAW_ID = {"07/2022/QH15": "law-07-2022", "93/2025/QH15": "law-93-2025"}


@pytest.fixture(scope="module")
def raw() -> str:
    return SOURCE.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def corpus():
    return build_corpus()


def test_the_notes_recording_a_second_amendment_are_the_thirteen(raw):
    """Counted from the file: every footnote whose body says "lần thứ hai" (second time)."""
    counted = {num for num, body in footnote_lines(raw).items() if any("lần thứ hai" in t for _, t in body)}
    assert counted == set(MULTI) and len(counted) == 13
    split = [n for n in counted if re.search(rf"^\[{n}\s*$", raw, re.MULTILINE)]
    assert split == ["229"]


@pytest.mark.parametrize("num", sorted(MULTI, key=int))
def test_every_amendment_of_a_note_is_read(corpus, num):
    pid, expected = MULTI[num]
    found, attached = corpus.footnotes[num]
    assert attached == pid
    assert [(a.law, a.effective) for a in found] == expected
    assert [a.ordinal for a in found] == ["nhất", "hai"]


@pytest.mark.parametrize("num", sorted(MULTI, key=int))
def test_the_wording_dates_from_the_last_amendment(corpus, num):
    pid, expected = MULTI[num]
    law, last = expected[-1]
    versions = corpus.by_id()[pid]
    worded = [v for v in versions if v.status != EARLIER_WORDING_MISSING]
    assert worded[0].valid_from == last and worded[0].amended_by == LAW_ID[law]
    (earlier,) = [v for v in versions if v.status == EARLIER_WORDING_MISSING]
    assert earlier.valid_from == date(2006, 7, 1) and earlier.valid_to == date.fromordinal(last.toordinal() - 1)
    assert earlier.text == "" and f"wording before {last.isoformat()} not in the corpus" in earlier.note


def test_as_of_2022_article_25_is_not_served_with_its_2023_wording(corpus):
    on = [v for v in corpus.by_id()["ip-law:25"] if v.in_force_on(date(2022, 6, 1))]
    assert [v.status for v in on] == [EARLIER_WORDING_MISSING]
    clause = [v for v in corpus.by_id()["ip-law:25.1.đ"] if v.in_force_on(date(2022, 6, 1))]
    assert [v.status for v in clause] == [EARLIER_WORDING_MISSING]


def test_inserted_provisions_had_no_earlier_wording(corpus):
    # Art. 25a and Art. 4(10a) were inserted by Law 07/2022: before 2023-01-01 they did not exist, nothing to flag.
    for pid in ("ip-law:25a", "ip-law:25a.1", "ip-law:4.10a"):
        versions = corpus.by_id()[pid]
        assert [v.status for v in versions] == [IN_FORCE] and versions[0].valid_from == D2023
    # Art. 4 itself existed: its wording before the insertion is what the corpus lacks.
    assert corpus.by_id()["ip-law:4"][0].status == EARLIER_WORDING_MISSING


def test_a_provision_never_amended_keeps_its_2006_wording(corpus):
    (v,) = corpus.by_id()["ip-law:1"]
    assert v.valid_from == date(2006, 7, 1) and v.status == IN_FORCE


@pytest.mark.parametrize("note,expected", [
    ("Khoản này được bổ sung theo quy định tại khoản 2 Điều 1 của Luật số 07/2022/QH15 sửa đổi, bổ sung một số "
     "điều của Luật Sở hữu trí tuệ, có hiệu lực kể từ ngày 01 tháng 01 năm 2023.", [("07/2022/QH15", D2023, True)]),
    ("Điểm này được sửa đổi, bổ sung theo quy định tại điểm a khoản 3 Điều 1 của Luật số 36/2009/QH12 sửa đổi, bổ "
     "sung một số điều của Luật Sở hữu trí tuệ, có hiệu lực kể từ ngày 01 tháng 01 năm 2010.",
     [("36/2009/QH12", D2010, False)]),
    # split over two lines, and a law named by its title before its number
    ("Khoản này được bãi bỏ theo quy định tại điểm b khoản 7 Điều 71 của Luật Khoa học,\ncông nghệ và đổi mới sáng "
     "tạo số 93/2025/QH15, có hiệu lực kể từ ngày 01 tháng 10 năm 2025.", [("93/2025/QH15", D2025, False)]),
    # quoted material (an amending law's own effect article) does not date anything
    ("Điều 3 của Luật số 36/2009/QH12 sửa đổi, bổ sung một số điều của Luật Sở hữu trí tuệ, có hiệu lực kể từ ngày "
     "01 tháng 01 năm 2010 quy định như sau:\n“\nĐiều 3\n1. Luật số 50/2005/QH11 có hiệu lực thi hành từ ngày 01 "
     "tháng 7 năm 2006 “x”.\n”.", [("36/2009/QH12", D2010, False)]),
])
def test_amendments_of_a_note(note, expected):
    assert [(a.law, a.effective, a.inserted) for a in amendments(note)] == expected
    assert last_amendment(note).effective == expected[-1][1]
