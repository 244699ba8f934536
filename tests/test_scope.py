"""Questions that sound like IP law but need an instrument the corpus does not hold are refused, and the refusal
says which; questions near that line which the corpus does answer are not."""
from __future__ import annotations

from datetime import date

import pytest

from assistant.answer import answer
from assistant.scope import gaps, missing_instrument

TODAY = date(2026, 11, 28)


@pytest.mark.parametrize("question,named", [
    ("How much is the fine for selling pirated DVDs?", "sanctions"),
    ("Mức phạt khi dùng phần mềm không bản quyền trong công ty là bao nhiêu?", "sanctions"),
    ("dung phan mem lau thi bi phat bao nhieu", "sanctions"),
    ("Can I go to prison for uploading a leaked film?", "Criminal Code"),
    ("Truy cứu trách nhiệm hình sự tội xâm phạm quyền tác giả khi nào?", "Criminal Code"),
    ("What is the official fee for registering a trademark?", "circulars"),
    ("Lệ phí đăng ký quyền tác giả là bao nhiêu?", "circulars"),
    ("Under the Labour Code, how many days of annual leave do I get?", "law the question names"),
    ("Is VAT charged on software licence fees?", "tax laws"),
    ("Is publishing a photo without consent fair use under US law?", "Vietnamese law only"),
    ("Can we pay a new engineer less during probation?", "Labour Code"),
    ("Do we need customers' consent to put their face photos on our website under the personal data law?",
     "Personal Data"),
    # other law, named by what it is about (external dev sets: contract penalties, procedure, companies, forms)
    ("What is the maximum penalty clause in a software licence contract?", "contract penalties"),
    ("Nguyên đơn phải tạm ứng án phí dân sự sơ thẩm là bao nhiêu?", "court procedure"),
    ("Thành lập công ty cổ phần phần mềm cần tối thiểu bao nhiêu cổ đông sáng lập?", "forming or investing"),
    ("Tờ khai đăng ký quyền tác giả phải dùng mẫu số mấy?", "forms"),
])
def test_a_question_needing_a_missing_instrument_is_refused_and_says_which(index, question, named):
    gap = next(g for g in gaps(question) if g.refuse)
    assert named in gap.en and missing_instrument(question) == gap.en
    result = answer(index, question, TODAY)
    # said in the answer's language (its first letter capitalised)
    assert result.refused and result.citations == [] and (gap.en[1:] in result.answer or gap.vi[1:] in result.answer)


@pytest.mark.parametrize("question", [
    "What remedies can a court order against a copyright infringer?",
    "Can you tell us whether we may train a model on news articles?",
    "Does Vietnam have a text and data mining exception like the EU's?",
    "Do digital technology enterprises get tax incentives?",
    "Which acts are subject to administrative sanctions for IP infringement?",
    "Is it fine to quote a few lines of a poem in a review?",
    # words the gaps must not take for their own: fine art, fine-tuning, "fine for", hire (thuê), non- (phi), a
    # nationality, paying an author
    "What protection do works of fine art get?",
    "What obligations apply if we fine-tune an open model on copyrighted text?",
    "Is it fine for a school to copy a textbook chapter for its students?",
    "Công ty thuê họa sĩ tự do vẽ logo thì ai là chủ sở hữu quyền tác giả?",
    "Sử dụng tác phẩm phi thương mại để huấn luyện AI có phải xin phép không?",
    "Do I need permission to translate a French novel into Vietnamese?",
    "How much do we have to pay the author when we use their work commercially?",
    "Who owns the copyright in code an employee writes as part of their job?",
    "I hired a freelancer to write software for my company: who owns it?",
    "How do I register copyright in a computer program?",
    "How long does copyright in a photograph last?",
])
def test_a_question_the_corpus_answers_is_not_taken_for_a_gap(index, question):
    assert missing_instrument(question) is None
    assert not answer(index, question, TODAY).refused


@pytest.mark.parametrize("question", [
    # training, testing or evaluating AI and building datasets are never refused, whatever else they mention
    # (personal data, fines): the answer is the Vietnamese law on them, dated
    "Do we need customers' consent to use their face photos to train a model?",
    "Can we build a benchmark dataset from news articles to evaluate our chatbot?",
    "How much is the fine if we train our model on pirated e-books?",
])
def test_a_question_about_ai_training_or_datasets_is_never_refused(index, question):
    assert missing_instrument(question) is None
    assert not answer(index, question, TODAY).refused


@pytest.mark.parametrize("question", [
    "Is training on copyrighted books fair use under US law?",
    "Ở Nhật Bản có được dùng tác phẩm để huấn luyện AI thương mại không?",
])
def test_a_training_question_about_another_countrys_law_is_refused_saying_so(index, question):
    assert "Vietnamese law only" in (missing_instrument(question) or "")
    result = answer(index, question, TODAY)
    assert result.refused and result.assessment is None


def test_a_refusal_by_similarity_says_what_the_question_seems_to_be_about(index):
    result = answer(index, "What documents do I need to apply for a tourist visa?", TODAY)
    assert result.refused and "This looks like a question about" in result.answer

