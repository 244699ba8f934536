"""The dated assessment of a training-data question: a verdict, its grounds, conditions, duties and open questions,
from the facts of the question and the project's rules (corpus/rules/training-data.toml, checked by ingest and
stored in the index generation as rules.json). No language model: the rules decide, the facts are read by
`assistant.facts`.

Every provision id an Assessment carries is in force on its as_of date: ingest refuses a rules file that cites an
id outside any day of a period that uses it, and the engine only uses the period that holds as_of.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import date, timedelta
from itertools import product
from pathlib import Path
from typing import Sequence

from assistant.facts import merge, read_facts
from ingest.text import fold
from ingest.rules import FACTS, GENERIC_MATERIAL, VERDICTS

RULES_ID = "training-data"
# From most to least permissive: when a deciding fact is unknown, the most permissive branch leads.
_PERMISSIVE = ("allowed", "allowed_if", "unsettled", "needs_permission", "prohibited")


@dataclass(frozen=True)
class Condition:
    text: str
    status: str                    # "met" | "not_met" | "unknown"
    cites: tuple[str, ...]


@dataclass(frozen=True)
class Point:                       # a duty or an open question
    text: str
    cites: tuple[str, ...]


@dataclass(frozen=True)
class Assessment:
    verdict: str | None
    summary: str
    as_of: str
    regime: dict
    facts: dict
    cites: tuple[str, ...]
    conditions: tuple[Condition, ...]
    duties: tuple[Point, ...]
    open_questions: tuple[Point, ...]
    lang: str

    def to_json(self) -> dict:
        return {"verdict": self.verdict, "summary": self.summary, "as_of": self.as_of, "regime": dict(self.regime),
                "facts": dict(self.facts), "cites": list(self.cites),
                "conditions": [{"text": c.text, "status": c.status, "cites": list(c.cites)} for c in self.conditions],
                "duties": [{"text": d.text, "cites": list(d.cites)} for d in self.duties],
                "open_questions": [{"text": o.text, "cites": list(o.cites)} for o in self.open_questions]}

    def all_cites(self) -> list[str]:
        """Every id, in the order the answer shows them: verdict, conditions, duties, open questions."""
        seen: dict[str, None] = {}
        for ids in [self.cites, *(c.cites for c in self.conditions), *(d.cites for d in self.duties),
                    *(o.cites for o in self.open_questions)]:
            seen.update(dict.fromkeys(ids))
        return list(seen)


@dataclass(frozen=True)
class Rules:
    """The checked rules (the JSON ingest wrote)."""
    data: dict

    @property
    def periods(self) -> list[dict]:
        return self.data["periods"]

    def period_on(self, day: date) -> dict | None:
        for p in self.periods:
            if date.fromisoformat(p["from"]) <= day and (p["to"] is None or day <= date.fromisoformat(p["to"])):
                return p
        return None


def load_rules(path) -> Rules | None:
    """The rules of an index generation: `path` is the generation folder or its rules.json. None when the
    generation has none (its rules file failed ingest's checks; the error was reported there): no assessment is
    better than one from unchecked rules."""
    path = Path(path)
    if path.is_dir():
        path = path / "rules.json"
    if not path.exists():
        return None
    data = json.loads(path.read_text(encoding="utf-8"))
    return Rules(data[RULES_ID]) if RULES_ID in data else None


# --- is this a training-data question? -------------------------------------------------------------------------

_AI = (r"(?:ai|a\.i\.|artificial intelligence|models?|llms?|language models?|neural\w*|machine learning|ml|chatbots?|"
       r"gpt\w*|systems?|algorithms?|generators?|classifiers?|diffusion|embeddings?|agents?|tri tue nhan tao|mo hinh|"
       r"he thong|may hoc|tro ly ao)")
TRAINING = [
    # text and data mining, in any language
    r"\btext and data mining\b", r"\bdata mining\b", r"\btdm\b", r"\bkhai thac van ban va du lieu\b",
    r"\bkhai (?:pha|thac) du lieu\b",
    # training, fine-tuning, pre-training an AI system or model
    rf"\b(?:train\w*|pre-?train\w*|re-?train\w*|fine[- ]?tun\w*|finetun\w*)\b.*\b{_AI}\b",
    rf"\b{_AI}\b.*\b(?:train\w*|pre-?train\w*|fine[- ]?tun\w*|finetun\w*)\b",
    r"\btrain(?:ing)? (?:it |them |a model |models )?on\b",
    # fine-tuning and pre-training are AI terms on their own ("fine-tune Llama on transcripts")
    r"\bfine[- ]?tun\w*", r"\bfinetun\w*", r"\bpre-?train\w*", r"\btraining (?:data|sets?|corpus|corpora|datasets?)\b",
    rf"\b(?:huan luyen|tinh chinh)\b", rf"\bdao tao\b.*\b{_AI}\b", rf"\b{_AI}\b.*\bdao tao\b",
    # feeding or teaching material to a model: "feed books into an LLM", "dạy AI", "cho AI học", "nạp vào mô hình"
    rf"\b(?:feed\w*|fed|teach\w*|taught|ingest\w*)\b.*\b{_AI}\b",
    r"\bday (?:cho )?(?:ai|mo hinh|chatbot|he thong ai|tri tue nhan tao)\b", r"\bcho (?:ai|mo hinh|chatbot) hoc\b",
    r"\bnap (?:vao|cho) (?:ai|mo hinh|chatbot|he thong)\b",
    # compiling material into a dataset or corpus
    r"\b(?:build\w*|compil\w*|creat\w*|assembl\w*|mak\w*|curat\w*|scrap\w*|crawl\w*|collect\w*|put\w*|includ\w*|"
    r"add\w*|gather\w*)\b.*\b(?:datasets?|data ?sets?|corpus|corpora|training data)\b",
    r"\b(?:into|in|for) (?:a |an |our |my |the )?(?:training )?(?:datasets?|data ?sets?|corpus)\b",
    r"\b(?:xay dung|tao|thu thap|tong hop|bien soan|lap|dua vao|dua vao trong)\b.*\b(?:bo|tap|kho) du lieu\b",
    r"\bdu lieu (?:de )?huan luyen\b",
    # using material to build or improve an AI system
    rf"\bto (?:build|develop|create|improve|power|make)\b.*\b{_AI}\b", rf"\b(?:scrap\w*|crawl\w*|min(?:e|ing))\b.*\b{_AI}\b",
    rf"\b{_AI}\b.*\b(?:scrap\w*|crawl\w*)\b",
    rf"\bde (?:xay dung|phat trien|tao ra|cai thien|tao)\b.*\b{_AI}\b",
    rf"\b(?:cao|thu thap) du lieu\b.*\b{_AI}\b",
]
# Testing or evaluating a system is a training-data question only when material is used for it: "Must providers
# test high-risk AI systems?" is about the AI law, "May we test our model on news articles?" is about material.
TESTING = [
    rf"\b(?:test\w*|evaluat\w*|benchmark\w*|validat\w*)\b.*\b{_AI}\b",
    rf"\b{_AI}\b.*\b(?:test\w*|evaluat\w*|benchmark\w*|validat\w*)\b",
    rf"\b(?:thu nghiem|kiem thu|danh gia)\b.*\b{_AI}\b",
]
MATERIAL_WORDS = (r"\b(?:data|datasets?|data sets?|works?|material|content|copyright\w*|copies|copy|du lieu|tac pham|"
                  r"tai lieu|noi dung|ban quyen|sao chep)\b")
# Questions about the AI law itself, definitions and other uses are not training questions unless a TRAINING
# pattern also matches: "When did the AI law take effect?" has AI but no training, testing or dataset.
FOLLOW_UP = re.compile(r"^\s*(?:and|but|what if|what about|how about|if|in that case|same|then|suppose|"
                       r"va|con|the con|vay|vay thi|neu|gia su|truong hop|the neu|con neu|va neu|vay neu)\b")


def is_training_question(text: str) -> bool:
    """Whether the question is about using material to build, train, test or evaluate an AI system, or to mine or
    compile it into a dataset (EN, VI, VI without diacritics)."""
    folded = fold(text or "")
    if any(re.search(p, folded) for p in TRAINING):
        return True
    return any(re.search(p, folded) for p in TESTING) and (
        re.search(MATERIAL_WORDS, folded) is not None or read_facts(text)["material"] is not None)


def _is_follow_up(text: str, facts: dict) -> bool:
    return any(v is not None for v in facts.values()) or bool(FOLLOW_UP.match(fold(text or "")))


# --- the assessment --------------------------------------------------------------------------------------------

def assess(question: str, as_of: date, rules: Rules | None, history: Sequence[str] = (), lang: str = "en",
           facts: dict | None = None) -> Assessment | None:
    """The assessment of a training-data question, or None when it is not one (or there are no rules).
    `history`: earlier questions, oldest first; their facts carry over and the current question's override.
    `facts`: explicit values (a dataset row, the chat's fact controls) that win over the text; None values in it
    leave the text's reading alone."""
    if rules is None:
        return None
    current = read_facts(question)
    if not is_training_question(question):
        earlier = [h for h in history if is_training_question(h)]
        if not earlier or not _is_follow_up(question, current):
            return None
    layers = [read_facts(h) for h in history] + [current, facts]
    return assess_facts(merge(*layers), as_of, rules, lang)


def assess_facts(facts: dict, as_of: date, rules: Rules, lang: str = "en") -> Assessment:
    """The assessment of stated facts (None = not said) on `as_of`. A fact value that is not known raises
    ValueError naming it and the values allowed."""
    facts = _checked(facts)
    lang = "vi" if lang == "vi" else "en"
    period = rules.period_on(as_of)
    if period is None:
        return _no_law(facts, as_of, rules, lang)
    unknown = [f for f in period["deciding"] if facts[f] is None]
    if not unknown:
        return _build(_match(rules, period, facts), facts, as_of, period, rules, lang)
    branches = []
    for values in product(*(FACTS[f] for f in unknown)):
        case = {**facts, **dict(zip(unknown, values))}
        branches.append((dict(zip(unknown, values)), _match(rules, period, case)))
    if len({rule["id"] for _, rule in branches}) == 1:
        return _build(branches[0][1], facts, as_of, period, rules, lang)
    return _branched(branches, facts, as_of, period, rules, lang)


def facts_from_strings(raw: dict) -> dict:
    """Facts typed as text (a CSV row, a form): "" / "unknown" / "null" -> None, "true"/"yes"/"false"/"no" for the
    yes-no facts, names case-insensitive with "-" or " " for "_". A value that is not known raises ValueError
    naming the fact and the values allowed (the caller reports it with its line)."""
    out = {}
    for name, value in raw.items():
        key = str(name).strip().lower().replace("-", "_").replace(" ", "_")
        if key not in FACTS:
            continue
        text = "" if value is None else str(value).strip().lower().replace("-", "_").replace(" ", "_")
        if text in ("", "unknown", "null", "none", "?"):
            out[key] = None
        elif FACTS[key] == (True, False):
            if text not in ("true", "yes", "1", "false", "no", "0"):
                raise ValueError(f"{key} = {value!r} is not a known value; use true, false or leave it empty")
            out[key] = text in ("true", "yes", "1")
        else:
            out[key] = text
    return _checked(out)


def _checked(facts: dict | None) -> dict:
    out = dict.fromkeys(FACTS)
    for name, value in (facts or {}).items():
        if name not in FACTS:
            raise ValueError(f"unknown fact {name!r}; the facts are: {', '.join(FACTS)}")
        if value is not None and value not in FACTS[name]:
            raise ValueError(f"{name} = {value!r} is not a known value; use one of: "
                             f"{', '.join(str(v).lower() if isinstance(v, bool) else v for v in FACTS[name])}")
        out[name] = value
    return out


def _match(rules: Rules, period: dict, facts: dict) -> dict:
    assume = rules.data.get("assume", {})
    seen = {k: (v if v is not None else assume.get(k)) for k, v in facts.items()}
    for rule in rules.data["rules"]:
        if period["id"] not in rule["periods"]:
            continue
        if all(seen.get(f) in (v if isinstance(v, list) else [v]) for f, v in rule["when"].items()):
            return rule
    raise LookupError(f"no rule of period {period['id']} matches {facts}")   # ingest requires a catch-all rule


def _ids(refs: list[str], material: dict) -> tuple[str, ...]:
    out: dict[str, None] = {}
    for ref in refs:
        out.update(dict.fromkeys(material[ref[1:]] if ref.startswith("@") else [ref]))
    return tuple(out)


def _status(cond: dict, facts: dict) -> str:
    value = facts.get(cond.get("fact")) if cond.get("fact") else None
    if value is not None and value in cond.get("met", []):
        return "met"
    if value is not None and value in cond.get("not_met", []):
        return "not_met"
    return "unknown"


def _parts(rule: dict, facts: dict, rules: Rules, lang: str):
    material = rules.data["materials"][facts["material"] or GENERIC_MATERIAL]
    conditions = tuple(Condition(c[f"text_{lang}"], _status(c, facts), _ids(c["cites"], material))
                       for c in rule["conditions"])
    duties = tuple(Point(d[f"text_{lang}"], _ids(d["cites"], material)) for d in rule["duties"])
    open_questions = [Point(o[f"text_{lang}"], _ids(o["cites"], material)) for o in rule["open"]]
    # what is particular to the material (journalistic vs pure news, code, compilations, related rights) goes with
    # every analysis of protected material
    if "@reproduction" in rule["cites"] and material.get(f"note_{lang}"):
        open_questions.insert(0, Point(material[f"note_{lang}"], tuple(material.get("note_cites", []))))
    return _ids(rule["cites"], material), conditions, duties, tuple(open_questions)


def _summary(rule: dict, facts: dict, as_of: date, rules: Rules, lang: str) -> str:
    material = rules.data["materials"][facts["material"] or GENERIC_MATERIAL]
    return rule[f"summary_{lang}"].format(what=material[f"label_{lang}"], as_of=as_of.isoformat())


def _regime(period: dict, lang: str) -> dict:
    return {"id": period["id"], "from": period["from"], "to": period["to"], "label": period[f"label_{lang}"]}


def _build(rule: dict, facts: dict, as_of: date, period: dict, rules: Rules, lang: str) -> Assessment:
    cites, conditions, duties, open_questions = _parts(rule, facts, rules, lang)
    return Assessment(rule["verdict"], _summary(rule, facts, as_of, rules, lang), as_of.isoformat(),
                      _regime(period, lang), facts, cites, conditions, duties, open_questions, lang)


def _branched(branches: list, facts: dict, as_of: date, period: dict, rules: Rules, lang: str) -> Assessment:
    """A deciding fact not stated: the most permissive branch leads (allowed only if …, with the deciding
    condition unknown); the summary gives every branch, in the order the rules' [branch] table names them."""
    lead = min(branches, key=lambda b: _PERMISSIVE.index(b[1]["verdict"]))[1]
    cites, conditions, duties, open_questions = _parts(lead, facts, rules, lang)
    all_cites, all_duties, all_open = dict.fromkeys(cites), list(duties), list(open_questions)
    for _, rule in branches:
        c, _, d, o = _parts(rule, facts, rules, lang)
        all_cites.update(dict.fromkeys(c))
        all_duties += [x for x in d if x.text not in {y.text for y in all_duties}]
        all_open += [x for x in o if x.text not in {y.text for y in all_open}]
    labels = rules.data["branch"]
    rank = lambda values: [list(labels[f]).index(_key(v)) for f, v in values.items()]
    parts = []
    for values, rule in sorted(branches, key=lambda b: rank(b[0])):
        name = " ".join(labels[f][_key(v)][lang] for f, v in values.items())
        parts.append(f"{name}: {_lower_first(_summary(rule, facts, as_of, rules, lang).rstrip('.'))}")
    summary = _upper_first("; ".join(parts)) + "."
    verdict = "allowed_if" if lead["verdict"] in ("allowed", "allowed_if") else lead["verdict"]
    return Assessment(verdict, summary, as_of.isoformat(), _regime(period, lang), facts, tuple(all_cites),
                      conditions, tuple(all_duties), tuple(all_open), lang)


def _key(value) -> str:
    return str(value).lower() if isinstance(value, bool) else value


def _lower_first(s: str) -> str:
    # keep "AI", "IP", "Art." and the like as written
    return s[:1].lower() + s[1:] if s[:2] != s[:2].upper() else s


def _upper_first(s: str) -> str:
    return s[:1].upper() + s[1:]


def _no_law(facts: dict, as_of: date, rules: Rules, lang: str) -> Assessment:
    first = date.fromisoformat(rules.periods[0]["from"])
    label = {"en": f"Before {first.isoformat()}: not held by the corpus",
             "vi": f"Trước ngày {first.strftime('%d/%m/%Y')}: ngoài phạm vi kho văn bản"}[lang]
    regime = {"id": "not-in-corpus", "from": None, "to": (first - timedelta(days=1)).isoformat(), "label": label}
    day = as_of.isoformat() if lang == "en" else as_of.strftime("%d/%m/%Y")
    return Assessment(None, rules.data[f"no_law_{lang}"].format(as_of=day), as_of.isoformat(), regime, facts, (),
                      (), (), (), lang)


assert set(_PERMISSIVE) == set(VERDICTS)
