"""What the corpus cannot answer although the question sounds like IP law: amounts of fines, criminal liability,
fee amounts and other named laws live in instruments the corpus does not hold. Similarity cannot tell "how much is
the fine for pirated software" from a copyright question; these words can. Patterns match folded text (lower case,
no diacritics), so Vietnamese typed either way is read alike; case is kept for "US", "EU" and "UK" (not "us")."""
from __future__ import annotations

import re

from assistant.text import unaccented

# (pattern, why, refuse[, unless]): `refuse` gaps make the question unanswerable from the corpus, unless the
# `unless` pattern also matches; the others only add a hint to a refusal decided on other grounds.
GAPS = [
    (r"\b(how (much|large|high|big)|maximum|minimum|amount of (the )?|what)\b[^?.!]{0,40}\b(fines?|penalt(y|ies))\b|"
     r"\bfined\b|\bfines? (for|if|when|of up to|bracket|level|range|amount)\b|\b(muc phat|phat bao nhieu|bi phat|phat tien (bao nhieu|toi da|"
     r"tu|den))\b", "amounts of fines are set by the Government's decrees on administrative sanctions, which are not "
     "in this corpus (the Law on IP, Art. 211-214, only says which acts are sanctioned and how)", True),
    (r"\bcriminal (code|liability|charges?|prosecution|penalt|offen[cs]es?|record)|\b(prison|jail|imprison|crimes?\b|"
     r"prosecut)|"
     r"\b(hinh su|phat tu|di tu|truy cuu)\b", "criminal liability is governed by the Criminal Code, which is not in "
     "this corpus", True),
    (r"\b(registration|filing|application|renewal|examination|official|government|state|maintenance|annuity|"
     r"annual) (fees?|charges?)\b|\bhow much\b[^?.!]{0,40}\bfees?\b|"
     r"\bhow much (does it|do i|do we|will it)[^?.!]{0,30}\b(cost|pay)\b|\ble phi\b|"
     r"\bphi\b[^?.!]{0,30}\bbao nhieu\b", "the amounts of fees and charges are set by Ministry of Finance circulars, "
     "which are not in this corpus", True),
    (r"\b(labou?r code|civil code|enterprise law|law on enterprises|land law|law on land|cyber ?security law|"
     r"law on cyber ?security|personal data protection (law|decree)|law on personal data|decree (no\.? )?13|"
     r"press law|law on (the )?press|advertising law|law on advertising|consumer protection law|commercial law|"
     r"investment law|law on investment|tax law|law on tax)\b|"
     r"\b(bo luat lao dong|bo luat dan su|luat doanh nghiep|luat dat dai|luat an ninh mang|"
     r"luat bao ve du lieu ca nhan|nghi dinh 13|luat bao chi|luat quang cao|luat bao ve quyen loi nguoi tieu dung|"
     r"luat thuong mai|luat dau tu|luat thue|luat quan ly thue)\b", "the law the question names is not in this "
     "corpus (it holds the Law on IP, Decree 17/2023 as amended, the Law on AI, Decree 142/2026 and the Law on "
     "Digital Technology Industry)", True),
    (r"\b(tax|taxes|taxed|taxable|vat|thue|tncn)\b", "tax rules are in the tax laws, not in this corpus (the Law on "
     "Digital Technology Industry only grants tax incentives)", True, r"\b(incentive|preferential|uu dai)"),
    # another country's law, unless the question also asks about Vietnam's (a comparison is answered from it)
    (r"\b(?-i:US|U\.S|USA|EU|UK)\b|\b(united states|american|uspto|european|europe|germany|german|japan|japanese|china|"
     r"chinese|singapore|korea|korean|united kingdom|british|france|french|india|australia|canada|hoa ky|"
     r"chau au|lien minh chau au|nhat ban|trung quoc|han quoc|anh quoc)\b|\b(cua|o|tai|luat[a-z ]{0,25}) my\b",
     "the corpus holds Vietnamese law only; other countries' law is not in it", True,
     r"\b(viet ?nam|vietnamese|vn)\b"),
    (r"\b(probation|non-compete|overtime|severance|minimum wage|salary|salaries|thu viec|tien luong|tru luong|"
     r"muc luong|nghi viec|sa thai|lam them gio)\b", "employment matters are governed by the Labour Code, which is "
     "not in this corpus", True),
    (r"\bpersonal data\b[^?.!]{0,60}\b(consent|transfer|abroad|impact assessment|officer|breach)|"
     r"\b(consent|dong y)\b[^?.!]{0,60}\b(personal data|face|faces|facial|biometric|location|du lieu ca nhan|"
     r"khuon mat|vi tri)|\bdu lieu ca nhan\b[^?.!]{0,60}\b(dong y|ra nuoc ngoai|danh gia tac dong)",
     "personal data protection is governed by the Law on Personal Data Protection and its decrees, which are not in "
     "this corpus", True),
    (r"\b(patent|sang che|trademark|nhan hieu)", "this corpus covers industrial property only as far as the Law on "
     "IP goes; implementing decrees and circulars on industrial property are not in it", False),
]
_COMPILED = [(re.compile(gap[0], re.I), gap[1], gap[2], re.compile(gap[3], re.I) if len(gap) > 3 else None)
             for gap in GAPS]


def gaps(question: str) -> list[tuple[str, bool]]:
    """(why, refuse) of every gap the question falls into."""
    folded = unaccented(question)
    return [(why, refuse) for pattern, why, refuse, unless in _COMPILED
            if pattern.search(folded) and not (unless and unless.search(folded))]


def missing_instrument(question: str) -> str | None:
    """Why the corpus cannot answer this question, when the question itself says so; else None."""
    return next((why for why, refuse in gaps(question) if refuse), None)
