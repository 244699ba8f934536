"""Facts read from questions (no model): English, Vietnamese, Vietnamese without diacritics; and which questions
are about training-data use at all."""
from __future__ import annotations

import pytest

from assistant.assess import is_training_question
from assistant.facts import merge, read_facts
from ingest.rules import FACTS

C, N = "commercial", "non_commercial"

# (question, the facts it states — every other fact must be None —, is it a training-data question)
PHRASINGS = [
    # English: counsel and engineers
    ("Can my company train a commercial AI model on scraped Vietnamese news articles?",
     {"purpose": C, "material": "journalistic"}, True),
    ("Is it lawful to fine-tune an LLM on pirated e-books for our SaaS product?",
     {"purpose": C, "material": "literary", "published": False}, True),
    ("May a university lab use publicly available novels to train a language model for non-commercial research?",
     {"purpose": N, "material": "literary", "published": True}, True),
    ("We want to bypass the paywall of a newspaper to build a training dataset.",
     {"material": "journalistic", "access": "circumvents_protection"}, True),
    ("Can we pre-train our model on GitHub source code and sell access to it?",
     {"purpose": C, "material": "software"}, True),
    ("Our startup plans to train a speech model on podcasts and music recordings.",
     {"purpose": C, "material": "recording"}, True),
    ("Is text and data mining of court judgments allowed?", {"material": "legal_text"}, True),
    ("Can we use statistics from the General Statistics Office as training data?", {"material": "figures"}, True),
    ("Can we train on public domain books whose authors died more than 100 years ago?",
     {"material": "expired"}, True),
    ("The publisher opted out via robots.txt; may we still train a research model on their articles for "
     "academic purposes only?", {"purpose": N, "reservation": True}, True),
    ("We will train the model for research first and then commercialise it. Is that allowed?",
     {"purpose": N, "later_commercial": True}, True),
    ("Can we copy a third-party database into our corpus to evaluate our AI system?",
     {"material": "compilation"}, True),
    ("Can we train a video model on TV broadcasts recorded from VTV?", {"material": "broadcast"}, True),
    ("May we train on recordings of singers' live performances for a non-profit project?",
     {"purpose": N, "material": "performance"}, True),
    ("Can we crack the DRM on e-books we bought to fine-tune a chatbot?",
     {"material": "literary", "access": "circumvents_protection"}, True),
    ("The rights holders have not opted out. Can we train a commercial model on their lawfully published photos?",
     {"purpose": C, "reservation": False, "published": True}, True),
    ("Is it legal to scrape short news briefs that only report events to train our AI?",
     {"material": "pure_news"}, True),
    ("Can I use leaked internal documents to train an AI model?", {"published": False}, True),
    ("We licensed the dataset from the owner; can we fine-tune our model on it without bypassing any "
     "protection?", {"access": "lawful"}, True),
    ("Does training an AI on books count as reproduction?", {"material": "literary"}, True),
    # Vietnamese
    ("Công ty tôi có được huấn luyện mô hình AI thương mại trên các bài báo đã công bố không?",
     {"purpose": C, "material": "journalistic", "published": True}, True),
    ("Viện nghiên cứu có được dùng tiểu thuyết để huấn luyện mô hình ngôn ngữ phi thương mại không?",
     {"purpose": N, "material": "literary"}, True),
    ("Vượt tường phí của báo điện tử để thu thập dữ liệu huấn luyện AI có vi phạm không?",
     {"material": "journalistic", "access": "circumvents_protection"}, True),
    ("Dùng sách lậu để huấn luyện trí tuệ nhân tạo có hợp pháp không?",
     {"material": "literary", "published": False}, True),
    ("Tác giả đã bảo lưu quyền, chúng tôi có được dùng tác phẩm để thử nghiệm hệ thống AI chỉ nhằm nghiên cứu không?",
     {"purpose": N, "reservation": True}, True),
    ("Huấn luyện AI trên mã nguồn phần mềm mở có cần xin phép không?", {"material": "software"}, True),
    ("Có được dùng bản ghi âm bài hát để huấn luyện mô hình giọng nói không nhằm mục đích thương mại không?",
     {"purpose": N, "material": "recording"}, True),
    ("Khai thác văn bản và dữ liệu từ các bản án để xây dựng bộ dữ liệu có được không?",
     {"material": "legal_text"}, True),
    ("Chúng tôi huấn luyện mô hình để nghiên cứu, sau đó thương mại hóa thì sao?",
     {"purpose": N, "later_commercial": True}, True),
    ("Tác phẩm đã hết thời hạn bảo hộ có được dùng để huấn luyện AI không?", {"material": "expired"}, True),
    ("Dùng chương trình phát sóng truyền hình để tinh chỉnh mô hình có được không?",
     {"material": "broadcast"}, True),
    ("Chủ sở hữu chưa bảo lưu quyền; công ty có được huấn luyện AI kinh doanh trên số liệu thống kê không?",
     {"purpose": C, "reservation": False, "material": "figures"}, True),
    # Vietnamese typed without diacritics
    ("Cong ty toi co duoc huan luyen mo hinh AI thuong mai tren bai bao khong?",
     {"purpose": C, "material": "journalistic"}, True),
    ("Vien nghien cuu dung tieu thuyet de huan luyen mo hinh phi thuong mai co duoc khong?",
     {"purpose": N, "material": "literary"}, True),
    ("Vuot tuong phi de lay du lieu huan luyen AI co vi pham khong?", {"access": "circumvents_protection"}, True),
    ("Dung sach lau de huan luyen tri tue nhan tao co hop phap khong?",
     {"material": "literary", "published": False}, True),
    ("Tac gia da bao luu quyen thi co duoc huan luyen AI khong nham muc dich thuong mai khong?",
     {"purpose": N, "reservation": True}, True),
    ("Be khoa DRM de lay video huan luyen mo hinh co duoc khong?",
     {"material": "recording", "access": "circumvents_protection"}, True),
    ("Huan luyen AI tren ma nguon co can xin phep khong?", {"material": "software"}, True),
    ("Tin tuc thoi su thuan tuy dua tin co duoc dung de huan luyen AI khong?", {"material": "pure_news"}, True),
    ("Our team wants to fine-tune Llama on support transcripts.", {}, True),
    ("If our company uses copyrighted books to test a model's accuracy, do we need a licence?",
     {"material": "literary"}, True),
    ("Can an AI company use song lyrics for training a commercial music generator?",
     {"purpose": C, "material": "literary"}, True),
    ("Có được dùng bài báo để thử nghiệm hệ thống AI không?", {"material": "journalistic"}, True),
    ("Can we train an open-source model on news articles?", {"material": "journalistic"}, True),
    ("We have a paid subscription to the newspaper; can we train our AI on its archive?",
     {"material": "journalistic", "access": "lawful"}, True),
    ("Dùng tài khoản trả phí để tải bài báo huấn luyện AI được không?",
     {"material": "journalistic", "access": "lawful"}, True),
    ("Can we index books in a vector database and fine-tune on them?", {"material": "literary"}, True),
    ("Can we feed Vietnamese novels into our LLM?", {"material": "literary"}, True),
    ("Có được dùng sách để dạy AI không?", {"material": "literary"}, True),
    ("Co duoc nap bai bao vao mo hinh cho AI hoc khong?", {"material": "journalistic"}, True),
    ("We will never commercialise the model trained on these books.",
     {"purpose": N, "material": "literary", "later_commercial": False}, True),
    ("May a non-profit research institute mine Vietnamese literature for a language model?",
     {"purpose": N, "material": "literary"}, True),
    ("Is training on the lyrics of Vietnamese pop songs for a karaoke app allowed?", {"material": "literary"}, True),
    ("Can we train an image generator on photographs taken from Facebook?", {}, True),
    ("Is using song recordings from YouTube to train a voice-cloning model legal if we don't monetize it?",
     {"purpose": N, "material": "recording", "later_commercial": False}, True),
    ("Có được thu thập dữ liệu từ các trang báo để xây dựng bộ dữ liệu huấn luyện không?",
     {"material": "journalistic"}, True),
    # not training-data questions
    ("Must providers test high-risk AI systems before deployment?", {}, False),
    ("Luật AI quy định thử nghiệm hệ thống AI có kiểm soát thế nào?", {}, False),
    ("When did the AI law take effect?", {}, False),
    ("What is a derivative work?", {}, False),
    ("May I quote a poem?", {"material": "literary"}, False),
    ("Luật Trí tuệ nhân tạo có hiệu lực từ khi nào?", {}, False),
    ("Tác phẩm phái sinh là gì?", {}, False),
    ("Luat tri tue nhan tao co hieu luc khi nao?", {}, False),
    ("How long does copyright in a photograph last?", {}, False),
    ("What obligations does a provider of a high-risk AI system have?", {}, False),
]


@pytest.mark.parametrize("question,stated,training", PHRASINGS, ids=[q[:60] for q, *_ in PHRASINGS])
def test_facts_read(question, stated, training):
    facts = read_facts(question)
    assert set(facts) == set(FACTS)
    expected = {name: stated.get(name) for name in FACTS}
    assert facts == expected
    assert is_training_question(question) is training


def test_enough_phrasings_in_each_language():
    from ingest.text import has_diacritics
    training = [q for q, _, t in PHRASINGS if t]
    vi = [q for q in training if has_diacritics(q)]
    folded = [q for q in training if not has_diacritics(q) and not q.startswith(("Can", "Is", "May", "We", "Our",
                                                                                   "The", "Does"))]
    assert len(PHRASINGS) >= 40 and len(vi) >= 10 and len(folded) >= 8


def test_follow_up_facts_override_the_earlier_ones():
    first = read_facts("Can my company train a commercial AI model on news articles?")
    second = read_facts("And if it is only for research?")
    assert second["purpose"] == N
    merged = merge(first, second)
    assert merged["purpose"] == N and merged["material"] == "journalistic"
    assert merge(first, {"purpose": None})["purpose"] == C


def test_non_commercial_is_never_read_as_commercial():
    for q in ("non-commercial training", "not for commercial purposes", "phi thương mại", "phi thuong mai",
              "không nhằm mục đích thương mại", "khong vi loi nhuan", "not-for-profit research"):
        assert read_facts(q)["purpose"] == N, q


def test_words_that_only_look_like_materials():
    assert read_facts("Does Article 7 of the IP law allow training?")["material"] is None
    assert read_facts("We measure model performance on a benchmark")["material"] is None
    assert read_facts("du lieu sach cho huan luyen")["material"] is None
    assert read_facts("Is DRM-free content fine?")["access"] is None
