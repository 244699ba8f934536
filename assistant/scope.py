"""What the corpus cannot answer although the question sounds like IP law: amounts of fines, criminal liability,
fee amounts, tax, other named laws, other countries' law, employment and personal-data consent live in instruments
the corpus does not hold. Similarity cannot tell "how much is the fine for pirated software" from a copyright
question; these words can. Patterns match the question without diacritics, case-insensitively, so Vietnamese typed
either way is read alike; "US", "EU" and "UK" must be capitals (not "us")."""
from __future__ import annotations

import re
from dataclasses import dataclass

from ingest.corpus import holdings
from ingest.text import unaccented


@dataclass(frozen=True)
class Gap:
    pattern: str
    en: str                  # why, in the answer's language
    vi: str
    refuse: bool = True      # False: only a hint added to a refusal decided on other grounds
    unless: str = ""         # the question is answerable after all when this matches too
    also: str = ""           # ... and only a gap when this matches as well

    def matches(self, text: str) -> bool:
        def found(pattern: str) -> bool:
            return bool(re.search(pattern, text, re.I))

        return found(self.pattern) and not (self.unless and found(self.unless)) and (not self.also or found(self.also))


GAPS = [
    # before the fines: "the maximum penalty clause" is about a contract, not a sanction
    Gap(r"\b(penalty clauses?|contractual penalt\w*|liquidated damages|phat vi pham hop dong)\b",
        "this looks like a question about contract penalties, which the Civil Code and the Commercial Law govern; "
        "neither is in this corpus",
        "câu hỏi có vẻ về phạt vi phạm hợp đồng, do Bộ luật Dân sự và Luật Thương mại điều chỉnh; cả hai không có "
        "trong kho văn bản"),
    # "fine" alone is not enough: fine art, fine-tuning, "is it fine to quote"
    Gap(r"\b(how (much|large|high|big)|maximum|minimum|amount of (the )?)\b[^?.!]{0,40}\b(fines|penalt(y|ies))\b|"
        r"\bfines\b|\bfined\b|\b(what|which|the|a|any) fine\b(?![- ](arts?|tun|print|line)\b)|"
        r"\bfine (bracket|level|range|amount)s?\b|"
        r"\b(muc phat|phat bao nhieu|bi phat (bao nhieu|tien|hanh chinh|nhu the nao|the nao)|"
        r"phat tien (bao nhieu|toi da|tu|den))\b",
        "amounts of fines are set by the Government's decrees on administrative sanctions, which are not in this "
        "corpus (the Law on IP, Art. 211-214, only says which acts are sanctioned and how)",
        "mức phạt do các nghị định của Chính phủ về xử phạt vi phạm hành chính quy định, không có trong kho văn bản "
        "(Luật Sở hữu trí tuệ, Điều 211-214, chỉ nêu hành vi bị xử phạt và hình thức xử phạt)"),
    Gap(r"\bcriminal (code|liability|charges?|prosecution|penalt|offen[cs]es?|record)|"
        r"\b(prison|jail|imprison|prosecut)|\b(hinh su|truy cuu|ngoi tu|bi tu|phat tu (den|tu|chung than|\d))\b",
        "criminal liability is governed by the Criminal Code, which is not in this corpus",
        "trách nhiệm hình sự do Bộ luật Hình sự quy định, không có trong kho văn bản"),
    # not royalties or licence fees, which the corpus does govern; folded "phi" is also "non-" (phi thương mại)
    Gap(r"\b(registration|filing|application|renewal|examination|official|government|state|maintenance|annuity|"
        r"annual) (fees?|charges?)\b|\b(le phi|muc phi|phi (dang ky|nop don|tham dinh|cap|duy tri|gia han))\b",
        "the amounts of fees and charges are set by Ministry of Finance circulars, which are not in this corpus",
        "mức phí, lệ phí do thông tư của Bộ Tài chính quy định, không có trong kho văn bản"),
    Gap(r"\b(labou?r code|civil code|enterprise law|law on enterprises|land law|law on land|cyber ?security law|"
        r"law on cyber ?security|personal data protection (law|decree)|law on personal data|decree (no\.? )?13|"
        r"press law|law on (the )?press|advertising law|law on advertising|consumer protection law|commercial law|"
        r"investment law|law on investment|tax law|law on tax)\b|"
        r"\b(bo luat lao dong|bo luat dan su|luat doanh nghiep|luat dat dai|luat an ninh mang|"
        r"luat bao ve du lieu ca nhan|nghi dinh 13|luat bao chi|luat quang cao|luat bao ve quyen loi nguoi tieu dung|"
        r"luat thuong mai|luat dau tu|luat thue|luat quan ly thue)\b",
        f"the law the question names is not in this corpus (it holds {holdings('en')})",
        f"văn bản mà câu hỏi nêu không có trong kho văn bản (kho gồm {holdings('vi')})"),
    # folded "thue" is also "thuê" (hire: works made for hire are in the corpus), so only unmistakable phrases
    Gap(r"\b(tax|taxes|taxed|taxable|vat|tncn)\b|\bthue (tncn|thu nhap|gtgt|suat|nha thau|vat|tieu thu)|"
        r"\b(dong|nop|khau tru|quyet toan|chiu) thue\b",
        "tax rules are in the tax laws, not in this corpus (the Law on Digital Technology Industry only grants tax "
        "incentives)",
        "quy định về thuế nằm trong các luật thuế, không có trong kho văn bản (Luật Công nghiệp công nghệ số chỉ quy "
        "định ưu đãi thuế)", unless=r"\b(incentive|preferential|uu dai)"),
    # another country's law; a comparison with Vietnam's is answered from Vietnam's, and a country named without
    # any legal word ("a photo taken in Japan") is left to the similarity test. Not nationalities: "a French novel"
    Gap(r"\b(?-i:US|U\.S|USA|EU|UK)\b|\b(united states|uspto|europe|european union|germany|japan|china|singapore|"
        r"korea|united kingdom|france|india|australia|canada|hoa ky|chau au|lien minh chau au|nhat ban|trung quoc|"
        r"han quoc|anh quoc)\b|\b(cua|o|tai|luat[a-z ]{0,25}) my\b",
        "the corpus holds Vietnamese law only; other countries' law is not in it",
        "kho văn bản chỉ gồm pháp luật Việt Nam; pháp luật nước ngoài không có trong đó",
        unless=r"\b(viet ?nam|vietnamese|vn)\b",
        also=r"\b(law|laws|act|copyright|court|rules?|regulat\w*|fair use|directive|exception|office|statute|legal|"
             r"uspto|allowed|permitted|luat|quy dinh|ban quyen|toa an|dao luat|co duoc|duoc phep)\b"),
    Gap(r"\b(probation|non-compete|overtime|severance|minimum wage|thu viec|tien luong|tru luong|muc luong|"
        r"nghi viec|sa thai|lam them gio)\b",
        "employment matters are governed by the Labour Code, which is not in this corpus",
        "quan hệ lao động do Bộ luật Lao động điều chỉnh, không có trong kho văn bản"),
    Gap(r"\bpersonal data\b[^?.!]{0,60}\b(consent|transfer|abroad|impact assessment|officer|breach)|"
        r"\b(consent|dong y)\b[^?.!]{0,60}\b(personal data|face|faces|facial|biometric|location|du lieu ca nhan|"
        r"khuon mat|vi tri)|\bdu lieu ca nhan\b[^?.!]{0,60}\b(dong y|ra nuoc ngoai|danh gia tac dong)",
        "personal data protection is governed by the Law on Personal Data Protection and its decrees, which are not "
        "in this corpus",
        "bảo vệ dữ liệu cá nhân do Luật Bảo vệ dữ liệu cá nhân và các nghị định hướng dẫn điều chỉnh, không có trong "
        "kho văn bản"),
    # other law people bring to an IP assistant (measured on the external dev sets: contract penalties, civil
    # procedure, company formation, customs formalities, forms): each names what it is about and where it lives
    Gap(r"\b(civil procedure|court fees?|filing fees? (at|in) court|appeal (a|the) (judgment|ruling)|"
        r"first[- ]instance|statute of limitations|an phi|tam ung an phi|to tung dan su|thoi hieu khoi kien|"
        r"khang cao|so tham|phuc tham|bao lanh (cua )?ngan hang)\b",
        "this looks like a question about court procedure (court fees, time limits, appeals, security), which the "
        "Civil Procedure Code and the law on court fees govern; neither is in this corpus",
        "câu hỏi có vẻ về thủ tục tố tụng (án phí, thời hiệu, kháng cáo, bảo đảm), do Bộ luật Tố tụng dân sự và "
        "pháp luật về án phí điều chỉnh; không có trong kho văn bản"),
    Gap(r"\b(set(ting)? up a (company|business)|incorporat\w+ a company|founding shareholders?|charter capital|"
        r"thanh lap (cong ty|doanh nghiep)|co dong sang lap|von dieu le|ky quy|quy dau tu)\b",
        "this looks like a question about forming or investing in a company, which the Law on Enterprises and the "
        "Law on Investment govern; neither is in this corpus",
        "câu hỏi có vẻ về thành lập hoặc đầu tư vào doanh nghiệp, do Luật Doanh nghiệp và Luật Đầu tư điều chỉnh; "
        "không có trong kho văn bản"),
    Gap(r"\b(customs (declaration|duties|duty|clearance|procedures?)|import dut(y|ies)|to khai hai quan|"
        r"thu tuc hai quan|thue nhap khau)\b",
        "this looks like a question about customs formalities, which the Customs Law governs; it is not in this "
        "corpus (the Law on IP, Art. 216-219, holds only the border control of IP goods)",
        "câu hỏi có vẻ về thủ tục hải quan, do Luật Hải quan điều chỉnh, không có trong kho văn bản (Luật Sở hữu trí "
        "tuệ, Điều 216-219, chỉ quy định kiểm soát biên giới đối với hàng hóa liên quan đến sở hữu trí tuệ)"),
    Gap(r"\b(mau (bieu )?so (may|bao nhieu|\d+)|which form (number|no)|form no\.? ?\d+)",
        "the forms (the annexes of Decree 17/2023) are not in this corpus",
        "các mẫu tờ khai (phụ lục Nghị định 17/2023) không có trong kho văn bản"),
    Gap(r"\b(patent|sang che|trademark|nhan hieu)",
        "this corpus covers industrial property only as far as the Law on IP goes; implementing decrees and "
        "circulars on industrial property are not in it",
        "kho văn bản chỉ có phần sở hữu công nghiệp trong Luật Sở hữu trí tuệ; các nghị định, thông tư hướng dẫn về "
        "sở hữu công nghiệp không có trong đó", refuse=False),
]


# Using works or data to train, fine-tune, test or evaluate AI, or building datasets: the question this product
# exists for. Never refused for a gap it also falls into (personal data, fines): that is said, not a reason to
# refuse — except another country's law (missing_instrument).
AI_DATA = re.compile(
    r"\b(train\w*|fine-?tun\w*|pre-?train\w*|evaluat\w*|benchmark\w*|test(s|ing)?|huan luyen|tinh chinh|"
    r"danh gia|kiem thu)\b[^?.!]{0,60}\b(ai|a\.i\.|models?|llms?|neural|machine learning|chatbots?|mo hinh|"
    r"tri tue nhan tao)\b|"
    r"\b(ai|models?|llms?|mo hinh|tri tue nhan tao)\b[^?.!]{0,60}\b(train\w*|fine-?tun\w*|huan luyen|"
    r"tinh chinh)\b|"
    r"\btrain(ing|ed)? (an? |the |our |my )?(on|with)\b|"
    r"\b(datasets?|data ?sets?|training data|training corpus|tap du lieu|bo du lieu|du lieu huan luyen|"
    r"text and data mining|data mining|khai thac van ban va du lieu)\b", re.I)


# Plainly copyright questions: the similarity margin (retrieve.py) alone does not refuse them. "I hired a freelancer
# to write software: who owns it?" sat nearer the off-topic anchors (hiring, labour) than the corpus and was refused.
COPYRIGHT = re.compile(
    r"\b(copyright\w*|authors?|authorship|moral rights?|economic rights?|related rights?|intellectual property|"
    r"ban quyen|quyen tac gia|tac gia|quyen lien quan|so huu tri tue)\b|"
    r"\b(who owns|who is the owner|ownership|owner of|rights? (in|to|over))\b[^?.!]{0,80}\b(software|code|programs?|"
    r"apps?|works?|designs?|logos?|photo\w*|music|songs?|books?|articles?|videos?|films?|drawings?|paintings?)\b|"
    r"\b(software|code|programs?|apps?|works?|designs?|logos?|photo\w*|music|songs?|books?|videos?|films?|drawings?)"
    r"\b[^?.!]{0,80}\b(who owns|owns it|owner|ownership)\b", re.I)


FOREIGN_LAW = next(gap.en for gap in GAPS if "Vietnamese law only" in gap.en)


def about_copyright(question: str) -> bool:
    return bool(COPYRIGHT.search(unaccented(question)))


def about_ai_data(question: str) -> bool:
    """Is this about using material to train, test or evaluate AI, or about building datasets?"""
    return bool(AI_DATA.search(unaccented(question)))


def gaps(question: str) -> list[Gap]:
    """Every gap the question falls into."""
    text = unaccented(question)
    return [gap for gap in GAPS if gap.matches(text)]


def missing_instrument(question: str) -> str | None:
    """Why the corpus cannot answer this question, when the question itself says so; else None. A question about
    AI training or datasets is refused only when it asks about another country's law: the dated assessment applies
    Vietnamese law, and giving it to "is training fair use under US law?" would answer a question not asked."""
    found = [gap for gap in gaps(question) if gap.refuse]
    if about_ai_data(question):
        found = [gap for gap in found if gap.en == FOREIGN_LAW]
    return next((gap.en for gap in found), None)
