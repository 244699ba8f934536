"""The statute parser on the real corpus texts and on small synthetic edge cases."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from ingest.records import Instrument
from ingest.statute import clean_pdf_text, parse_instrument

STATUTES = Path(__file__).parent.parent / "corpus" / "statutes"

# key -> (file, instrument id, number of articles, last article number)
SOURCES = {
    "ip2025": ("ip-law-vbhn-155-2025.txt", "ip-law", 237, "222"),
    "ip2026": ("ip-law-vbhn-67-2026.txt", "ip-law", 240, "222"),
    "decree17": ("decree-17-2023.txt", "decree-17", 116, "116"),
    "decree134": ("decree-134-2026.txt", "decree-134", 38, "38"),
    "ai": ("ai-law-134-2025.txt", "ai-law", 35, "35"),
    "digital": ("digital-tech-law-71-2025.txt", "digital-tech-law", 51, "51"),
    "decree142": ("decree-142-2026.txt", "decree-142", 46, "46"),
}


@pytest.fixture(scope="module")
def parsed() -> dict[str, Instrument]:
    return {key: parse_instrument((STATUTES / f).read_text(encoding="utf-8"), iid)
            for key, (f, iid, _, _) in SOURCES.items()}


def _texts(inst: Instrument):
    for art in inst.articles:
        yield art.title
        for clause in art.clauses:
            yield clause.text
            for point in clause.points:
                yield point.text


def _clause(inst: Instrument, article: str, clause: str):
    return next(c for c in inst.article(article).clauses if c.number == clause)


def _point(inst: Instrument, article: str, clause: str, label: str):
    return next(p for p in _clause(inst, article, clause).points if p.label == label)


# ---------------------------------------------------------------- whole instruments


@pytest.mark.parametrize("key", SOURCES)
def test_article_count_and_numbering(parsed, key):
    _, _, count, last = SOURCES[key]
    numbers = [a.number for a in parsed[key].articles]
    assert len(numbers) == count
    assert numbers[0] == "1" and numbers[-1] == last
    assert len(set(numbers)) == len(numbers)


@pytest.mark.parametrize("key", SOURCES)
def test_plain_article_numbers_run_without_gaps(parsed, key):
    plain = [int(a.number) for a in parsed[key].articles if a.number.isdigit()]
    assert plain == list(range(1, int(SOURCES[key][3]) + 1))


@pytest.mark.parametrize("key", SOURCES)
def test_no_footnote_markers_or_page_furniture_left(parsed, key):
    for text in _texts(parsed[key]):
        assert not re.search(r"\[\d|\d\]|^\[|\]$", text), text[:80]
        assert "CÔNG BÁO" not in text
        assert text == text.strip() and "  " not in text


@pytest.mark.parametrize("key", SOURCES)
def test_signature_block_not_in_last_article(parsed, key):
    last = parsed[key].articles[-1]
    for marker in ("Quốc hội nước Cộng hòa", "TM. CHÍNH PHỦ", "Nơi nhận", "CHỦ TỊCH", "CHỦ NHIỆM", "VĂN PHÒNG"):
        assert marker not in last.full_text()
        assert marker not in last.raw


@pytest.mark.parametrize("key", SOURCES)
def test_clause_and_point_labels_are_well_formed(parsed, key):
    for art in parsed[key].articles:
        assert re.fullmatch(r"\d+[a-z]?", art.number)
        numbers = [c.number for c in art.clauses]
        assert "" not in numbers[1:], art.number          # an unnumbered body only comes first
        assert len(set(numbers)) == len(numbers), art.number
        for clause in art.clauses:
            assert re.fullmatch(r"(\d+[a-z]?)?", clause.number)
            labels = [p.label for p in clause.points]
            assert len(set(labels)) == len(labels), (art.number, clause.number)
            assert all(re.fullmatch(r"[a-zđ]\d?", label) for label in labels)


@pytest.mark.parametrize("key", SOURCES)
def test_preamble_dropped_and_raw_starts_at_heading(parsed, key):
    inst = parsed[key]
    assert not any("Căn cứ Hiến pháp" in a.raw or "Căn cứ Luật Tổ chức" in a.raw for a in inst.articles)
    for art in inst.articles:
        assert re.match(r"(#+ )?Điều " + art.number + r"\b", art.raw), art.raw[:40]


# ---------------------------------------------------------------- IP law facts


@pytest.mark.parametrize("key, article, title", [
    ("ip2025", "1", "Phạm vi điều chỉnh"),              # "Điều 1" / "." / "Phạm vi điều chỉnh"
    ("ip2025", "174", "Đơn đăng ký bảo hộ"),            # title split mid-syllable: "Đơn đăng k" / "ý" / "bảo hộ"
    ("ip2026", "1", "Phạm vi điều chỉnh"),
    ("ip2026", "7", "Giới hạn quyền sở hữu trí tuệ"),
    ("ip2026", "8a", "Quản lý, khai thác quyền sở hữu trí tuệ"),
    ("ip2026", "11a", "Điều kiện bảo đảm hoạt động quản lý nhà nước về sở hữu trí tuệ"),
    ("ip2026", "11b", "Chuyển đổi số hoạt động sở hữu trí tuệ"),
    ("ip2026", "25a", "Các trường hợp ngoại lệ không xâm phạm quyền tác giả dành cho người khuyết tật"),
    ("ip2025", "12a", "Tác giả, đồng tác giả"),
])
def test_article_titles(parsed, key, article, title):
    assert parsed[key].article(article).title == title


def test_ip2026_lettered_articles_present(parsed):
    for number in ("8a", "11a", "11b", "25a", "198b"):
        assert parsed["ip2026"].article(number) is not None, number


def test_ip2026_art7_clause5_has_two_paragraphs(parsed):
    text = _clause(parsed["ip2026"], "7", "5").text
    first, second = text.split("\n")
    assert first.startswith("Tổ chức, cá nhân được sử dụng văn bản và dữ liệu")
    assert second.startswith("Đối với văn bản và dữ liệu là đối tượng được bảo hộ quyền tác giả")


@pytest.mark.parametrize("key", ["ip2025", "ip2026"])
def test_ip_art4_lettered_clause(parsed, key):
    art = parsed[key].article("4")
    numbers = [c.number for c in art.clauses]
    assert numbers[:3] == ["", "1", "2"]            # chapeau "Trong Luật này, ..." then clauses
    assert numbers.index("10a") == numbers.index("10") + 1
    assert _clause(parsed[key], "4", "10a").text.startswith("Tiền bản quyền là")


def test_ip2025_defined_terms_joined_across_lines(parsed):
    assert _clause(parsed["ip2025"], "4", "1").text.startswith(
        "Quyền sở hữu trí tuệ là quyền của tổ chức, cá nhân")
    assert _clause(parsed["ip2025"], "4", "3").text.startswith(
        "Quyền liên quan đến quyền tác giả (sau đây gọi là quyền liên quan) là quyền")
    assert _clause(parsed["ip2025"], "4", "8").text.startswith("Tác phẩm phái sinh là tác phẩm")


@pytest.mark.parametrize("key", ["ip2025", "ip2026"])
def test_art25_points_skip_f_and_j(parsed, key):
    labels = [p.label for p in _clause(parsed[key], "25", "1").points]
    assert labels == list("abcd") + ["đ"] + list("eghiklm")


@pytest.mark.parametrize("key, article, clause, labels", [
    ("ip2026", "109", "2", ["a", "b", "c", "c1", "d", "đ", "e"]),
    ("ip2025", "109", "2", ["a", "b", "c", "d", "đ", "e"]),
    ("ip2026", "74", "2", None),
])
def test_digit_suffixed_points(parsed, key, article, clause, labels):
    got = [p.label for p in _clause(parsed[key], article, clause).points]
    if labels is None:
        assert "đ1" in got and got.index("đ1") == got.index("đ") + 1
    else:
        assert got == labels


def test_ip2025_point_letter_alone_on_its_line(parsed):
    point = _point(parsed["ip2025"], "6", "3", "a")     # "a)" / "[20]" / text / second paragraph
    assert point.footnotes == ["20"]
    assert point.text.startswith("Quyền sở hữu công nghiệp đối với sáng chế")
    assert point.text.split("\n")[1].startswith("Quyền sở hữu công nghiệp đối với nhãn hiệu nổi tiếng")


def test_raw_keeps_source_lines(parsed):
    raw = parsed["ip2025"].article("1").raw.split("\n")
    assert raw[:3] == ["Điều 1", ".", "Phạm vi điều chỉnh"] and len(raw) == 4
    assert parsed["ip2025"].article("5").raw == "Điều 5.\n[19]\n\n(được bãi bỏ)"


def test_ip2025_lettered_clause_before_its_base(parsed):
    assert [c.number for c in parsed["ip2025"].article("110").clauses] == ["1a", "1", "2", "3", "4"]


@pytest.mark.parametrize("article, clause, point, note", [
    ("3", None, None, "2"),            # marker on the line after the article heading
    ("4", "10a", None, "7"),
    ("7", "2", None, "22"),
    ("86", "1", "b", "94"),            # "[" / "94] Tổ chức ..."
    ("172", "3", None, "185"),         # "[185" / "] Chính phủ ..."
    ("198", "1", "a", "206"),          # "a)" / "[2" / "06] Áp dụng ..."
    ("198", "1", "b", "207"),
    ("16", "2", None, "34"),           # marker in the middle of a sentence
])
def test_ip2025_footnotes_recorded_on_nodes(parsed, article, clause, point, note):
    inst = parsed["ip2025"]
    if point:
        node = _point(inst, article, clause, point)
    elif clause:
        node = _clause(inst, article, clause)
    else:
        node = inst.article(article)
    assert note in node.footnotes


def test_ip2025_footnote_bodies(parsed):
    inst = parsed["ip2025"]
    assert set(inst.footnotes) == {str(n) for n in range(1, 240)}
    assert inst.footnotes["12"].startswith("Khoản này được bổ sung")          # "[" / "12] Khoản ..."
    assert "“" in inst.footnotes["238"] and "Điều 3" in inst.footnotes["238"]  # quotes amending laws ...
    assert inst.article("222").title == "Hướng dẫn thi hành"                    # ... which are not articles
    assert "LuatVietnam" not in inst.footnotes["239"]


def test_ip2025_cross_reference_line_is_not_an_article(parsed):
    # "... quy định tại" / "[34]" / "Điều 44 của Luật này."
    assert _clause(parsed["ip2025"], "16", "2").text == (
        "Tổ chức, cá nhân là chủ sở hữu quyền liên quan quy định tại Điều 44 của Luật này.")


@pytest.mark.parametrize("key, article", [
    ("ip2025", "5"), ("ip2025", "86a"), ("ip2025", "191a"), ("ip2025", "191b"), ("ip2025", "215"),
    ("ip2026", "5"), ("ip2026", "101"), ("ip2026", "106"), ("ip2026", "133a"),
])
def test_repealed_articles(parsed, key, article):
    art = parsed[key].article(article)
    assert art.repealed and art.title == ""
    assert art.full_text() == "(được bãi bỏ)"


def test_repealed_clause_kept_verbatim(parsed):
    art = parsed["ip2026"].article("109")
    assert not art.repealed
    assert _clause(parsed["ip2026"], "109", "3").text == "(được bãi bỏ)"
    assert _clause(parsed["ip2025"], "135", "2").text == "(được bãi bỏ)"


@pytest.mark.parametrize("key, article, path", [
    ("ip2025", "1", ["Phần thứ nhất. NHỮNG QUY ĐỊNH CHUNG"]),
    ("ip2025", "13", ["Phần thứ hai. QUYỀN TÁC GIẢ VÀ QUYỀN LIÊN QUAN",
                      "Chương I. ĐIỀU KIỆN BẢO HỘ QUYỀN TÁC GIẢ VÀ QUYỀN LIÊN QUAN",
                      "Mục 1. ĐIỀU KIỆN BẢO HỘ QUYỀN TÁC GIẢ"]),
    ("ip2026", "18", ["Phần thứ hai. QUYỀN TÁC GIẢ VÀ QUYỀN LIÊN QUAN",
                      "Chương II. NỘI DUNG, GIỚI HẠN QUYỀN, THỜI HẠN BẢO HỘ QUYỀN TÁC GIẢ, QUYỀN LIÊN QUAN",
                      "Mục 1. NỘI DUNG, GIỚI HẠN QUYỀN, THỜI HẠN BẢO HỘ QUYỀN TÁC GIẢ"]),
    ("ip2026", "36", ["Phần thứ hai. QUYỀN TÁC GIẢ VÀ QUYỀN LIÊN QUAN",
                      "Chương III. CHỦ SỞ HỮU QUYỀN TÁC GIẢ, QUYỀN LIÊN QUAN"]),
    ("ip2026", "220", ["Phần thứ sáu. ĐIỀU KHOẢN THI HÀNH"]),
    ("decree17", "1", ["Chương I. QUY ĐỊNH CHUNG"]),
    ("ai", "1", ["Chương I. QUY ĐỊNH CHUNG"]),
    ("decree134", "1", []),
])
def test_chapter_paths(parsed, key, article, path):
    assert parsed[key].article(article).chapter_path == path


# ---------------------------------------------------------------- other instruments


def test_decree134_quoted_text_stays_in_the_operation(parsed):
    inst = parsed["decree134"]
    art13 = inst.article("13")
    assert art13.title == "Bổ sung Điều 37a vào Mục 3 Chương III và sau Điều 37"
    assert [c.number for c in art13.clauses] == [""]
    body = art13.full_text()
    assert body.startswith("“Điều 37a. Điều kiện sử dụng văn bản và dữ liệu")
    assert "\n1. Văn bản và dữ liệu" in body and body.endswith("”")
    assert inst.article("37a") is None and inst.article("5a") is None
    assert [c.number for c in inst.article("4").clauses] == [""]
    # A quoted "p1)" stays in the clause text of the amending article, not a point of decree 134.
    clause = _clause(inst, "3", "1")
    assert clause.points == [] and "\n“p1) Xây dựng" in clause.text


def test_decree142_stops_before_annex_forms(parsed):
    inst = parsed["decree142"]
    assert max(int(re.match(r"\d+", a.number).group()) for a in inst.articles) == 46
    assert all("Mẫu" not in a.raw and "Phụ lục" not in a.raw for a in inst.articles[-3:])


def test_decree17_has_no_table_of_contents_articles(parsed):
    assert parsed["decree17"].article("1").title == "Phạm vi điều chỉnh"
    assert _clause(parsed["decree17"], "3", "1").text.startswith("Tác phẩm di cảo là")


def test_ai_law_markdown_headings(parsed):
    art = parsed["ai"].article("3")
    assert art.title == "Giải thích từ ngữ"
    assert not any(a.title.startswith("#") or a.raw.startswith("Điều") for a in parsed["ai"].articles)


def test_digital_tech_law_repairs(parsed):
    inst = parsed["digital"]
    assert "Công nghiệp công nghệ số là" in _clause(inst, "3", "2").text
    assert _clause(inst, "3", "2").text.endswith("công nghiệp công nghệ thông tin.")
    # The stray "QUỐC HỘI / Luật số" block sat between clauses 3 and 4 of Art. 3.
    assert [c.number for c in inst.article("3").clauses] == [str(n) for n in range(1, 10)]
    assert _clause(inst, "3", "3").text.endswith("số hóa thế giới thực.")
    assert inst.article("2").title == "Đối tượng áp dụng"
    text = "\n".join(_texts(inst))
    for artefact in ("ngh ệ", "QUỐC HỘI\n", "Luật số: 71", "Hạnh phúc", " ,", " ;"):
        assert artefact not in text
    assert "CÔNG BÁO" in inst.article("4").raw       # raw keeps the source lines for audit
    assert "công ngh ệ số" in inst.article("3").raw


# ---------------------------------------------------------------- synthetic edge cases


def _parse(lines: list[str], iid: str = "x") -> Instrument:
    return parse_instrument("\n".join(lines), iid)


SYNTHETIC = [
    # (name, source lines, article number, clause number or None, expected full text of the node)
    ("split heading", ["Căn cứ Hiến pháp;", "Điều 1", ".", "Phạm vi", "Luật này quy định."],
     "1", None, "Luật này quy định."),
    ("clause number alone", ["Điều 2. A", "1.", "Thuật ngữ", "là nghĩa của nó."],
     "2", "1", "Thuật ngữ là nghĩa của nó."),
    ("point letter alone", ["Điều 3. A", "1. Gồm:", "a)", "Một;", "b) Hai."],
     "3", "1", "Gồm:\na) Một;\nb) Hai."),
    ("unnumbered paragraph", ["Điều 4. A", "1. Câu một.", "Đoạn hai bắt đầu.", "2. Khác."],
     "4", "1", "Câu một.\nĐoạn hai bắt đầu."),
    ("lowercase continues", ["Điều 5. A", "1. Câu bị ngắt.", "tiếp tục ở đây."],
     "5", "1", "Câu bị ngắt. tiếp tục ở đây."),
    ("no full stop continues", ["Điều 6. A", "1. Câu bị ngắt,", "Luật này tiếp."],
     "6", "1", "Câu bị ngắt, Luật này tiếp."),
    ("points without clauses", ["Điều 7. A", "Gồm:", "a) Một;", "đ) Năm."],
     "7", "", "Gồm:\na) Một;\nđ) Năm."),
    ("broken footnote", ["Điều 8. A", "1. Văn bản", "[2", "06]", "tiếp."],
     "8", "1", "Văn bản tiếp."),
    ("cross reference line", ["Điều 9. A", "1. Quy định tại", "Điều 44 của Luật này.", "Điều 10. B", "Nội dung."],
     "9", "1", "Quy định tại Điều 44 của Luật này."),
    ("signature block", ["Điều 1. A", "Nội dung.", "Luật này được Quốc hội khóa XV thông qua ngày 1.",
                         "CHỦ TỊCH QUỐC HỘI", "Trần Thanh Mẫn"],
     "1", None, "Nội dung."),
    ("annex restart", ["Điều 1. A", "Nội dung.", "Điều 2. B", "Hai.", "Điều 1. Thông tin chung", "Biểu mẫu."],
     "2", None, "Hai."),
    ("quoted amendment", ["Điều 1. Bổ sung Điều 5a", "“Điều 5a. Mới", "1. Khoản mới.", "a) Điểm mới.”",
                          "Điều 2. Hiệu lực", "Có hiệu lực."],
     "1", None, "“Điều 5a. Mới\n1. Khoản mới.\na) Điểm mới.”"),
    ("lettered clause first", ["Điều 1. A", "1a. Trước.", "1. Sau.", "2. Tiếp."],
     "1", None, "1a. Trước.\n1. Sau.\n2. Tiếp."),
    ("lower number mid-sentence", ["Điều 40. A", "1. Theo quy định tại", "Điều 11. Nội dung.", "Điều 41. B", "Hai."],
     "40", "1", "Theo quy định tại Điều 11. Nội dung."),
    ("nfc and spaces", ["Điều 1.  A", "1.   Nội\u00a0dung  cá nhân."],
     "1", "1", "Nội dung cá nhân."),
]


@pytest.mark.parametrize("name, lines, article, clause, expected", SYNTHETIC, ids=[s[0] for s in SYNTHETIC])
def test_synthetic(name, lines, article, clause, expected):
    import unicodedata
    inst = _parse([unicodedata.normalize("NFD", line) if name == "nfc and spaces" else line for line in lines])
    art = inst.article(article)
    node_text = art.full_text() if clause is None else _clause(inst, article, clause).full_text()
    assert node_text == expected


def test_synthetic_article_sets():
    assert [a.number for a in _parse(SYNTHETIC[10][1]).articles] == ["1", "2"]
    assert [a.number for a in _parse(SYNTHETIC[11][1]).articles] == ["1", "2"]
    assert [a.number for a in _parse(SYNTHETIC[8][1]).articles] == ["9", "10"]
    art = _parse(["Điều 1", ".", "Phạm vi", "Nội dung."]).article("1")
    assert art.title == "Phạm vi"
    assert _parse(["Điều 3. A", "[7]", "1. B"]).article("3").footnotes == ["7"]


def test_synthetic_headings():
    inst = _parse(["Phần thứ hai", "QUYỀN TÁC GIẢ", "Chương I", "ĐIỀU KIỆN", "BẢO HỘ", "Mục 1.", "TÁC GIẢ",
                   "Điều 1. A", "Nội dung.", "Chương II. KHÁC", "Điều 2. B", "Hai."])
    assert inst.article("1").chapter_path == [
        "Phần thứ hai. QUYỀN TÁC GIẢ", "Chương I. ĐIỀU KIỆN BẢO HỘ", "Mục 1. TÁC GIẢ"]
    assert inst.article("2").chapter_path == ["Phần thứ hai. QUYỀN TÁC GIẢ", "Chương II. KHÁC"]


def test_synthetic_repeal():
    inst = _parse(["Điều 5. (được bãi bỏ)", "Điều 6.", "[19]", "(được bãi bỏ)", "Điều 7. A", "1. (được bãi bỏ)"])
    assert [(a.number, a.repealed, a.title) for a in inst.articles] == [
        ("5", True, ""), ("6", True, ""), ("7", False, "A")]
    assert inst.article("6").footnotes == ["19"]


@pytest.mark.parametrize("raw, expected", [
    ("2. Công nghiệp công ngh ệ số là ngành", "2. Công nghiệp công nghệ số là ngành"),
    ("dịch vụ c ông nghệ và dịch vụ công nghệ và công nghệ", "dịch vụ công nghệ và dịch vụ công nghệ và công nghệ"),
    ("quy định tại điểm c khoản 1 và các điểm m và n khoản 2", "quy định tại điểm c khoản 1 và các điểm m và n khoản 2"),
    ("pháp luật , chiến lược ; số 43/2024/ QH15", "pháp luật, chiến lược; số 43/2024/QH15"),
    (" CÔNG BÁO/Số 965 + 966/Ngày 24-7-2025 39 \n1. Một dòng bị \nngắt.", "1. Một dòng bị ngắt."),
    ("1. Đầu.\n40 CÔNG BÁO/Số 965 + 966/Ngày 24-7-2025 \n2. Hai.", "1. Đầu.\n2. Hai."),
    ("1. Khoản.\nQUỐC HỘI \n \nLuật số: 71/2025/QH15 \nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM \n"
     "Độc lập - Tự do - Hạnh phúc \n2. Tiếp.", "1. Khoản.\n2. Tiếp."),
    ("Điều 2. Đối tượng áp dụng \nLuật này áp dụng.", "Điều 2. Đối tượng áp dụng\nLuật này áp dụng."),
])
def test_clean_pdf_text(raw, expected):
    assert clean_pdf_text(raw) == expected
