"""Machine-readable reservations of a source URL: TDMRep and robots.txt rules for AI crawlers, read over HTTP.

Decree 17/2023 Art. 37b lets rights holders reserve their works against AI training by machine-readable means
attached to the work (37b.2.a). What this module finds is evidence for the `reservation` fact, recorded with the
mechanism, the URL it was read from and the time (UTC):

- TDMRep (W3C TDM Reservation Protocol, final report 2024-05-10): `/.well-known/tdmrep.json` on the origin, then
  the `tdm-reservation` / `tdm-policy` response headers, then `<meta name="tdm-reservation">` in the HTML — each
  later one supersedes the earlier (the spec's processing priority). `1` → "reserved", `0` → "not_reserved".
- robots.txt groups that disallow the URL to AI-training crawlers (GPTBot, CCBot, Google-Extended, …), parsed with
  protego. A site-wide crawling rule is not attached to the work and may not qualify under 37b.2.a on its own, so
  alone it is only a "possible_reservation" and leaves the fact as it was (see README "Reservations read").

Nothing here runs unless called (`vnip check --fetch`, the page's "Read reservations" button). Safety: http and
https only, redirects followed by hand (at most MAX_REDIRECTS, never off http(s)), per-request timeouts and a total
deadline, size caps, nothing executed (HTML is scanned for two meta tags by the standard library's parser).
"""
from __future__ import annotations

import codecs
import json
import logging
import re
import socket
import time
import urllib.error
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime, timezone
from html.parser import HTMLParser
from threading import Lock

from protego import Protego

log = logging.getLogger(__name__)

USER_AGENT = "vnip-reservations/0.1 (reads TDMRep and robots.txt for a due-diligence report; no content is kept)"
# Crawlers whose robots.txt groups speak to AI training, with who runs them (shown in the evidence).
AI_CRAWLERS = (
    ("GPTBot", "OpenAI"), ("CCBot", "Common Crawl"), ("Google-Extended", "Google"), ("ClaudeBot", "Anthropic"),
    ("anthropic-ai", "Anthropic"), ("PerplexityBot", "Perplexity"), ("Bytespider", "ByteDance"),
    ("Applebot-Extended", "Apple"), ("meta-externalagent", "Meta"), ("cohere-ai", "Cohere"),
)
# A token no robots.txt names: what the "*" group says, to tell rules aimed at AI crawlers from rules for everyone.
GENERIC_AGENT = "vnip-generic-probe"
MAX_REDIRECTS = 5
TIMEOUT = 10.0          # seconds, each connect and each read
DEADLINE = 20.0         # seconds, a whole request including redirects and the body
PAGE_CAP = 1_000_000    # bytes of the page read for its <head> (the rest is not needed for meta tags)
FILE_CAP = 512_000      # bytes of tdmrep.json or robots.txt (Google reads 500 KiB of robots.txt)

# status -> the `reservation` fact it gives (None: leaves the row's value as it is)
STATUSES = {"reserved": True, "not_reserved": False, "none_found": False, "possible_reservation": None,
            "error": None}


class FetchError(Exception):
    """One request that could not be completed: the URL and what went wrong, in words for the report."""

    def __init__(self, url: str, what: str):
        super().__init__(f"{url}: {what}")
        self.url, self.what = url, what


@dataclass(frozen=True)
class Signal:
    """One mechanism found: where, what it says, and whether it reserves (None: no TDM value, e.g. robots.txt)."""
    mechanism: str                     # "tdmrep.json" | "http-header" | "html-meta" | "robots.txt"
    url: str                           # where it was read
    value: str                         # what was read, e.g. "tdm-reservation: 1" or "Disallow for GPTBot, CCBot"
    reserved: bool | None = None       # the TDMRep value (1 → True, 0 → False); None for robots.txt
    policy: str | None = None          # tdm-policy URL, when given with a reservation
    agents: tuple[str, ...] = ()       # robots.txt: AI crawlers the URL is disallowed to

    def to_json(self) -> dict:
        return {"mechanism": self.mechanism, "url": self.url, "value": self.value, "reserved": self.reserved,
                "policy": self.policy, "agents": list(self.agents)}


@dataclass(frozen=True)
class Reservation:
    """What was read for one source URL, and the `reservation` fact it gives."""
    url: str
    status: str                        # a key of STATUSES
    checked_at: str                    # UTC, ISO 8601, when the reading finished
    signals: tuple[Signal, ...] = ()   # every mechanism found, in processing order
    errors: tuple[str, ...] = ()       # steps that could not be completed, each naming its URL
    final_url: str | None = None       # the page after redirects

    @property
    def reservation(self) -> bool | None:
        return STATUSES[self.status]

    @property
    def deciding(self) -> Signal | None:
        """The signal the status rests on: the last TDMRep value (later mechanisms supersede), else robots.txt."""
        tdm = [s for s in self.signals if s.reserved is not None]
        if tdm:
            return tdm[-1]
        robots = [s for s in self.signals if s.mechanism == "robots.txt" and s.agents]
        return robots[0] if robots else None

    def summary(self) -> str:
        s = self.deciding
        where = f"{s.mechanism} at {s.url}" if s else ""
        text = {
            "reserved": f"reserved: {where} says {s.value if s else ''}",
            "not_reserved": f"not reserved: {where} says {s.value if s else ''}",
            "possible_reservation": f"possible reservation: {where} disallows {', '.join(s.agents) if s else ''} "
                                    "(a site-wide crawling rule, not attached to the work: it may not be a "
                                    "reservation under Decree 17 Art. 37b(2)(a) on its own)",
            "none_found": "none found: no TDMRep declaration and no robots.txt rule against AI crawlers",
            "error": "not read: " + "; ".join(self.errors),
        }[self.status]
        return f"{text} (checked {self.checked_at})"

    def to_json(self) -> dict:
        s = self.deciding
        return {"url": self.url, "final_url": self.final_url, "status": self.status,
                "reservation": self.reservation, "mechanism": s.mechanism if s else None,
                "found_at": s.url if s else None, "checked_at": self.checked_at, "summary": self.summary(),
                "signals": [x.to_json() for x in self.signals], "errors": list(self.errors)}


@dataclass
class _Response:
    url: str
    status: int
    headers: dict[str, str]
    body: bytes
    truncated: bool


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    """Redirects are followed by `_get`, which checks each target's scheme and counts them."""

    def redirect_request(self, req, fp, code, msg, headers, newurl):
        return None


_OPENER = urllib.request.build_opener(_NoRedirect())


def check_url(url: str) -> str:
    """The URL if it may be fetched: http or https with a host and no credentials; else FetchError saying why."""
    if not isinstance(url, str) or not url.strip():
        raise FetchError(str(url), "no URL given")
    url = url.strip()
    parts = urllib.parse.urlsplit(url)
    if parts.scheme.lower() not in ("http", "https"):
        raise FetchError(url, f"only http and https URLs are read (this one is {parts.scheme or 'without a scheme'}"
                              "); write it as https://host/path")
    if not parts.hostname:
        raise FetchError(url, "the URL has no host; write it as https://host/path")
    if parts.username or parts.password:
        raise FetchError(url, "the URL carries a user name or password; remove them (nothing is sent with them)")
    return url


def _get(url: str, cap: int, timeout: float, deadline: float) -> _Response:
    """GET with redirects followed by hand (http(s) only, at most MAX_REDIRECTS), the body read up to `cap` bytes
    within `deadline` seconds. Any HTTP status is returned; network failures raise FetchError."""
    start = time.monotonic()
    for _ in range(MAX_REDIRECTS + 1):
        check_url(url)
        request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT, "Accept-Encoding": "identity"})
        try:
            resp = _OPENER.open(request, timeout=timeout)
        except urllib.error.HTTPError as e:      # 3xx (not followed by the opener), 4xx, 5xx
            resp = e
        except (urllib.error.URLError, OSError, ValueError) as e:
            reason = getattr(e, "reason", e)
            if isinstance(reason, (socket.timeout, TimeoutError)):
                raise FetchError(url, f"no answer within {timeout:g} s") from None
            raise FetchError(url, f"could not connect ({reason})") from None
        try:
            status = resp.status if hasattr(resp, "status") else resp.code
            headers = {k.lower(): v for k, v in resp.headers.items()}
            if status in (301, 302, 303, 307, 308):
                location = headers.get("location")
                if not location:
                    raise FetchError(url, f"redirect {status} without a Location")
                target = urllib.parse.urljoin(url, location)
                if urllib.parse.urlsplit(target).scheme.lower() not in ("http", "https"):
                    raise FetchError(url, f"redirects to {target!r}, which is not http(s); not followed")
                url = target
                continue
            body, truncated = _read(resp, url, cap, timeout, start + deadline)
            return _Response(url, status, headers, body, truncated)
        finally:
            resp.close()
    raise FetchError(url, f"more than {MAX_REDIRECTS} redirects; not followed further")


def _read(resp, url: str, cap: int, timeout: float, until: float) -> tuple[bytes, bool]:
    chunks, size = [], 0
    while size <= cap:
        if time.monotonic() > until:
            raise FetchError(url, f"the body took longer than {DEADLINE:g} s; given up")
        try:
            chunk = resp.read1(min(65536, cap + 1 - size))   # what has arrived: the deadline is checked
        except (socket.timeout, TimeoutError):
            raise FetchError(url, f"no data within {timeout:g} s") from None
        except OSError as e:
            raise FetchError(url, f"the connection failed while reading ({e})") from None
        if not chunk:
            break
        chunks.append(chunk)
        size += len(chunk)
    body = b"".join(chunks)
    return body[:cap], size > cap


def _origin(url: str) -> str:
    p = urllib.parse.urlsplit(url)
    return f"{p.scheme.lower()}://{p.netloc}"


def _path(url: str) -> str:
    p = urllib.parse.urlsplit(url)
    return (p.path or "/") + (f"?{p.query}" if p.query else "")


_UNRESERVED = re.compile(r"%(2[DdEe]|3[0-9]|[46][1-9A-Fa-f]|[57][0-9Aa]|5[Ff]|7[Ee])")


def _unquote_unreserved(path: str) -> str:
    """TDMRep (after robots.txt): percent-encoded unreserved characters are decoded before comparing."""
    return _UNRESERVED.sub(lambda m: chr(int(m.group(1), 16)), path)


def location_matches(pattern: str, path: str) -> bool:
    """A tdmrep.json `location` against a URL path, as robots.txt patterns match: a prefix, `*` any characters,
    a final `$` the end of the path; case-sensitive."""
    anchored = pattern.endswith("$")
    body = pattern[:-1] if anchored else pattern
    regex = ".*".join(re.escape(_unquote_unreserved(part)) for part in body.split("*"))
    return re.match(regex + ("$" if anchored else ""), _unquote_unreserved(path)) is not None


def _tdm_value(raw) -> bool | None:
    """1 → reserved, 0 → not reserved; anything else is a protocol error, read as unset (None)."""
    text = str(raw).strip() if isinstance(raw, (str, int)) and not isinstance(raw, bool) else ""
    return {"1": True, "0": False}.get(text)


def _tdm_signal(mechanism: str, url: str, reservation, policy) -> tuple[Signal | None, str | None]:
    value = _tdm_value(reservation)
    if value is None:
        return None, f"{mechanism} at {url}: tdm-reservation {reservation!r} is not 0 or 1 (read as unset)"
    text = f"tdm-reservation: {int(value)}" + (f", tdm-policy: {policy}" if policy and value else "")
    return Signal(mechanism, url, text, value, policy if value and policy else None), None


def read_tdmrep_file(origin: str, timeout: float = TIMEOUT) -> tuple[list, list[str]]:
    """The rules of `<origin>/.well-known/tdmrep.json`. No file (any 4xx) is not an error: the site does not use
    this technique; a file that is not a JSON array is a protocol error, read as no declaration."""
    url = f"{origin}/.well-known/tdmrep.json"
    resp = _get(url, FILE_CAP, timeout, DEADLINE)
    if 400 <= resp.status < 500:
        return [], []
    if resp.status != 200:
        raise FetchError(url, f"answered HTTP {resp.status}; not read")
    if resp.truncated:
        raise FetchError(url, f"larger than {FILE_CAP:,} bytes; not read")
    try:
        rules = json.loads(resp.body.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as e:
        return [], [f"{url}: not valid JSON ({e}); read as no declaration"]
    if not isinstance(rules, list):
        return [], [f"{url}: must be a JSON array of rules; read as no declaration"]
    return rules, []


def match_tdmrep(rules: list, origin: str, path: str) -> tuple[Signal | None, list[str]]:
    """The first rule whose location matches `path` (the spec: "the most specific match is the first in
    sequence"); no match leaves tdm-reservation unset."""
    url = f"{origin}/.well-known/tdmrep.json"
    for n, rule in enumerate(rules, 1):
        if not isinstance(rule, dict) or not isinstance(rule.get("location"), str) or "tdm-reservation" not in rule:
            continue                                   # a malformed rule cannot match; the next may
        if location_matches(rule["location"], path):
            signal, problem = _tdm_signal("tdmrep.json", url, rule["tdm-reservation"], rule.get("tdm-policy"))
            if signal:
                signal = Signal(signal.mechanism, url, f"rule {n} (location {rule['location']!r}): {signal.value}",
                                signal.reserved, signal.policy)
            return signal, [problem] if problem else []
    return None, []


class _MetaTags(HTMLParser):
    """Collects <meta name="tdm-reservation"/"tdm-policy" content="…">; parses, never runs, anything."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found: dict[str, str] = {}

    def handle_starttag(self, tag, attrs):
        if tag != "meta":
            return
        a = {k.lower(): (v or "") for k, v in attrs}
        name = a.get("name", "").strip().lower()
        if name in ("tdm-reservation", "tdm-policy") and name not in self.found:
            self.found[name] = a.get("content", "").strip()


def _charset(content_type: str) -> str:
    m = re.search(r"charset=[\"']?([\w-]+)", content_type or "", re.I)
    try:
        return codecs.lookup(m.group(1)).name if m else "utf-8"
    except LookupError:
        return "utf-8"


def read_page(url: str, timeout: float = TIMEOUT) -> tuple[str, list[Signal], list[str]]:
    """The page itself: its final URL, the TDMRep header fields, then the HTML meta tags (in that order: meta
    supersedes headers)."""
    resp = _get(url, PAGE_CAP, timeout, DEADLINE)
    if resp.status >= 400:
        raise FetchError(resp.url, f"answered HTTP {resp.status}")
    signals, problems = [], []
    if "tdm-reservation" in resp.headers:
        s, p = _tdm_signal("http-header", resp.url, resp.headers["tdm-reservation"], resp.headers.get("tdm-policy"))
        signals += [s] if s else []
        problems += [p] if p else []
    content_type = resp.headers.get("content-type", "")
    if "html" in content_type.lower():
        parser = _MetaTags()
        parser.feed(resp.body.decode(_charset(content_type), errors="replace"))
        if "tdm-reservation" in parser.found:
            s, p = _tdm_signal("html-meta", resp.url, parser.found["tdm-reservation"],
                               parser.found.get("tdm-policy"))
            signals += [s] if s else []
            problems += [p] if p else []
    return resp.url, signals, problems


def read_robots(origin: str, timeout: float = TIMEOUT) -> tuple[Protego | None, list[str]]:
    """The origin's robots.txt, parsed. 4xx means no rules (as crawlers read it); 5xx or a network failure is an
    error for this step. Like Google, only the first FILE_CAP bytes are read."""
    robots_url = f"{origin}/robots.txt"
    resp = _get(robots_url, FILE_CAP, timeout, DEADLINE)
    if 400 <= resp.status < 500:
        return None, []
    if resp.status != 200:
        raise FetchError(robots_url, f"answered HTTP {resp.status}; not read")
    return Protego.parse(resp.body.decode("utf-8", errors="replace")), []


def match_robots(rules: Protego | None, origin: str, url: str) -> Signal | None:
    """The AI crawlers whose robots.txt group disallows `url`."""
    if rules is None:
        return None
    robots_url = f"{origin}/robots.txt"
    blocked = tuple(agent for agent, _ in AI_CRAWLERS if not rules.can_fetch(url, agent))
    if not blocked:
        return None
    everyone = not rules.can_fetch(url, GENERIC_AGENT)
    operators = dict(AI_CRAWLERS)
    value = "Disallow for " + ", ".join(f"{a} ({operators[a]})" for a in blocked) + \
        (" — the rule for all crawlers (User-agent: *) disallows it too" if everyone else "")
    return Signal("robots.txt", robots_url, value, None, None, blocked)


def _now() -> str:
    return datetime.now(timezone.utc).replace(microsecond=0).isoformat().replace("+00:00", "Z")


@dataclass
class _SiteCache:
    """tdmrep.json and robots.txt are per origin: read once per origin within one `fetch_all`."""
    files: dict = field(default_factory=dict)
    lock: Lock = field(default_factory=Lock)
    origin_locks: dict = field(default_factory=dict)

    def get(self, key: tuple, read):
        with self.lock:
            lock = self.origin_locks.setdefault(key, Lock())
        with lock:
            if key not in self.files:
                try:
                    self.files[key] = (*read(), True)
                except FetchError as e:
                    self.files[key] = (None, [str(e)], False)
            return self.files[key]


def read_reservation(url: str, timeout: float = TIMEOUT, cache: _SiteCache | None = None) -> Reservation:
    """Every mechanism for one source URL, in TDMRep's processing order (tdmrep.json, then header, then meta, each
    superseding the earlier), and robots.txt; a failure is recorded per step, never raised."""
    cache = cache or _SiteCache()
    try:
        url = check_url(url)
    except FetchError as e:
        return Reservation(str(url), "error", _now(), errors=(e.what,))
    errors: list[str] = []
    try:
        final, page_signals, problems = read_page(url, timeout)
        errors += problems
        page_read = True
    except FetchError as e:
        final, page_signals, page_read = url, [], False
        errors.append(str(e))
    origin, path = _origin(final), _path(final)
    rules, problems, file_read = cache.get(("tdmrep", origin), lambda: read_tdmrep_file(origin, timeout))
    file_signal, more = match_tdmrep(rules or [], origin, path)
    errors += problems + more
    robots, problems, robots_read = cache.get(("robots", origin), lambda: read_robots(origin, timeout))
    robots_signal = match_robots(robots, origin, final)
    errors += problems
    signals = tuple(s for s in (file_signal, *page_signals, robots_signal) if s)
    tdm = [s for s in signals if s.reserved is not None]
    if tdm and (tdm[-1].reserved or page_read):
        # A reservation found stands even when a later step failed (that step could only have lifted it); a
        # "not reserved" needs the page read, since its header or meta could still reserve.
        status = "reserved" if tdm[-1].reserved else "not_reserved"
    elif not (page_read and file_read and robots_read):
        status = "error"
    elif robots_signal:
        status = "possible_reservation"
    else:
        status = "none_found"
    return Reservation(url, status, _now(), signals, tuple(dict.fromkeys(errors)), final if page_read else None)


def read_all(urls, timeout: float = TIMEOUT, workers: int = 4) -> dict[str, Reservation]:
    """Each distinct URL read once (a few at a time), tdmrep.json and robots.txt once per origin."""
    cache = _SiteCache()
    distinct = list(dict.fromkeys(u for u in urls if u))
    with ThreadPoolExecutor(max_workers=max(1, min(workers, len(distinct) or 1))) as pool:
        results = pool.map(lambda u: read_reservation(u, timeout, cache), distinct)
        return dict(zip(distinct, results))


def apply(facts: dict, found: Reservation) -> tuple[dict, str | None]:
    """The row's facts with `reservation` filled from what was read, and a note when the file said otherwise.
    A reading never weakens a reservation the row states (it may rest on a CMO listing, which no URL shows); it
    fills an unstated one, and a reservation found overrides a row that says there is none."""
    stated, read = facts.get("reservation"), found.reservation
    if read is None or stated is True or stated == read:
        return facts, None
    note = (f"reservation was {str(stated).lower()} in the file; set to {str(read).lower()} from "
            f"{found.summary()}") if stated is not None else None
    return {**facts, "reservation": read}, note


# --- `vnip check --fetch` and the page's "Read reservations" ------------------------------------------------------

def fetch_all(rows: list, timeout: float = TIMEOUT, workers: int = 4) -> tuple[list, dict[int, dict]]:
    """The sources of `vnip check` (assistant.check.Source) with `reservation` filled from what their URLs
    declare, and the evidence per source line (see `fill`). The only function here that `vnip check` calls, and
    only with --fetch: it reads each distinct URL once."""
    return fill(rows, read_all([r.url for r in rows if r.url], timeout, workers))


def fill(rows: list, readings: dict[str, Reservation]) -> tuple[list, dict[int, dict]]:
    """The rows with `reservation` set from readings already made (URL -> Reservation), and the evidence per
    source line: what was read where and when, the fact before and after, and a note when the reading overrode
    the file. Rows without a URL, or whose URL was not read, are returned unchanged and get no evidence."""
    import dataclasses

    out, evidence = [], {}
    for row in rows:
        reading = readings.get(row.url) if row.url else None
        if reading is None:
            out.append(row)
            continue
        facts, note = apply(dict(row.facts), reading)
        evidence[row.line] = {**reading.to_json(), "fact_before": row.facts.get("reservation"),
                              "fact_after": facts.get("reservation"), "note": note}
        out.append(dataclasses.replace(row, facts=facts))
    return out, evidence


def with_evidence(report: dict, evidence: dict[int, dict]) -> dict:
    """`vnip check --json`'s report with each source's `reservation_read` (null when it has no URL) and a count of
    sources per reading status."""
    sources = [{**s, "reservation_read": evidence.get(s["line"])} for s in report.get("sources", [])]
    counts: dict[str, int] = {}
    for e in evidence.values():
        counts[e["status"]] = counts.get(e["status"], 0) + 1
    return {**report, "sources": sources, "reservations_read": counts}


STATUS_LABEL = {"reserved": "reserved", "not_reserved": "not reserved (TDMRep 0)",
                "possible_reservation": "possible reservation (robots.txt only)", "none_found": "none found",
                "error": "not read (error)"}


def evidence_markdown(rows: list, evidence: dict[int, dict]) -> str:
    """The "Reservations read" section of `vnip check --fetch`'s Markdown report: per source with a URL, the
    status, the mechanism, where and when, and whether the `reservation` fact changed."""
    from assistant.question import neutralise

    lines = ["## Reservations read (vnip check --fetch)", "",
             "Each URL was read for TDMRep (/.well-known/tdmrep.json, the tdm-reservation and tdm-policy headers, "
             "the HTML meta tag) and for robots.txt rules against AI crawlers. A TDMRep reservation sets "
             "`reservation` to true; a robots.txt rule alone is a possible reservation only and leaves the fact as "
             "it was (it is site-wide, not attached to the work: Decree 17 Art. 37b(2)(a)).", ""]
    for row in rows:
        e = evidence.get(row.line)
        if e is None:
            continue
        changed = ("" if e["fact_before"] == e["fact_after"] else
                   f" · reservation {_fact_text(e['fact_before'])} → {_fact_text(e['fact_after'])}")
        lines.append(f"- **{neutralise(row.name)}** (line {row.line}): {STATUS_LABEL[e['status']]}{changed} — "
                     f"{neutralise(e['summary'])}")
        if e.get("note"):
            lines.append(f"  - {neutralise(e['note'])}")
    return "\n".join(lines) + "\n"


def _fact_text(value) -> str:
    return "not known" if value is None else str(value).lower()
