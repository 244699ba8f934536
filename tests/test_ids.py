"""ProvisionId, the version in force on a date, and JSON Lines: the helpers every stage shares. Fast."""
from __future__ import annotations

from datetime import date

import pytest

from ingest.ids import ProvisionId, sorted_ids
from ingest.jsonl import JsonlError, parse_lines, read_jsonl, write_jsonl
from ingest.records import Provision, version_on


@pytest.mark.parametrize("text, parts", [
    ("ip-law:7", ("ip-law", "7", None, None)),
    ("ip-law:7.5", ("ip-law", "7", "5", None)),
    ("ip-law:25.1.đ", ("ip-law", "25", "1", "đ")),
    ("ip-law:25a", ("ip-law", "25a", None, None)),
    ("decree-17-2023:37a.2.a", ("decree-17-2023", "37a", "2", "a")),
    ("decree-17-2023:37.1a.c1", ("decree-17-2023", "37", "1a", "c1")),
    (" ai-law:7.2 ", ("ai-law", "7", "2", None)),
])
def test_ids_parse_into_their_parts_and_print_back(text, parts):
    pid = ProvisionId.parse(text)
    assert (pid.instrument, pid.article, pid.clause, pid.point) == parts
    assert str(pid) == text.strip()


@pytest.mark.parametrize("text", ["", "ip-law", "ip-law:", "ip-law:abc", "IP-LAW:7", "ip-law:7..1", "note:exclusivity",
                                  "doc:policy.pdf", "ip-law:7.5.đ.1", None])
def test_what_is_not_a_provision_id_is_refused_with_the_expected_form(text):
    with pytest.raises(ValueError, match="INSTRUMENT:ARTICLE|ARTICLE\\[.CLAUSE"):
        ProvisionId.parse(text)
    assert not ProvisionId.is_valid(text)


def test_within_is_the_same_place_or_inside_it():
    point = ProvisionId.parse("ip-law:25.1.đ")
    assert point.within("ip-law:25") and point.within("ip-law:25.1") and point.within("ip-law:25.1.đ")
    assert not point.within("ip-law:2") and not point.within("ip-law:25a") and not point.within("ip-law:25.10")
    assert not point.within("decree-17-2023:25") and not ProvisionId.parse("ip-law:25").within(point)
    assert (point.article_id, point.clause_id, str(point.parent), point.place) == \
        ("ip-law:25", "ip-law:25.1", "ip-law:25.1", "25.1.đ")
    assert ProvisionId.parse("ip-law:25").parent is None and ProvisionId.local("30.4.a").parts == ("30", "4", "a")


def test_document_order_follows_numbers_and_the_vietnamese_alphabet():
    ids = ["ip-law:25.1.e", "ip-law:10", "ip-law:2a", "ip-law:25.1.đ", "ip-law:25", "ip-law:25.1.d", "ip-law:2",
           "note:x", "ip-law:25.10", "ip-law:25.2", "ip-law:25.1a", "decree-17-2023:1"]
    assert sorted_ids(ids) == ["decree-17-2023:1", "ip-law:2", "ip-law:2a", "ip-law:10", "ip-law:25", "ip-law:25.1.d",
                               "ip-law:25.1.đ", "ip-law:25.1.e", "ip-law:25.1a", "ip-law:25.2", "ip-law:25.10",
                               "note:x"]


def _version(start: date, end: date | None, text: str) -> Provision:
    return Provision("ip-law:7.5", "ip-law", "7", "5", None, "Art. 7(5)", "Khoản 5 Điều 7", "", "", text, start, end)


def test_the_version_in_force_on_a_date():
    old = _version(date(2006, 7, 1), date(2026, 3, 31), "old")
    new = _version(date(2026, 4, 1), None, "new")
    assert version_on([old, new], date(2026, 3, 31)) is old
    assert version_on([old, new], date(2026, 4, 1)) is new
    assert version_on([old, new], date(2006, 6, 30)) is None
    assert version_on([], date(2026, 4, 1)) is None


def test_jsonl_round_trip_keeps_vietnamese_and_names_a_bad_line(tmp_path):
    path = tmp_path / "rows.jsonl"
    write_jsonl(path, [{"id": "ip-law:25.1.đ", "text": "Điều 25"}, {"n": 2}])
    assert "Điều 25" in path.read_text(encoding="utf-8")          # readable, not \u escapes
    assert read_jsonl(path) == [{"id": "ip-law:25.1.đ", "text": "Điều 25"}, {"n": 2}]
    path.write_text('{"a": 1}\n\n{"a": \n', encoding="utf-8")
    with pytest.raises(JsonlError, match=r"rows.jsonl:3: not valid JSON"):
        read_jsonl(path)
    got = list(parse_lines(['{"a": 1}', "", "[1", "2"], "x.jsonl"))
    assert [n for n, _ in got] == [1, 3, 4] and isinstance(got[1][1], JsonlError) and got[2][1] == 2
