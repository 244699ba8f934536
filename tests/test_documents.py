"""The user's own PDFs, end to end on real PDF files written here byte by byte (fonts with and without a Unicode
map, a TCVN3 font), a real refresh, the real model and Chroma: indexed and cited by page, refused with the file
named when unreadable, removed on delete, never in the way of the law."""
from __future__ import annotations

import io
import json
import os
import subprocess
import sys
import time
import unicodedata
from datetime import date
from pathlib import Path

import pytest

from crash_excerpt import fresh_home
from ingest import garbled
from ingest.documents import DocumentError, add_document, delete_document, documents_dir, extract, list_documents

ROOT = Path(__file__).resolve().parent.parent
DAY = date(2026, 11, 27)

# --- writing PDFs ------------------------------------------------------------------------------------------------


def _assemble(objects: list[bytes], root: int) -> bytes:
    out = io.BytesIO()
    out.write(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for n, body in enumerate(objects, 1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % n + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    out.write(b"".join(b"%010d 00000 n \n" % o for o in offsets))
    out.write(b"trailer\n<< /Size %d /Root %d 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, root, xref))
    return out.getvalue()


def _stream(data: bytes, extra: bytes = b"") -> bytes:
    return b"<< /Length %d %s>>\nstream\n" % (len(data), extra) + data + b"\nendstream"


def pdf(pages: list[list[str]], font: str = "unicode", image_mb: int = 0) -> bytes:
    """Pages of text lines. font "unicode": a CID font with a ToUnicode map (how Word and LibreOffice write PDFs);
    "unmapped": the same font without the map; "tcvn3": a .VnTime font whose bytes are TCVN3. image_mb: an
    uncompressed image of that size on every page (a large scanned annex)."""
    chars = sorted({ch for page in pages for line in page for ch in line})
    cid = {ch: n + 1 for n, ch in enumerate(chars)}
    objs: list[bytes] = []

    def add(body: bytes) -> int:
        objs.append(body)
        return len(objs)

    if font == "tcvn3":
        font_ref = add(b"<< /Type /Font /Subtype /TrueType /BaseFont /.VnTime /Encoding /WinAnsiEncoding >>")
    else:
        desc = add(b"<< /Type /FontDescriptor /FontName /Arial /Flags 32 /FontBBox [0 -200 1000 900] /ItalicAngle 0 "
                   b"/Ascent 900 /Descent -200 /CapHeight 700 /StemV 80 >>")
        cidfont = add(b"<< /Type /Font /Subtype /CIDFontType2 /BaseFont /Arial /CIDSystemInfo << /Registry (Adobe) "
                      b"/Ordering (Identity) /Supplement 0 >> /FontDescriptor %d 0 R /DW 500 >>" % desc)
        to_unicode = b""
        if font == "unicode":
            pairs = "\n".join(f"<{cid[c]:04X}> <{ord(c):04X}>" for c in chars)
            cmap = ("/CIDInit /ProcSet findresource begin 12 dict begin begincmap /CMapName /U def "
                    "1 begincodespacerange <0000> <FFFF> endcodespacerange\n"
                    f"{len(chars)} beginbfchar\n{pairs}\nendbfchar endcmap CMapName currentdict /CMap "
                    "defineresource pop end end").encode()
            to_unicode = b" /ToUnicode %d 0 R" % add(_stream(cmap))
        font_ref = add(b"<< /Type /Font /Subtype /Type0 /BaseFont /Arial /Encoding /Identity-H "
                       b"/DescendantFonts [%d 0 R]%s >>" % (cidfont, to_unicode))
    side = int((image_mb * 2**20 / 3) ** 0.5)
    parent = len(objs) + (3 if image_mb else 2) * len(pages) + 1
    kids = []
    for page in pages:
        image = b" /XObject << /Im1 %d 0 R >>" % add(_stream(
            os.urandom(side * side * 3), b"/Type /XObject /Subtype /Image /Width %d /Height %d /ColorSpace "
            b"/DeviceRGB /BitsPerComponent 8 " % (side, side))) if image_mb else b""
        ops = [b"q 595 0 0 842 0 0 cm /Im1 Do Q" if image_mb else b"", b"BT /F1 11 Tf 14 TL 50 800 Td"]
        for line in page:
            if font == "tcvn3":
                raw = to_tcvn3(line).encode("cp1252")
                ops.append(b"(" + raw.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)") + b") Tj T*")
            else:
                ops.append(b"<" + "".join(f"{cid[c]:04X}" for c in line).encode() + b"> Tj T*")
        ops.append(b"ET")
        content = add(_stream(b"\n".join(ops)))
        kids.append(add(b"<< /Type /Page /Parent %d 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 %d 0 R "
                        b">>%s >> /Contents %d 0 R >>" % (parent, font_ref, image, content)))
    assert add(b"<< /Type /Pages /Kids [%s] /Count %d >>" % (b" ".join(b"%d 0 R" % k for k in kids),
                                                           len(kids))) == parent
    return _assemble(objs, add(b"<< /Type /Catalog /Pages %d 0 R >>" % parent))


def encrypted(data: bytes) -> bytes:
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(data)))
    writer.encrypt(user_password="secret", owner_password="owner", algorithm="RC4-128")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def image_only() -> bytes:
    from PIL import Image, ImageDraw

    img = Image.new("RGB", (850, 1100), "white")
    ImageDraw.Draw(img).text((50, 50), "HOP DONG (scanned)", fill="black")
    out = io.BytesIO()
    img.save(out, "PDF", resolution=100)
    return out.getvalue()


# --- the old Vietnamese encodings, to measure the detector on real statute text ------------------------------------

_TCVN3 = dict(zip(
    "àáảãạăằắẳẵặâầấẩẫậđèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵĂÂĐÊÔƠƯ",
    "µ¸¶·¹¨»¾¼½Æ©ÇÊÈÉË®ÌÐÎÏÑªÒÕÓÔÖ×ÝØÜÞßãáâä«åèæçé¬êíëìîïóñòô\u00adõøö÷ùúýûüþ¡¢§£¤¥¦"))
_TONES = {"\u0301": 0, "\u0300": 1, "\u0309": 2, "\u0303": 3, "\u0323": 4}   # sắc huyền hỏi ngã nặng
_VNI_TONE = "ùøûõï"
_VNI_HAT_TONE = "áàåãä"        # â ê ô with a tone
_VNI_BREVE_TONE = "éèúüë"      # ă with a tone
_VNI_I = "íìæóò"


def to_tcvn3(text: str) -> str:
    """Unicode → what a TCVN3 (.VnTime) font's bytes read as in cp1252. TCVN3 capitals other than Ă Â Đ Ê Ô Ơ Ư
    are drawn by a separate upper-case font from the lower-case codes."""
    out = []
    for ch in unicodedata.normalize("NFC", text):
        low = ch.lower()
        out.append(_TCVN3.get(ch) or (_TCVN3.get(low) if ch != low else None) or ch)
    return "".join(out)


def to_vni(text: str) -> str:
    """Unicode → VNI Windows as read in cp1252: base letter, then one character for the hat/breve and tone."""
    out = []
    for ch in unicodedata.normalize("NFC", text):
        upper = ch != ch.lower()
        parts = unicodedata.normalize("NFD", ch.lower())
        base, marks = parts[0], parts[1:]
        tone = next((_TONES[m] for m in marks if m in _TONES), None)
        hat, breve, horn = "\u0302" in marks, "\u0306" in marks, "\u031b" in marks
        if base == "đ" or ch.lower() == "đ":
            s = "ñ"
        elif horn:
            s = ("ô" if base == "o" else "ö") + (_VNI_TONE[tone] if tone is not None else "")
        elif base == "i" and tone is not None:
            s = _VNI_I[tone]
        elif hat:
            s = base + (_VNI_HAT_TONE[tone] if tone is not None else "â")
        elif breve:
            s = base + (_VNI_BREVE_TONE[tone] if tone is not None else "ê")
        elif tone is not None:
            s = base + _VNI_TONE[tone]
        else:
            s = ch.lower()
        out.append(s.upper() if upper else s)
    return "".join(out)


def statute_pages(size: int = 2500) -> list[str]:
    pages = []
    for path in sorted((ROOT / "corpus" / "statutes").glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        pages += [text[i:i + size] for i in range(0, len(text), size)]
    return pages


def test_detector_measured_on_the_real_statutes_in_unicode_tcvn3_and_vni():
    pages = statute_pages()
    assert len(pages) > 300
    unicode_shares = [garbled.legacy_share(p) for p in pages]
    tcvn3_shares = [garbled.legacy_share(to_tcvn3(p)) for p in pages]
    vni_shares = [garbled.legacy_share(to_vni(p)) for p in pages]
    assert max(unicode_shares) < garbled.MAX_LEGACY_SHARE / 2, max(unicode_shares)
    assert all(garbled.problem(p) is None for p in pages)
    assert min(tcvn3_shares) > 2 * garbled.MAX_LEGACY_SHARE, min(tcvn3_shares)
    assert min(vni_shares) > 2 * garbled.MAX_LEGACY_SHARE, min(vni_shares)
    assert all("TCVN3" in garbled.problem(to_tcvn3(p))[0] for p in pages)
    print(f"\nlegacy share over {len(pages)} pages: unicode max {max(unicode_shares):.3f}, tcvn3 min "
          f"{min(tcvn3_shares):.3f}, vni min {min(vni_shares):.3f}")


def test_detector_leaves_english_french_and_german_alone():
    english = [json.loads(line)["text"] or "" for path in (ROOT / "corpus" / "translations").glob("*.jsonl")
               for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    texts = ["\n".join(english[i:i + 20]) for i in range(0, len(english), 20)] + [
        "Le contrat de licence prévoit que le licencié paiera une redevance annuelle à l'éditeur; la naïveté du "
        "présent accord n'exclut pas la responsabilité. Noël, été, où, garçon, cœur, forêt, Haïti.",
        "Der Lizenznehmer zahlt für die Nutzung der Werke eine Gebühr; über die Höhe entscheidet die Größe des "
        "Datensatzes. Müller, Straße, schön, Bäume, Tür, Öffnung, Übung.",
        "Acme® and Zephyr™ © 2026. Bullets: • ◦ ▪ — “quoted” ‘text’ 50 °C, § 12, ½ share.",
    ]
    for text in texts:
        assert garbled.problem(text) is None, text[:80]


def test_unmapped_font_output_is_detected_whatever_its_shape():
    assert "Unicode map" in garbled.problem("(cid:12)(cid:45)(cid:3)(cid:77) " * 10)[0]
    assert "Unicode map" in garbled.problem("\ue001\ue002\ue013 \ue044\ue010" * 10)[0]
    assert "Unicode map" in garbled.problem("\x13\x1c\x01\x04\x03\x08\x16 " * 10)[0]
    assert "Unicode map" in garbled.problem("\ufffd\ufffd hợp đồng \ufffd\ufffd\ufffd " * 10)[0]
    assert garbled.problem(" Điều 1. Bên A cam kết:\n\uf0b7 bảo mật;\n\uf0b7 bồi thường thiệt hại.") is None


# --- the folder ----------------------------------------------------------------------------------------------------

CONTRACT = [
    ["HỢP ĐỒNG CẤP PHÉP DỮ LIỆU SỐ 17/2026", "Giữa Công ty Zephyr Analytics (Bên B) và Nhà xuất bản Sao Mai (Bên A)"],
    ["Điều 4. Phạm vi sử dụng", "Bên B được dùng kho bài báo của Bên A để huấn luyện mô hình ngôn ngữ nội bộ,",
     "nhưng không được phân phối lại bản sao các bài báo cho bên thứ ba."],
    ["Article 9. Termination fee", "If the Licensee terminates this agreement early, it shall pay a termination",
     "fee of forty-two thousand US dollars (USD 42,000) within thirty days of notice."],
]
FEE_QUESTION = "How much is the termination fee if the licensee ends the agreement early?"
MATCHING = {   # question → the page that answers it
    "How much is the termination fee if the licensee ends the contract early?": ("zephyr-license.pdf", 3),
    "Who are the parties to the Zephyr data licence?": ("zephyr-license.pdf", 1),
    "How fast may I drive the company car on the highway?": ("fleet-policy.pdf", 1),
    "phí chấm dứt hợp đồng trước hạn là bao nhiêu?": ("zephyr-license.pdf", 3),
    "Can Zephyr use the articles to train its language model?": ("zephyr-license.pdf", 2),
    "What does the Zephyr agreement say about USD payments?": ("zephyr-license.pdf", 3),
    "Bên B có được phân phối lại bản sao bài báo cho bên thứ ba không?": ("zephyr-license.pdf", 2),
    "What is the speed limit for cars on Vietnamese highways?": ("fleet-policy.pdf", 1),
    FEE_QUESTION: ("zephyr-license.pdf", 3),
}
UNRELATED = [
    "Can a company train a commercial AI model on copyrighted works?", "What does Article 25a say?",
    "Công thức nấu phở bò ngon nhất là gì?", "reproduction right exceptions for research",
    "Điều 37b Nghị định 17 quy định gì?", "how long does copyright last for a photograph", "ly hôn và quyền nuôi con",
    "personal income tax rates", "quyền tác giả đối với phần mềm máy tính",
    "Is text and data mining allowed for non-commercial research?",
]
FLEET_POLICY = [["Company vehicle policy", "Drivers of company cars must not exceed 90 km/h on highways, even where",
                 "the posted speed limit is higher; speeding fines are deducted from the driver's allowance."]]


@pytest.fixture(scope="module")
def doc_home(home, ingested, tmp_path_factory) -> Path:
    """A fresh VNIP_HOME sharing the session home's model and a copy of its embedding cache, so that a refresh
    embeds only the documents' chunks."""
    return fresh_home(tmp_path_factory.mktemp("vnip-docs-home") / "home", home)


def load(home):
    from assistant.retrieve import Index

    return Index(home, build=False)


def test_contract_is_cited_by_page_and_bad_pdfs_are_refused_by_name(doc_home):
    from assistant.answer import answer
    from ingest.index import refresh

    good = pdf(CONTRACT)
    bad = {
        "locked.pdf": (encrypted(good), "encrypted"),
        "cut-off.pdf": (good[:len(good) // 2], "truncated"),
        "blank.pdf": (pdf([[], []]), "no page has extractable text"),
        "scan.pdf": (image_only(), "no page has extractable text"),
        "old-font.pdf": (pdf([["Điều 3. Quyền tác giả đối với tác phẩm được bảo hộ theo quy định của Luật này.",
                               "Bên B chịu trách nhiệm bồi thường thiệt hại phát sinh."]], font="tcvn3"), "TCVN3"),
        "no-unicode.pdf": (pdf(CONTRACT, font="unmapped"), "Unicode map"),
    }
    add_document(doc_home, "zephyr-license.pdf", good)
    add_document(doc_home, "fleet-policy.pdf", pdf(FLEET_POLICY))
    for name, (data, _) in bad.items():
        add_document(doc_home, name, data)
    summary = refresh(doc_home)
    assert summary.changed and summary.documents == 2
    for name, (_, why) in bad.items():
        assert any(e.startswith(name) and why in e for e in summary.errors), (name, summary.errors)
    listed = {d.name: d for d in list_documents(doc_home)}
    assert listed["zephyr-license.pdf"].status == "ok" and listed["zephyr-license.pdf"].pages == 3
    assert all(listed[n].status == "refused" and n in listed[n].reason for n in bad)
    assert "page 1" in listed["old-font.pdf"].reason and "page 1" in listed["no-unicode.pdf"].reason

    index = load(doc_home)
    result = answer(index, FEE_QUESTION, DAY)
    docs = [c for c in result.citations if c.kind == "document"]
    assert docs and docs[0].id == "doc:zephyr-license.pdf#p3" and docs[0].page == 3
    assert docs[0].label == "zephyr-license.pdf, p. 3" and "USD 42,000" in docs[0].text
    assert "### From your documents (not law)" in result.answer and "USD 42,000" in result.answer

    vi = answer(index, "Bên B có được phân phối lại bản sao bài báo cho bên thứ ba không?", DAY)
    assert any(c.id == "doc:zephyr-license.pdf#p2" for c in vi.citations), [c.id for c in vi.citations]
    assert "Từ tài liệu của bạn (không phải quy định pháp luật)" in vi.answer

    law = answer(index, "What does Article 25a say?", DAY)
    assert law.citations[0].id == "ip-law:25a" and all(c.kind != "document" for c in law.citations)
    # outside the law (the same question is refused in test_assistant.py) but in the user's document: refused on
    # the law, and the passage is still shown, labelled as not law
    fleet = answer(index, "What is the speed limit for cars on Vietnamese highways?", DAY)
    assert fleet.refused and [c.id for c in fleet.citations] == ["doc:fleet-policy.pdf#p1"]
    assert "outside what the corpus covers" in fleet.answer and "From your documents (not law)" in fleet.answer
    off = answer(index, "Công thức nấu phở bò ngon nhất là gì?", DAY)
    assert off.refused and off.citations == []

    found = [(q, [(d.name, d.page) for d in index.retrieve(q, DAY, 5).documents][:1]) for q in MATCHING]
    assert sum(1 for (q, hits), want in zip(found, MATCHING.values()) if hits == [want]) >= 7, found
    shown = [(q, index.retrieve(q, DAY, 5).documents) for q in UNRELATED]
    assert all(not docs for _, docs in shown), shown


def test_nothing_changed_is_quick_and_delete_removes_the_passage(doc_home):
    from assistant.answer import answer
    from ingest.index import refresh

    again = refresh(doc_home)
    assert not again.changed and again.seconds < 5
    for name in ("locked.pdf", "cut-off.pdf", "blank.pdf", "scan.pdf", "old-font.pdf", "no-unicode.pdf"):
        delete_document(doc_home, name)
    delete_document(doc_home, "zephyr-license.pdf")
    delete_document(doc_home, "fleet-policy.pdf")
    summary = refresh(doc_home)
    assert summary.changed and summary.documents == 0 and summary.embedded == 0 and not summary.errors
    assert list_documents(doc_home) == []
    result = answer(load(doc_home), FEE_QUESTION, DAY)
    assert all(c.kind != "document" for c in result.citations) and "From your documents" not in result.answer
    with pytest.raises(DocumentError, match="no such document"):
        delete_document(doc_home, "zephyr-license.pdf")


@pytest.mark.parametrize("name", ["../evil.pdf", "/etc/evil.pdf", "sub/evil.pdf", "..\\evil.pdf", ".hidden.pdf",
                                  "..", "", "evil.pdf\x00.txt", "notes.txt", "contract.PDF.exe", "x" * 200 + ".pdf"])
def test_unsafe_names_are_rejected_and_nothing_is_written(tmp_path, name):
    home = tmp_path / "home"
    with pytest.raises(DocumentError):
        add_document(home, name, pdf(CONTRACT))
    written = [p for p in tmp_path.rglob("*") if p.is_file()]
    assert written == []


def test_not_a_pdf_is_rejected_on_add(tmp_path):
    with pytest.raises(DocumentError, match="not a PDF"):
        add_document(tmp_path, "contract.pdf", b"PK\x03\x04 a zip file")
    assert not (documents_dir(tmp_path) / "contract.pdf").exists()


def test_extract_numbers_pages_from_one_and_normalises_to_nfc(tmp_path):
    decomposed = unicodedata.normalize("NFD", "Điều 4. Quyền sử dụng")
    path = tmp_path / "nfd.pdf"
    path.write_bytes(pdf([["cover"], [], [decomposed]]))
    pages = extract(path)
    assert [p.number for p in pages] == [1, 3]
    assert pages[1].text.strip() == unicodedata.normalize("NFC", decomposed)


def test_a_50_mb_pdf_is_read_page_by_page_in_bounded_time_and_memory(tmp_path):
    path = tmp_path / "big-annex.pdf"
    started = time.perf_counter()
    path.write_bytes(pdf([[f"Phụ lục {n}: danh mục tác phẩm được cấp phép, trang {n}."] for n in range(1, 12)],
                         image_mb=5))
    assert path.stat().st_size > 50 * 2**20
    # VmHWM, not ru_maxrss: the latter keeps the high-water mark of the forking pytest process across exec
    code = ("import sys, re; from ingest.documents import extract; pages = extract(sys.argv[1]); "
            "hwm = re.search(r'VmHWM:\\s+(\\d+)', open('/proc/self/status').read()).group(1); print(len(pages), hwm)")
    run = subprocess.run([sys.executable, "-c", code, str(path)], capture_output=True, text=True, cwd=ROOT,
                         timeout=300)
    assert run.returncode == 0, run.stderr
    count, rss_kb = map(int, run.stdout.split())
    seconds = time.perf_counter() - started
    assert count == 11 and rss_kb < 150 * 1024 and seconds < 60, (rss_kb, seconds)
    print(f"\n50 MB PDF: {seconds:.1f} s including writing it, peak RSS {rss_kb // 1024} MB")


def test_cli_adds_lists_and_deletes(doc_home, tmp_path):
    env = {**os.environ, "VNIP_HOME": str(doc_home), "HF_HUB_OFFLINE": "1"}

    def vnip(*args):
        return subprocess.run([sys.executable, "-m", "assistant.cli", *args], capture_output=True, text=True,
                              env=env, cwd=ROOT, timeout=600)

    source = tmp_path / "guideline.pdf"
    source.write_bytes(pdf(CONTRACT[1:]))
    run = vnip("docs", "add", str(source), "--json")
    assert run.returncode == 0, run.stderr
    assert [(d["name"], d["status"], d["pages"]) for d in json.loads(run.stdout)] == [("guideline.pdf", "ok", 2)]
    listed = vnip("docs", "list")
    assert listed.returncode == 0 and "ok" in listed.stdout and "guideline.pdf" in listed.stdout
    missing = vnip("docs", "add", str(tmp_path / "nope.pdf"))
    assert missing.returncode == 2 and "no such file" in missing.stderr
    unknown = vnip("docs", "delete", "nope.pdf")
    assert unknown.returncode == 2 and "nope.pdf" in unknown.stderr and "vnip docs list" in unknown.stderr
    gone = vnip("docs", "delete", "guideline.pdf", "--json")
    assert gone.returncode == 0 and json.loads(gone.stdout) == []
