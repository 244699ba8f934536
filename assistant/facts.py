"""The facts of a training-data question, read deterministically (no language model) in English, Vietnamese and
Vietnamese typed without diacritics.

Every pattern is written without diacritics and matched against the folded question (`text.fold`), so one list
serves "thương mại" and "thuong mai". All vocabulary lives in this module, one commented list per fact value.
Within a fact the lists are tried in order and the first that matches decides; what a list matched is blanked
before the next fact is read, so "non-commercial" is never read again as "commercial" and "train for research and
then commercialise it" gives later_commercial, not a commercial purpose. A fact nothing matches is None (not said).
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from ingest.text import fold
from ingest.rules import FACTS

_W = r"[^.?!;\n]"           # a character inside the same clause

# --- later_commercial: research first, commercial exploitation of the model afterwards (Decree 17 Art. 37c(2)) ---
LATER_COMMERCIAL = [
    (False, [
        # "we will never commercialise it", "no plans to sell the model", "không thương mại hóa"
        rf"\b(?:never|not|no plans? to|won'?t|will not|do not|don'?t|does not|doesn'?t|do not intend to|"
        rf"don'?t intend to){_W}{{0,20}}?"
        r"\b(?:commerciali[sz]\w*|monetis\w*|monetiz\w*|sell)\b",
        r"\bkhong (?:co ke hoach |du dinh )?(?:thuong mai hoa|khai thac thuong mai)\b",
    ]),
    (True, [
        # "then commercialise", "later sell the model", "and eventually use it commercially"
        rf"\b(?:then|later|afterwards?|subsequently|eventually|down the line|in the future|at a later stage)\b{_W}{{0,40}}?"
        r"\b(?:commerciali[sz]\w*|monetis\w*|monetiz\w*|sell\w*|licen[cs]e (?:it|the model)|commercial(?:ly)?)\b",
        # "commercialise it later", "use it commercially afterwards"
        rf"\b(?:commerciali[sz]\w*|commercially|monetiz\w*|monetis\w*)\b{_W}{{0,30}}?"
        r"\b(?:later|afterwards?|eventually|down the line|in the future)\b",
        r"\bturn (?:it|the model|the results?) into a (?:commercial )?product\b",
        # "sau đó thương mại hóa", "rồi khai thác thương mại", "sau này đưa vào kinh doanh"
        rf"\b(?:sau do|sau nay|roi|ve sau|tiep theo|sau khi nghien cuu)\b{_W}{{0,40}}?"
        r"\b(?:thuong mai hoa|khai thac thuong mai|kinh doanh|muc dich thuong mai|su dung thuong mai|"
        r"dua vao thuong mai|ban (?:mo hinh|san pham))\b",
        rf"\bthuong mai hoa\b{_W}{{0,30}}?\b(?:sau do|sau nay|ve sau)\b",
    ]),
]

# --- purpose: commercial | non_commercial. Strong signals before weak ones; non-commercial negations first. ---
PURPOSE = [
    ("non_commercial", [
        r"\bnon[- ]?commercial\w*", r"\bnot[- ]for[- ]profit\b", r"\bnon[- ]?profit\b",
        r"\b(?:not|never) (?:for |intended for |meant for |used for |be used for )?(?:any )?commercial\w*",
        r"\bno commercial\b", r"\bwithout (?:any )?commercial\b",
        r"\b(?:don'?t|do not|doesn'?t|does not|won'?t|will not|never) (?:\w+ )?(?:monetiz\w*|monetis\w*|sell|"
        r"commerciali[sz]e|charge)\b",
        r"\b(?:purely|solely|only|just|strictly|exclusively) (?:for |as |to do )?(?:academic |scientific |internal |"
        r"non-commercial )?(?:research|study|studies|testing|experiment\w*|evaluation|teaching|education)\b",
        # Vietnamese: "phi thương mại", "không nhằm mục đích thương mại", "không vì lợi nhuận", "chỉ để nghiên cứu"
        r"\bphi thuong mai\b", r"\bphi loi nhuan\b",
        r"\bkhong (?:nham |vi |phai vi |phai la |co |dung vao |su dung vao )?(?:muc dich )?(?:thuong mai|loi nhuan|kinh doanh)\b",
        r"\bchi (?:de |nham |phuc vu |dung cho |dung de |cho |vi )?(?:muc dich )?(?:nghien cuu|hoc tap|thu nghiem|giang day)",
    ]),
    ("commercial", [
        r"\bcommercial(?:ly)?\b", r"\bcommerciali[sz]\w*", r"\bfor[- ]profit\b", r"\bprofit\w*", r"\bmonetiz\w*",
        r"\bmonetis\w*", r"\bsell\w*\b", r"\bsold\b", r"\brevenue\b",
        r"\bpaid (?:service|product|app|api|tier|offering)s?\b",
        # a company's R&D is commercial research, not the "scientific research" of Art. 7(5)
        r"\br&d\b", r"\bresearch and development\b",
        # not "trả phí" alone: "a paid account" is how the material was accessed, not what the use is for
        r"\bthuong mai\b", r"\bkinh doanh\b", r"\bkiem loi\b", r"\bloi nhuan\b", r"\bthu phi\b",
        r"\b(?:dich vu|san pham|ung dung) (?:co )?tra phi\b",
        r"\bnghien cuu (?:va|&) phat trien\b",
    ]),
    ("non_commercial", [
        # weak: research, academia, study
        r"\bresearch\w*", r"\bacademi\w*", r"\buniversit\w*", r"\bthesis\b", r"\bdissertation\b", r"\bstudents?\b",
        r"\bscientific\b", r"\bnghien cuu\b", r"\bhoc thuat\b", r"\bdai hoc\b", r"\bluan (?:van|an)\b",
        r"\bsinh vien\b", r"\bvien nghien cuu\b", r"\bkhoa hoc\b",
    ]),
    ("commercial", [
        # weak: a product, customers, a startup, production use
        r"\b(?:our|my|a|the|its|their) (?:products?|startup|saas|business|clients?|customers?)\b", r"\bproduction\b",
        r"\b(?:to|for|with|sell to) (?:paying |our |its )?(?:customers|clients)\b", r"\bstartup\b", r"\benterprise\b",
        r"\bsan pham\b", r"\bkhach hang\b", r"\bdich vu\b",
    ]),
]

# --- material: what is used. Words that look like materials but are not (legal "articles", "civil code",
# model "performance", clean/raw "data") are blanked first. ---
NOT_MATERIAL = [
    r"\barticles? \d+\w*", r"\barticles? of (?:the )?(?:law|decree|code|ip law)\b",
    r"\b(?:civil|penal|criminal|labou?r|tax) code\b", r"\bcode of conduct\b",
    r"\b(?:model|system|benchmark|its|their|our|the model's) performance\b", r"\bperformance (?:of|on) (?:the |our )?model",
    r"\bdu lieu (?:sach|tho)\b", r"\bvector (?:databases?|stores?|db)\b",
    # what a model works on is not what it is trained on: "a video model", "speech AI", "code generator"
    r"\b(?:video|audio|speech|music|voice|image|text|language|code|coding) (?:generation )?(?:models?|generators?|"
    r"ai|llms?|assistants?)\b",
]
MATERIAL = [
    # checked in this order of precedence; among protected kinds the one named first in the question wins
    ("expired", [
        r"\bpublic domain\b", r"\bout of copyright\b", r"\bno longer (?:protected|under copyright|in copyright)\b",
        r"\b(?:copyright|protection|term)\w* (?:has |have |had )?(?:expired|lapsed|ended|run out)\b",
        r"\bexpired (?:copyright|works?|terms?|protection)\b", rf"\bdied\b{_W}{{0,30}}?\b\d{{2,3}} years ago\b",
        r"\bhet (?:thoi )?han bao ho\b", r"\bthuoc ve cong chung\b", r"\bkhong con (?:duoc )?bao ho\b",
        r"\bpham vi cong cong\b",
    ]),
    ("pure_news", [
        r"\bpure(?:ly)? (?:factual )?news\b", r"\b(?:only|merely|simply|just|purely) report(?:s|ing)? (?:the )?"
        r"(?:facts|events|news)\b", r"\bshort (?:daily )?news (?:items|briefs)\b", r"\bnews (?:briefs|flashes)\b",
        r"\bfactual news (?:items|reports|briefs)\b",
        r"\btin tuc thoi su\b", r"\bthuan tuy dua tin\b", r"\btin thoi su\b", r"\btin van\b",
        r"\bchi (?:mang tinh chat )?dua tin\b", r"\btin ngan hang ngay\b",
    ]),
    ("protected", None),   # the protected kinds below: related rights before works, then by position
    ("legal_text", [
        r"\blegal (?:texts|documents|normative documents|corpus)\b", r"\bstatutes\b", r"\bcourt (?:judg(?:e)?ments?|"
        r"decisions|rulings|records)\b", r"\bjudg(?:e)?ments\b", r"\bcase law\b", r"\bofficial gazette\b",
        r"\b(?:laws|legislation), decrees\b", r"\blaws and decrees\b", r"\bofficial translations? of (?:the )?laws?\b",
        r"\b(?:cac|nhung|toan bo|kho|bo) van ban (?:quy pham )?phap luat\b", r"\bvan ban (?:quy pham )?phap luat va\b",
        r"\b(?:tren|bang|tu) (?:cac )?van ban (?:quy pham )?phap luat\b", r"\bban an\b", r"\ban le\b",
        r"\bcong bao\b", r"\bdu lieu phap luat\b",
    ]),
    ("figures", [
        r"\bstatistic(?:s|al data)\b", r"\b(?:raw |numerical |statistical )(?:figures|numbers|data)\b",
        r"\bfigures\b", r"\bso lieu\b", r"\bthong ke\b",
    ]),
]
PROTECTED = [
    # when several are named the kind listed first wins: the related right is the narrower description
    # ("recordings of live performances" -> performance), a work kind the broader
    ("broadcast", [
        r"\bbroadcasts?\b", r"\b(?:tv|television|radio) (?:programs?|programmes?|shows?|channels?|footage)\b",
        r"\bchuong trinh phat song\b", r"\bphat song\b", r"\btruyen hinh\b", r"\bphat thanh\b",
    ]),
    ("performance", [
        r"\b(?:live|recorded|musical|stage|theatre|theater|concert|dance|artists'?|singers'?|actors'?|performers'?) "
        r"performances?\b", r"\bperformers?\b", r"\bperformances? (?:by|of) (?:artists|singers|actors|musicians)\b",
        r"\b(?:cuoc|buoi) bieu dien\b", r"\bnguoi bieu dien\b", r"\bman trinh dien\b", r"\bbieu dien\b",
    ]),
    ("recording", [
        r"\b(?:sound|audio|video|music|voice|speech) recordings?\b", r"\brecordings?\b", r"\bsongs?\b(?! lyrics)", r"\bmusic\b(?! lyrics)",
        r"\baudio\w*\b", r"\bpodcasts?\b", r"\bvideos?\b", r"\bmp3s?\b",
        r"\bban ghi (?:am|hinh)\b", r"\bghi am\b", r"\bghi hinh\b", r"\bbai hat\b", r"\bam nhac\b", r"\bban nhac\b",
        r"\bca khuc\b", r"\bvideo\b", r"\bam thanh\b", r"\bgiong noi\b",
    ]),
    ("software", [
        r"\bsource code\b", r"\bcode(?:bases?)?\b", r"\bsoftware\b", r"\bcomputer programs?\b", r"\bgithub\b",
        r"\brepositor(?:y|ies)\b", r"\bopen[- ]source (?:code|software|projects?|repositor\w+|repos|librar\w+)\b",
        r"\bma nguon\b", r"\bphan mem\b", r"\bchuong trinh may tinh\b",
    ]),
    ("compilation", [
        r"\bdatabases?\b", r"\bcompilations?\b", r"\bcurated (?:datasets?|data ?sets?|collections?|corpus|corpora)\b",
        r"\b(?:someone else'?s|another company'?s|third[- ]party|proprietary|commercial) (?:datasets?|databases?|"
        r"data ?sets?)\b", r"\bantholog(?:y|ies)\b",
        r"\bsuu tap du lieu\b", r"\bco so du lieu\b", r"\btuyen tap\b", r"\bbo suu tap\b", r"\bhop tuyen\b",
    ]),
    ("journalistic", [
        r"\bnews\w*\b", r"\bpress (?:articles|releases?|content)\b", r"\bmagazines?\b", r"\bjournalis\w*",
        r"\beditorials?\b", r"\bop-eds?\b", r"\breporters?'? (?:articles|stories|work)\b",
        r"\bbai bao\b", r"\bbao chi\b", r"\btin bai\b", r"\bbao dien tu\b", r"\btrang tin\b", r"\btin tuc\b", r"\btrang bao\b", r"\bbao mang\b",
        r"\bbai viet tren (?:cac )?bao\b", r"\bto bao\b", r"\bnha bao\b", r"\bvnexpress\b", r"\bdantri\b",
        r"\bvietnamnet\b", r"\bzingnews\b",
    ]),
    ("literary", [
        r"\bbooks?\b", r"\be-?books?\b", r"\bnovels?\b", r"\bpoe(?:ms?|try)\b", r"\bliterary\b", r"\bliterature\b",
        r"\b(?:short )?stories\b", r"\btextbooks?\b", r"\bfiction\b", r"\bblog posts?\b", r"\bessays?\b",
        r"\b(?:scientific|academic|research|journal) (?:papers|articles)\b", r"\blyrics\b", r"\bscripts\b",
        r"(?<!lieu )\bsach\b", r"\btieu thuyet\b", r"\bbai tho\b", r"\btho ca\b", r"\btap tho\b", r"\bvan hoc\b",
        r"\btruyen (?:ngan|dai|tranh|ke|chu)\b", r"\bgiao trinh\b", r"\bbai viet\b", r"\bbai bao khoa hoc\b",
        r"\bloi bai hat\b", r"\bkich ban\b",
    ]),
]

# --- published: false for pirated, leaked, unpublished, private copies (Decree 17 Art. 3(8), 37a(1)(a)) ---
PUBLISHED = [
    (False, [
        r"\bpirat\w*", r"\bleak\w*", r"\bunpublished\b", r"\bnot (?:yet )?(?:been )?published\b",
        r"\bnever (?:been )?published\b", r"\billegal(?:ly)? (?:uploaded|shared|copied|copies|sources?|sites?|downloads?)\b",
        r"\bshadow librar\w*", r"\blibgen\b", r"\blibrary genesis\b", r"\bz-?library\b", r"\bsci-?hub\b",
        r"\banna'?s archive\b", r"\btorrent\w*", r"\bwarez\b", r"\bbootleg\w*", r"\bstolen\b",
        r"\bprivate (?:documents|data|repositor\w+|repos|messages|emails|files|manuscripts?)\b",
        r"\binternal (?:documents|reports|files|data)\b", r"\bconfidential\b", r"\bwithout (?:the )?(?:author'?s?|"
        r"owner'?s?|rights ?holder'?s?|publisher'?s?) consent\b",
        # "sách lậu", "bản lậu": only "lậu" is taken, the noun stays for the material
        *(rf"(?<=\b{noun} )lau\b" for noun in ("ban", "sach", "trang", "web", "website", "nguon", "phim", "nhac",
                                                 "lieu", "file", "tep", "kho", "hang")),
        r"\bro ri\b", r"\bbi lo\b",
        r"\bchua (?:duoc )?cong bo\b", r"\bchua (?:duoc )?xuat ban\b", r"\bkhong (?:duoc )?cong bo\b",
        r"\b(?:dang tai|chia se|sao chep|tai len) trai phep\b", r"\bnoi bo\b", r"\b(?:tai lieu|du lieu) mat\b",
        r"\bbi mat\b", r"\bchua duoc phep\b",
    ]),
    (True, [
        r"\b(?:lawfully |legally |officially |already )?published\b", r"\bpublicly (?:available|accessible)\b",
        r"\bopenly available\b", r"\bfreely available\b", r"\bpublicly posted\b", r"\bpublic (?:websites?|web ?pages?|sources)\b",
        r"\bda (?:duoc )?cong bo\b", r"\bcong bo hop phap\b", r"\bda (?:duoc )?xuat ban\b", r"\bcong khai\b",
    ]),
]

# --- access: circumvention of a protection measure (IP Law Art. 28(4), 35(5); Decree 17 Art. 37a(1)(c)) ---
_TPM = (r"(?:paywalls?|drm|protection|technological (?:protection )?measures?|tpms?|encryption|logins?|captchas?|"
        r"copy[- ]protection|access controls?|subscription walls?|rate limits?|authentication)")
_TPM_VI = r"(?:tuong phi|paywall|drm|bien phap (?:cong nghe|bao ve|ky thuat)|ma hoa|khoa\b(?! hoc)|dang nhap|captcha|bao ve)"
_BYPASS = (r"(?:bypass\w*|circumvent\w*|get(?:ting)? around|break\w*|crack\w*|strip\w*|remov\w*|disabl\w*|"
           r"defeat\w*|hack\w*|evad\w*|get(?:ting)? past|work(?:ing)? around|skirt\w*)")
_BYPASS_VI = r"(?:vuot|be khoa|pha|go|vo hieu hoa|lach|hack|crack|ne)"
ACCESS = [
    ("lawful", [
        # negated circumvention: "without bypassing the paywall", "không vượt tường phí"
        rf"\b(?:without|not|never|no|don'?t|do not|won'?t|will not)\b{_W}{{0,10}}?\b{_BYPASS}\b{_W}{{0,30}}?\b{_TPM}\b",
        rf"\b(?:khong|chua|khong he)\b{_W}{{0,10}}?\b{_BYPASS_VI}\b{_W}{{0,30}}?{_TPM_VI}",
    ]),
    ("circumvents_protection", [
        rf"\b{_BYPASS}\b{_W}{{0,30}}?\b{_TPM}\b", rf"\b{_TPM}\b{_W}{{0,20}}?\b(?:bypass|circumvent|crack|strip)\w*",
        r"\b(?:cracked|decrypted|ripped)\b",
        rf"\b{_BYPASS_VI}\b{_W}{{0,30}}?{_TPM_VI}", r"\bbe khoa\b", r"\bpha khoa\b", r"\bvuot tuong phi\b",
    ]),
    ("lawful", [
        r"\b(?:lawfully|legally|legitimately|properly) (?:obtained|accessed|acquired|sourced|licensed|purchased|bought)\b",
        r"\b(?:licensed|purchased|bought|paid for|subscribed)\b", r"\b(?:with|have|has|bought|buy|pay for|paid for) (?:a |an |our |the )?(?:paid )?(?:subscriptions?|licen[cs]es?)\b",
        r"\bfrom (?:a |the )?(?:lawful|legal|legitimate|licensed) sources?\b", r"\bunder (?:a |an )?licen[cs]e\b",
        r"\b(?:tiep can|thu thap|mua|co duoc|lay) (?:mot cach )?hop phap\b", r"\bnguon hop phap\b", r"\bda mua\b",
        r"\bco (?:giay phep|ban quyen)\b", r"\bduoc cap phep\b",
        r"\btai khoan (?:tra phi|hop phap)\b", r"\b(?:dang ky|mua) (?:goi )?(?:tra phi|thue bao)\b",
    ]),
]

# --- reservation: the owner reserved (opted out) by machine-readable means or a CMO listing (Decree 17 Art. 37b) ---
RESERVATION = [
    (False, [
        r"\b(?:no|without|hasn'?t|haven'?t|have not|has not|didn'?t|did not|never) (?:any )?(?:opt(?:ed)?[- ]?outs?|"
        r"reservations?|reserved)\b", r"\bnot opted[- ]out\b", r"\bno (?:robots\.?txt|tdm) (?:blocks?|reservations?|"
        r"restrictions?|rules?)\b",
        r"\b(?:chua|khong|khong co|chua co) (?:ai |tac gia |chu so huu )?(?:bao luu|tu choi)\b",
    ]),
    (True, [
        r"\bopt(?:ed|s|ing)?[- ]?outs?\b", r"\brobots\.?txt\b", r"\bnoai\b", r"\btdm[- ]?(?:rep|reservations?)\b",
        r"\b(?:reserved|reserve|reserving|reserves) (?:their |its |all |the )?(?:rights?|tdm|text and data mining)\b",
        r"\bdo[- ]not[- ]train\b", r"\bno[- ]ai[- ]training\b", r"\bmachine[- ]readable (?:reservation|opt[- ]out|"
        r"notices?|metadata|tags?)\b",
        rf"\b(?:terms|terms of (?:use|service)|tos|licen[cs]es?)\b{_W}{{0,40}}?\b(?:forbid|prohibit|ban|bar|disallow|"
        r"exclude)\w*", r"\b(?:forbid|prohibit|ban|disallow|block)\w* (?:ai |the )?(?:training|scraping|crawling|"
        r"crawlers|text and data mining|tdm)\b",
        r"\bbao luu\b", r"\btu choi (?:khai thac|cho phep|viec|su dung|huan luyen|cho)\b",
        rf"\bkhong cho phep\b{_W}{{0,40}}?\b(?:huan luyen|ai|tri tue nhan tao|khai thac|thu thap)\b",
        rf"\bcam\b{_W}{{0,15}}?\b(?:thu thap|su dung|huan luyen|khai thac|cao du lieu)\b",
    ]),
]

_VOCABULARY = {"later_commercial": LATER_COMMERCIAL, "purpose": PURPOSE, "published": PUBLISHED,
               "access": ACCESS, "reservation": RESERVATION}


@dataclass
class _Text:
    """The folded question; spans already read are blanked (same length, so positions stay comparable)."""
    s: str

    def take(self, pattern: str) -> re.Match | None:
        m = re.search(pattern, self.s)
        if m:
            self.s = self.s[:m.start()] + " " * (m.end() - m.start()) + self.s[m.end():]
        return m


def read_facts(question: str) -> dict:
    """Fact name -> value read from the question, or None when it does not say."""
    text = _Text(fold(question))
    facts: dict = dict.fromkeys(FACTS)
    facts["later_commercial"] = _first(text, LATER_COMMERCIAL)
    for name in ("published", "access", "reservation"):
        facts[name] = _first(text, _VOCABULARY[name])
    # material before purpose: "research papers" is a material, not a research purpose
    facts["material"] = _material(text)
    facts["purpose"] = _first(text, PURPOSE)
    if facts["purpose"] is None and facts["later_commercial"] is False:
        facts["purpose"] = "non_commercial"      # "we will never commercialise it" says the use is not commercial
    return facts


def _first(text: _Text, table) -> object:
    for value, patterns in table:
        found = False
        for p in patterns:
            while text.take(p):       # blank every occurrence, so a later list does not re-read it
                found = True
        if found:
            return value
    return None


# Lyrics are the words of songs, literary works; "the lyrics of pop songs" is not a recording.
LYRICS = r"\blyrics\b|\bloi bai hat\b|\bloi (?:cac |nhung )?ca khuc\b"


def _material(text: _Text):
    for p in NOT_MATERIAL:
        while text.take(p):
            pass
    if re.search(LYRICS, text.s):
        for p in (r"\bsongs?\b", r"\bmusic\b", r"\bbai hat\b", r"\bca khuc\b"):
            while text.take(p):
                pass
    found = None
    for value, patterns in MATERIAL:
        if value == "protected":
            hits = []
            for rank, (kind, kind_patterns) in enumerate(PROTECTED):
                for p in kind_patterns:
                    m = re.search(p, text.s)
                    if m:
                        hits.append((rank, m.start(), kind))
            for _, kind_patterns in PROTECTED:
                for p in kind_patterns:
                    while text.take(p):
                        pass
            if hits and found is None:
                found = min(hits)[2]
            continue
        hit = False
        for p in patterns:
            while text.take(p):
                hit = True
        if hit and found is None:
            found = value
    return found


def merge(*layers: dict | None) -> dict:
    """Facts of several layers (oldest first): a later layer's stated facts override earlier ones."""
    out: dict = dict.fromkeys(FACTS)
    for layer in layers:
        for name, value in (layer or {}).items():
            if name in out and value is not None:
                out[name] = value
    return out
