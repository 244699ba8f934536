"""Decree 134/2026 applied to Decree 17/2023 (ingest.amendments), on the real corpus texts.

The expected counts below were taken by reading decree-134-2026.txt, not from the code's output: one operation per
target provision, and per phrase pair where one instruction carries several pairs (Art. 34.1, 34.6, 34.26).
"""
from __future__ import annotations

import copy
import re
from collections import Counter
from pathlib import Path

import pytest

from ingest.amendments import ACTIONS, Operation, _locations, apply_amendments
from ingest.records import Instrument
from ingest.statute import parse_instrument

STATUTES = Path(__file__).resolve().parent.parent / "corpus" / "statutes"
D17 = "decree-17-2023"


def _read(name: str) -> str:
    return (STATUTES / f"{name}.txt").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def base() -> Instrument:
    return parse_instrument(_read(D17), D17)


@pytest.fixture(scope="module")
def amending_text() -> str:
    return _read("decree-134-2026")


@pytest.fixture(scope="module")
def applied(base, amending_text):
    snapshot = copy.deepcopy(base)
    new, ops = apply_amendments(base, amending_text)
    return snapshot, new, ops


def _flat(inst: Instrument) -> dict[str, str]:
    """provision id -> title and text, for every article, clause and point."""
    out = {}
    for a in inst.articles:
        out[a.number] = f"{a.title}\n{a.full_text()}"
        for c in a.clauses:
            cid = f"{a.number}.{c.number}" if c.number else a.number
            if c.number:
                out[cid] = c.full_text()
            for p in c.points:
                out[f"{cid}.{p.label}"] = p.text
    return out


def _quoted(text: str, opening: str) -> str:
    """The quoted block of the amending text that starts with `opening`, without quotes, whitespace-folded."""
    m = re.search(r"“(" + re.escape(opening) + r".*?)”", text, re.DOTALL)
    return " ".join(m.group(1).split())


def _line(text: str, opening: str) -> str:
    """The one line of the amending text that starts with `opening` (after a “), without the quote marks."""
    m = re.search(r"^“?(" + re.escape(opening) + r".*?)”?[.;]?$", text, re.MULTILINE)
    return " ".join(m.group(1).split())


def _article_text(inst: Instrument, number: str) -> str:
    a = inst.article(number)
    return " ".join(f"Điều {a.number}. {a.title}\n{a.full_text()}".split())


# --- every operation is accounted for --------------------------------------------------------------------------

# Operations per article of Decree 134, counted by hand from the text.
EXPECTED_PER_ARTICLE = {
    "1": 1,    # Điều 1 replaced
    "2": 1,    # khoản 12a Điều 3
    "3": 5,    # điểm p1 khoản 2; điểm q, r khoản 2; điểm d, đ khoản 4 Điều 5
    "4": 1, "5": 1,                      # Điều 5a, 5b
    "6": 2,    # điểm c khoản 3; khoản 4 Điều 8
    "7": 1,    # Điều 22
    "8": 2,    # điểm a, b khoản 5 Điều 23
    "9": 1, "10": 1, "11": 1,            # 25.2, 29.3, 34.2a
    "12": 0,   # "Mục 3" heading: no provision of its own, it goes into the chapter path of 37a-37c
    "13": 1, "14": 1, "15": 1,           # Điều 37a, 37b, 37c
    "16": 9,   # 38.1, 38.2, 38.5.a, 38.5.b, 38.6, 38.6a, 38.7, 38.8, 38.9
    "17": 2,   # 39.1, 39.2a
    "18": 1,   # Điều 39a
    "19": 4,   # 40.2.a, 40.2.b, 40.3.c, 40.3a
    "20": 7,   # 41.1, 41.2.a, 41.2.b, 41.2.đ, 41.2.e, 41.3.b, 41.3a
    "21": 5,   # 43.3a, 43.3b, 43.4, 43.6, 43.9
    "22": 2,   # 71.2.a, 71.3
    "23": 1,   # 81.5
    "24": 1, "25": 1,                    # Điều 84, 87
    "26": 2,   # 88.1, 88.2
    "27": 1, "28": 1,                    # Điều 96a, 98
    "29": 4,   # 99.1.b, 99.1.c, 99.4.b, 99.4.c
    "30": 1, "31": 1, "32": 1,           # 100.1.b1, 110.2.đ, 112.3
    "33": 1,   # notes of Phụ lục II
    "34": 113,
    "35": 21,  # 35.1: 14 provisions + 4 annex forms; 35.2-35.4: one phrase each
}

# Art. 34 clause by clause: (phrase pairs) x (locations).
EXPECTED_ART_34 = {
    "1": 3, "2": 23, "3": 4, "4": 4, "5": 1, "6": 12, "7": 2, "8": 1, "9": 1, "10": 1, "11": 7, "12": 16,
    "13": 1, "14": 2, "15": 1, "16": 7, "17": 5, "18": 2, "19": 2, "20": 4, "21": 1, "22": 1, "23": 1, "24": 1,
    "25": 5, "26": 5,
}


def _article_of(op: Operation) -> str:
    return op.source.split(":")[1].split(".")[0]


@pytest.mark.parametrize("article,count", sorted(EXPECTED_PER_ARTICLE.items(), key=lambda kv: int(kv[0])))
def test_operation_count_per_article(applied, article, count):
    _, _, ops = applied
    assert Counter(_article_of(op) for op in ops)[article] == count


@pytest.mark.parametrize("clause,count", sorted(EXPECTED_ART_34.items(), key=lambda kv: int(kv[0])))
def test_operation_count_per_clause_of_article_34(applied, clause, count):
    _, _, ops = applied
    assert sum(op.source == f"decree-134-2026:34.{clause}" for op in ops) == count


def test_only_amending_articles_yield_operations(applied):
    _, _, ops = applied
    assert {_article_of(op) for op in ops} == {a for a, n in EXPECTED_PER_ARTICLE.items() if n}
    assert len(ops) == sum(EXPECTED_PER_ARTICLE.values())


def test_every_operation_is_applied_or_explained(applied):
    _, _, ops = applied
    for op in ops:
        assert op.action in ACTIONS
        assert op.source.startswith("decree-134-2026:") and op.target.startswith(f"{D17}:")
        assert op.applied or op.reason.strip(), op
        assert not (op.applied and op.reason), op


def test_operations_not_applied_are_exactly_the_known_ones(applied):
    _, _, ops = applied
    not_applied = {(op.source.split(":")[1], op.target.split(":")[1]) for op in ops if not op.applied}
    annexes = {(s, t) for s, t in not_applied if t.startswith("annex-")}
    assert annexes == {
        ("33", "annex-II"), ("34.24", "annex-I"),
        *(("34.25", f"annex-III-form-{n}") for n in ("02", "04", "05", "10", "11")),
        *(("34.26", f"annex-III-form-{n}") for n in ("03", "12", "13")),
        *(("35.1", f"annex-III-form-{n}") for n in ("01", "06", "08", "09")),
    }
    # Only the annexes: the two phrases typed differently in Decree 17 ("Chi cục hải quan" in 89.6; "Ngày, tháng,
    # năm sinh;" in 53.2.b where the decree repeals "ngày, tháng, năm sinh,") are applied (see the tolerance tests).
    assert not_applied == annexes
    assert all(op.action == "annex" for op in ops if op.target.split(":")[1].startswith("annex-"))
    by_target = {op.target: op.reason for op in ops if not op.applied}
    assert "annexes are not in the corpus" in by_target[f"{D17}:annex-III-form-01"]


def test_phrases_typed_in_another_case_or_punctuation_are_applied(applied):
    old, new, ops = applied
    before, after = _flat(old), _flat(new)
    assert "Chi cục hải quan phải bồi thường" in before["89.6"]
    assert "cơ quan hải quan ra quyết định tạm dừng phải bồi thường" in after["89.6"]
    assert "Chi cục" not in after["89.6"]
    assert before["53.2.b"].startswith("Đối với cá nhân: Ngày, tháng, năm sinh; năm chết (nếu có).")
    assert after["53.2.b"].startswith("Đối với cá nhân: năm chết (nếu có). Đối với tổ chức: Ngày, tháng, năm thành lập;")
    applied_targets = {op.target for op in ops if op.applied}
    assert {f"{D17}:89.6", f"{D17}:53.2.b"} <= applied_targets


def test_a_replacement_opening_a_clause_starts_with_a_capital(applied):
    # "Thay thế cụm từ “Chi cục Hải quan” bằng cụm từ “cơ quan hải quan nơi đăng ký tờ khai hải quan” tại khoản 3
    # Điều 88": the clause opens with the phrase, so the new text opens with a capital.
    _, new, _ = applied
    assert _flat(new)["88.3"].startswith("Cơ quan hải quan nơi đăng ký tờ khai hải quan có trách nhiệm")
    assert _flat(new)["89.2"].startswith("Cơ quan hải quan nơi đăng ký tờ khai hải quan phải ra quyết định")


TOLERANCE = """CHÍNH PHỦ
Số: 998/2026/NĐ-CP
Điều 1. Thay thế cụm từ “Chi cục Hải quan” bằng cụm từ “cơ quan hải quan” tại khoản 1 Điều 1
Điều 2. Bãi bỏ cụm từ “ngày sinh,” tại khoản 2 Điều 1
Điều 3. Thay thế cụm từ “hải quan” bằng cụm từ “thuế” tại khoản 3 Điều 1
Điều 4. Hiệu lực thi hành
1. Nghị định này có hiệu lực."""


@pytest.mark.parametrize("text,expected,applied_ok", [
    # letter case differs: applied, the replacement keeps the sentence's capital where it opens the clause
    ("Chi cục hải quan kiểm tra.", "Cơ quan hải quan kiểm tra.", True),
    ("Khi cần, CHI CỤC HẢI QUAN kiểm tra.", "Khi cần, cơ quan hải quan kiểm tra.", True),
    # the quoted phrase is there exactly: the exact match wins, nothing else is touched
    ("Chi cục Hải quan và Chi cục hải quan.", "Cơ quan hải quan và Chi cục hải quan.", True),
    # other words are not the phrase, whatever the case
    ("Chi cục Thuế kiểm tra.", "Chi cục Thuế kiểm tra.", False),
])
def test_phrase_matching_tolerates_letter_case(text, expected, applied_ok):
    base = parse_instrument(f"Điều 1. Thử\n1. {text}\n2. Họ tên, ngày sinh; quê quán.\n3. Văn bản.", D17)
    new, ops = apply_amendments(base, TOLERANCE)
    assert new.article("1").clauses[0].text == expected
    assert ops[0].applied is applied_ok


@pytest.mark.parametrize("clause,expected,applied_ok", [
    ("Họ tên, ngày sinh; quê quán.", "Họ tên, quê quán.", True),       # ";" in the text for the drafter's ","
    ("Họ tên, Ngày sinh. Quê quán.", "Họ tên, Quê quán.", True),        # case and "." together
    ("Họ tên, ngày sinh quê quán.", "Họ tên, ngày sinh quê quán.", False),   # no punctuation: not the phrase
    ("Họ tên, ngày sinhđẻ, quê quán.", "Họ tên, ngày sinhđẻ, quê quán.", False),  # not a whole word
])
def test_phrase_matching_tolerates_trailing_punctuation(clause, expected, applied_ok):
    base = parse_instrument(f"Điều 1. Thử\n1. Văn bản.\n2. {clause}\n3. Văn bản.", D17)
    new, ops = apply_amendments(base, TOLERANCE)
    assert new.article("1").clauses[1].text == expected
    assert ops[1].applied is applied_ok


def test_operations_in_text_order(applied):
    _, _, ops = applied
    keys = [tuple(int(re.match(r"\d+", x).group()) for x in op.source.split(":")[1].split(".")[:2]) for op in ops]
    assert keys == sorted(keys)


# --- structural operations -------------------------------------------------------------------------------------

INSERTED_ARTICLES = {
    "5a": ("5", "Việc phát sinh quyền tác giả, quyền liên quan trong trường hợp đối tượng quyền tác giả, quyền liên "
                "quan được tạo ra có sử dụng hệ thống trí tuệ nhân tạo"),
    "5b": ("5a", "Cơ sở dữ liệu chuyên ngành về quyền tác giả, quyền liên quan"),
    "37a": ("37", "Điều kiện sử dụng văn bản và dữ liệu là đối tượng được bảo hộ quyền tác giả, quyền liên quan theo "
                  "khoản 5 Điều 7 của Luật Sở hữu trí tuệ"),
    "37b": ("37a", "Quyền bảo lưu của tác giả, người biểu diễn, chủ sở hữu quyền tác giả, chủ sở hữu quyền liên quan"),
    "37c": ("37b", "Trách nhiệm của tổ chức, cá nhân sử dụng"),
    "39a": ("39", "Thành phần hồ sơ thực hiện thủ tục cấp Giấy chứng nhận đăng ký quyền tác giả, Giấy chứng nhận "
                  "đăng ký quyền liên quan"),
    "96a": ("96", "Khóa đào tạo nghiệp vụ về giám định quyền tác giả, quyền liên quan"),
}


@pytest.mark.parametrize("number", sorted(INSERTED_ARTICLES))
def test_inserted_articles(applied, amending_text, number):
    old, new, _ = applied
    after, title = INSERTED_ARTICLES[number]
    assert old.article(number) is None
    article = new.article(number)
    assert article.title == title
    numbers = [a.number for a in new.articles]
    assert numbers.index(number) == numbers.index(after) + 1
    assert _article_text(new, number) == _quoted(amending_text, f"Điều {number}.")


def test_section_3_heading_in_chapter_path(applied):
    _, new, _ = applied
    for number in ("37a", "37b", "37c"):
        path = new.article(number).chapter_path
        assert path[0].startswith("Chương III")
        assert path[-1] == ("Mục 3. SỬ DỤNG VĂN BẢN VÀ DỮ LIỆU LÀ ĐỐI TƯỢNG ĐƯỢC BẢO HỘ QUYỀN TÁC GIẢ, QUYỀN LIÊN "
                            "QUAN ĐỐI VỚI HỆ THỐNG TRÍ TUỆ NHÂN TẠO")
    assert new.article("37").chapter_path[-1].startswith("Mục 2.")


def test_37a_clause_2_is_non_commercial(applied):
    _, new, _ = applied
    clause = next(c for c in new.article("37a").clauses if c.number == "2")
    assert "không nhằm mục đích thương mại" in clause.full_text()
    assert clause.points[0].text.startswith("Việc sử dụng chỉ nhằm mục đích nghiên cứu khoa học")


# provision id -> the opening of its quoted text in Decree 134
INSERTED_UNITS = {
    "3.12a": "12a. Tín hiệu cáp mang chương trình được mã hóa",
    "34.2a": "2a. Trường hợp chương trình phát sóng có sử dụng tác phẩm",
    "100.1.b1": "b1) Cơ quan nhà nước có thẩm quyền xử lý hành vi xâm phạm",
    "81.5": "5. Việc xác định giá trị hàng hóa xâm phạm",
    "112.3": "3. Doanh nghiệp cung cấp dịch vụ trung gian, chủ quản nền tảng số",
    "5.2.p1": "p1) Xây dựng, quản lý hệ thống cơ sở dữ liệu chuyên ngành",
    "41.2.e": "e) Văn bản đồng ý của tác giả trong trường hợp thay đổi tên tác phẩm",
    "43.3b": "3b. Tác phẩm, cuộc biểu diễn, bản ghi âm, ghi hình, chương trình phát sóng có nội dung liên quan",
}


@pytest.mark.parametrize("pid", sorted(INSERTED_UNITS))
def test_inserted_clauses_and_points(applied, amending_text, pid):
    old, new, _ = applied
    before, after = _flat(old), _flat(new)
    assert pid not in before
    label = pid.split(".")[-1]
    marker = f"{label}) " if label[0].isalpha() else f"{label}. "
    assert " ".join((marker + after[pid]).split()) == _line(amending_text, INSERTED_UNITS[pid])


def test_inserted_clauses_and_points_keep_order(applied):
    _, new, _ = applied
    assert [c.number for c in new.article("34").clauses] == ["1", "2", "2a", "3"]
    assert [c.number for c in new.article("43").clauses][2:5] == ["3", "3a", "3b"]
    points = [p.label for c in new.article("100").clauses if c.number == "1" for p in c.points]
    assert points == ["a", "b", "b1", "c"]
    points = [p.label for c in new.article("41").clauses if c.number == "2" for p in c.points]
    assert points == ["a", "b", "c", "d", "đ", "e"]


@pytest.mark.parametrize("number", ["1", "22", "84", "87", "98"])
def test_replaced_articles_have_the_new_text(applied, amending_text, number):
    old, new, _ = applied
    quoted = _quoted(amending_text, f"Điều {number}.")
    assert _article_text(new, number) == quoted
    assert _article_text(old, number) != quoted
    assert new.article(number).chapter_path == old.article(number).chapter_path


def test_replaced_points_keep_their_second_paragraph(applied):
    _, new, _ = applied
    b = _flat(new)["23.5.b"]
    assert b.startswith("Trường hợp không nhận được văn bản phản đối")
    assert b.endswith("trong thời hạn 5 ngày làm việc (có bản sao chứng từ nộp tiền bản quyền);")


def test_quoted_text_is_clean(applied):
    _, new, ops = applied
    structural = ("replace_article", "insert_article", "replace_clause", "insert_clause", "replace_point",
                  "insert_point")
    changed = {op.target.split(":")[1] for op in ops if op.applied and op.action in structural}
    assert len(changed) == 64   # Art. 1-32 less Art. 12: all structural operations apply
    for pid, text in _flat(new).items():
        if pid in changed:
            assert "“" not in text and "”" not in text, pid
            assert not text.rstrip().endswith(("”.", "”")), pid


# --- repeals ---------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("pid", ["5.5", "23.3.d", "36.3.đ", "37.4.đ", "39.2.c", "42.2.c", "46.4", "55.3", "55.6",
                                 "85", "89.3", "97"])
def test_repealed_by_article_35_absent_after_present_before(applied, pid):
    old, new, ops = applied
    assert pid in _flat(old)
    assert pid not in _flat(new)
    op = next(op for op in ops if op.target == f"{D17}:{pid}")
    assert (op.action, op.applied, op.source) == ("repeal", True, "decree-134-2026:35.1")


# --- phrase operations -----------------------------------------------------------------------------------------

def test_phrase_replacements_change_named_provisions_only(applied):
    """Every provision that no applied operation names (nor names a part or parent of) keeps its exact text."""
    old, new, ops = applied
    targets = {op.target.split(":")[1] for op in ops if op.applied and not op.target.split(":")[1].startswith("chapter")}

    def touched(pid: str) -> bool:
        return any(pid == t or pid.startswith(t + ".") or t.startswith(pid + ".") for t in targets)

    before, after = _flat(old), _flat(new)
    untouched = [pid for pid in before if not touched(pid)]
    assert len(untouched) > 500
    assert [pid for pid in untouched if after.get(pid) != before[pid]] == []


@pytest.mark.parametrize("pid,old_phrase,new_phrase", [
    ("6.1.a", "truyện ngắn;", "truyện ngắn, truyện tranh;"),
    ("6.8", "và bao bì sản phẩm", "và trên bao bì sản phẩm"),
    ("6.8", "thiết kế thời trang;", "thiết kế thời trang; thiết kế trang trí;"),
    ("23.4", "Sau 20 ngày kể từ", "Sau 15 ngày làm việc kể từ"),
    ("30.4.b", "Nộp hồ sơ trực tiếp", "Nộp hồ sơ trên Cổng dịch vụ công trực tuyến hoặc trực tiếp"),
    ("96", "Cơ quan chuyên môn quản lý nhà nước về quyền tác giả, quyền liên quan của Bộ Văn hóa, Thể thao và Du lịch",
     "Tổ chức hành chính giúp Bộ trưởng Bộ Văn hóa, Thể thao và Du lịch thực hiện chức năng quản lý nhà nước về "
     "quyền tác giả, quyền liên quan"),
    ("53.1", "của tổ chức Báo cáo thường niên",
     "của tổ chức biểu mức tiền bản quyền đã được phê duyệt, Báo cáo thường niên"),
    ("55.1.c", "Đơn vị sự nghiệp;", "Đơn vị sự nghiệp công lập;"),
    ("81.4", "tố tụng dân sự, pháp luật về tố tụng hình sự và", "tố tụng dân sự và"),
    ("89.4", "hải quan, Chi cục Hải quan quyết định", "hải quan, cơ quan hải quan nơi đăng ký tờ khai hải quan quyết định"),
    ("89.4.d", "Cục Hải quan tỉnh, thành phố và Tổng cục Hải quan", "Chi cục Hải quan khu vực và Cục Hải quan"),
])
def test_phrase_operations_edit_verbatim(applied, pid, old_phrase, new_phrase):
    old, new, _ = applied
    before, after = _flat(old)[pid], _flat(new)[pid]
    assert old_phrase in before and new_phrase not in before
    assert new_phrase in after
    if old_phrase not in new_phrase:
        assert old_phrase not in after


def test_phrase_in_article_and_chapter_titles(applied):
    old, new, _ = applied
    assert new.article("55").title == "Tổ chức dịch vụ đại diện quyền tác giả, quyền liên quan"
    assert "không gian mạng" in new.article("111").title and "Internet" not in new.article("111").title
    for number in ("45", "50", "55"):
        assert new.article(number).chapter_path[0] == ("Chương V. TỔ CHỨC QUẢN LÝ TẬP THỂ, TỔ CHỨC DỊCH VỤ ĐẠI "
                                                             "DIỆN QUYỀN TÁC GIẢ, QUYỀN LIÊN QUAN")
        assert old.article(number).chapter_path[0] != new.article(number).chapter_path[0]
    assert new.article("44").chapter_path == old.article("44").chapter_path


def test_a_repealed_phrase_leaves_no_gap(applied):
    _, new, _ = applied
    assert "mang tính mỹ thuật và không bao gồm" in _flat(new)["6.8"]


# --- the base is untouched, the result is a copy ---------------------------------------------------------------

def test_base_is_unchanged(applied, base):
    snapshot, new, _ = applied
    assert base == snapshot
    assert new is not base and new.articles[0] is not base.articles[0]


# --- small inputs: targets that cannot be applied are reported, not dropped ------------------------------------

MINI = """CHÍNH PHỦ
Số: 999/2026/NĐ-CP
Điều 1. Sửa đổi, bổ sung khoản 9 Điều 2
“9. Văn bản mới.”
Điều 2. Bổ sung điểm c1 vào sau điểm c khoản 1 Điều 2
“c1) Điểm mới;”
Điều 3. Thay thế cụm từ “không có ở đây” bằng cụm từ “mới” tại khoản 1 Điều 1
Điều 4. Bãi bỏ Điều 300, các mẫu số 07 Phụ lục III.
Điều 5. Đổi tên Điều 3
“Tên mới”
Điều 6. Hiệu lực thi hành
1. Nghị định này có hiệu lực."""


def test_unapplicable_operations_have_reasons(base):
    new, ops = apply_amendments(base, MINI)
    got = [(op.source, op.action, op.target, op.applied) for op in ops]
    assert got == [
        ("decree-999-2026:1", "replace_clause", f"{D17}:2.9", False),
        ("decree-999-2026:2", "insert_point", f"{D17}:2.1.c1", False),
        ("decree-999-2026:3", "replace_phrase", f"{D17}:1.1", False),
        ("decree-999-2026:4", "repeal", f"{D17}:300", False),
        ("decree-999-2026:4", "annex", f"{D17}:annex-III-form-07", False),
        ("decree-999-2026:5", "replace_article", f"{D17}:3", False),   # not understood: the whole article flagged
    ]
    assert "not found" in ops[0].reason and "not found" in ops[2].reason and "annexes" in ops[4].reason
    assert "not understood" in ops[5].reason
    assert _flat(new) == _flat(base)


@pytest.mark.parametrize("text,expected", [
    ("các điểm a, b khoản 4, các điểm b, d khoản 5 Điều 30", ["30.4.a", "30.4.b", "30.5.b", "30.5.d"]),
    ("khoản 1, điểm a khoản 2 Điều 36, khoản 1 Điều 42", ["36.1", "36.2.a", "42.1"]),
    ("Điều 96, các khoản 1, 2, 6 Điều 99", ["96", "99.1", "99.2", "99.6"]),
    ("tên Điều 55, các khoản 1, 2, 7 Điều 55", ["55:title", "55.1", "55.2", "55.7"]),
    ("các điều 45, 46 và 47, khoản 1 Điều 56", ["45", "46", "47", "56.1"]),
    ("tên Chương V", ["chapter-V"]),
    ("Mẫu số 03, Mẫu số 12 Phụ lục III; các mẫu số 01, 06 Phụ lục III",
     ["annex-III-form-03", "annex-III-form-12", "annex-III-form-01", "annex-III-form-06"]),
])
def test_locations(text, expected):
    assert _locations(text) == (expected, [])


def test_location_without_article_is_a_leftover():
    assert _locations("khoản 3") == ([], ["khoản 3"])
