"""Machine-readable reservations read from a real HTTP server on 127.0.0.1 (http.server in a thread): every
mechanism, TDMRep's processing priority, robots.txt for AI crawlers, errors, size caps, timeouts, redirects."""
from __future__ import annotations

import json
import threading
import time
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from assistant import reservations as rs
from assistant.reservations import apply, location_matches, read_all, read_reservation

HTML = "text/html; charset=utf-8"


class Site:
    """A web site as a table: path -> (status, headers, body) or a callable(handler) for odd behaviour."""

    def __init__(self):
        self.routes: dict[str, object] = {}
        self.hits: list[str] = []
        self.agents: list[str] = []

    def page(self, path, body="<html><head><title>t</title></head><body>x</body></html>", status=200,
             headers=None, content_type=HTML):
        self.routes[path] = (status, {"Content-Type": content_type, **(headers or {})},
                             body.encode() if isinstance(body, str) else body)

    def tdmrep(self, rules):
        self.page("/.well-known/tdmrep.json", json.dumps(rules), content_type="application/json")

    def robots(self, text):
        self.page("/robots.txt", text, content_type="text/plain")


def handler_for(site: Site):
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):
            site.hits.append(self.path)
            site.agents.append(self.headers.get("User-Agent", ""))
            route = site.routes.get(self.path)
            if route is None:
                self.send_error(404)
                return
            if callable(route):
                route(self)
                return
            status, headers, body = route
            self.send_response(status)
            for k, v in headers.items():
                self.send_header(k, v)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    return Handler


@contextmanager
def serve(site: Site):
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler_for(site))
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture
def site():
    s = Site()
    with serve(s) as base:
        s.base = base
        yield s


def test_nothing_found_is_none_found_and_gives_no_reservation(site):
    site.page("/article")
    r = read_reservation(f"{site.base}/article")
    assert r.status == "none_found" and r.reservation is False and r.signals == () and r.errors == ()
    assert r.checked_at.endswith("Z") and r.final_url == f"{site.base}/article"
    assert set(site.hits) == {"/article", "/.well-known/tdmrep.json", "/robots.txt"}
    assert all(a == rs.USER_AGENT for a in site.agents), "the reader names itself"


def test_tdmrep_file_rule_reserves_with_its_policy_and_location(site):
    site.tdmrep([{"location": "/free/*", "tdm-reservation": 0},
                 {"location": "/news/", "tdm-reservation": 1, "tdm-policy": "https://example.org/policy.json"}])
    site.page("/news/2026/story.html")
    r = read_reservation(f"{site.base}/news/2026/story.html")
    assert r.status == "reserved" and r.reservation is True
    d = r.deciding
    assert d.mechanism == "tdmrep.json" and d.url == f"{site.base}/.well-known/tdmrep.json"
    assert d.policy == "https://example.org/policy.json" and "rule 2 (location '/news/')" in d.value
    j = r.to_json()
    assert j["mechanism"] == "tdmrep.json" and j["found_at"] == d.url and j["status"] == "reserved"
    assert "reserved: tdmrep.json at" in j["summary"]


def test_tdmrep_file_first_matching_rule_wins_and_zero_is_not_reserved(site):
    site.tdmrep([{"location": "/img/*.jpg$", "tdm-reservation": 0}, {"location": "/", "tdm-reservation": 1}])
    site.page("/img/cat.jpg", b"\xff\xd8", content_type="image/jpeg")
    site.page("/img/cat.jpg.html")
    assert read_reservation(f"{site.base}/img/cat.jpg").status == "not_reserved"
    assert read_reservation(f"{site.base}/img/cat.jpg.html").status == "reserved", "$ anchors the end"


@pytest.mark.parametrize("pattern, path, matches", [
    ("/", "/anything", True), ("/news/", "/news/a", True), ("/news/", "/new", False),
    ("/*.pdf$", "/a/b.pdf", True), ("/*.pdf$", "/a/b.pdf?x=1", False), ("/a*b", "/a/x/b", True),
    ("/News/", "/news/a", False), ("/%7Euser/", "/~user/x", True), ("/x$", "/x", True), ("/x$", "/xy", False),
])
def test_location_patterns_match_as_robots_txt_paths(pattern, path, matches):
    assert location_matches(pattern, path) is matches


def test_http_header_reserves_and_names_its_policy(site):
    site.page("/doc", headers={"tdm-reservation": "1", "tdm-policy": "https://example.org/p"})
    r = read_reservation(f"{site.base}/doc")
    assert r.status == "reserved" and r.deciding.mechanism == "http-header" and r.deciding.policy == \
        "https://example.org/p"


def test_html_meta_reserves(site):
    site.page("/poem", '<html><head><meta name="TDM-Reservation" content="1">'
                       '<meta name="tdm-policy" content="https://example.org/terms"></head><body></body></html>')
    r = read_reservation(f"{site.base}/poem")
    assert r.status == "reserved" and r.deciding.mechanism == "html-meta" and r.deciding.url == f"{site.base}/poem"
    assert r.deciding.policy == "https://example.org/terms"


def test_meta_in_a_page_that_is_not_html_is_ignored(site):
    site.page("/raw.txt", '<meta name="tdm-reservation" content="1">', content_type="text/plain")
    assert read_reservation(f"{site.base}/raw.txt").status == "none_found"


def test_priority_header_supersedes_file_and_meta_supersedes_header(site):
    site.tdmrep([{"location": "/", "tdm-reservation": 1}])
    site.page("/a", headers={"tdm-reservation": "0"})
    site.page("/b", '<html><head><meta name="tdm-reservation" content="1"></head></html>',
              headers={"tdm-reservation": "0"})
    a, b = read_all([f"{site.base}/a", f"{site.base}/b"]).values()
    assert a.status == "not_reserved" and a.deciding.mechanism == "http-header"
    assert [s.mechanism for s in a.signals] == ["tdmrep.json", "http-header"], "both recorded, in order"
    assert b.status == "reserved" and b.deciding.mechanism == "html-meta"
    assert site.hits.count("/.well-known/tdmrep.json") == 1 and site.hits.count("/robots.txt") == 1, \
        "site files are read once per origin"


def test_a_bad_tdm_value_is_unset_and_said(site):
    site.page("/a", headers={"tdm-reservation": "yes"})
    r = read_reservation(f"{site.base}/a")
    assert r.status == "none_found" and "is not 0 or 1 (read as unset)" in r.errors[0]


def test_a_malformed_tdmrep_file_is_no_declaration_with_a_message(site):
    site.page("/.well-known/tdmrep.json", "{not json", content_type="application/json")
    site.page("/a")
    r = read_reservation(f"{site.base}/a")
    assert r.status == "none_found" and "not valid JSON" in r.errors[0]
    site.tdmrep({"location": "/", "tdm-reservation": 1})
    assert "must be a JSON array" in read_reservation(f"{site.base}/a").errors[0]


ROBOTS_AI = "User-agent: GPTBot\nUser-agent: CCBot\nDisallow: /\n\nUser-agent: *\nAllow: /\n"


def test_robots_txt_against_ai_crawlers_alone_is_a_possible_reservation_leaving_the_fact(site):
    site.robots(ROBOTS_AI)
    site.page("/article")
    r = read_reservation(f"{site.base}/article")
    assert r.status == "possible_reservation" and r.reservation is None
    assert r.deciding.agents == ("GPTBot", "CCBot") and r.deciding.url == f"{site.base}/robots.txt"
    assert "GPTBot (OpenAI), CCBot (Common Crawl)" in r.deciding.value
    assert "may not be a reservation under Decree 17 Art. 37b(2)(a)" in r.summary()


def test_robots_txt_path_rules_and_the_rule_for_everyone(site):
    site.robots("User-agent: Google-Extended\nDisallow: /private/\n\nUser-agent: *\nDisallow: /\n")
    site.page("/private/x")
    site.page("/public")
    private, public = read_all([f"{site.base}/private/x", f"{site.base}/public"]).values()
    assert "Google-Extended" in private.deciding.agents and "User-agent: *" in private.deciding.value
    # The "*" group disallows everything: every AI crawler without its own group falls under it.
    assert public.status == "possible_reservation" and "Google-Extended" not in public.deciding.agents
    assert "GPTBot" in public.deciding.agents


def test_robots_txt_that_allows_ai_crawlers_is_none_found(site):
    site.robots("User-agent: *\nDisallow: /admin/\n")
    site.page("/article")
    assert read_reservation(f"{site.base}/article").status == "none_found"


def test_tdmrep_reservation_outranks_robots_and_both_are_recorded(site):
    site.robots(ROBOTS_AI)
    site.page("/a", headers={"tdm-reservation": "1"})
    r = read_reservation(f"{site.base}/a")
    assert r.status == "reserved" and r.deciding.mechanism == "http-header"
    assert [s.mechanism for s in r.signals] == ["http-header", "robots.txt"]


def test_robots_txt_server_error_is_an_error_not_none_found(site):
    site.page("/robots.txt", "oops", status=503, content_type="text/plain")
    site.page("/a")
    r = read_reservation(f"{site.base}/a")
    assert r.status == "error" and r.reservation is None and "robots.txt: answered HTTP 503" in r.errors[0]


def test_page_not_found_is_an_error_naming_the_url(site):
    r = read_reservation(f"{site.base}/gone")
    assert r.status == "error" and f"{site.base}/gone: answered HTTP 404" in r.errors
    assert "not read:" in r.summary()


def test_a_reservation_in_the_site_file_stands_when_the_page_fails(site):
    site.tdmrep([{"location": "/", "tdm-reservation": 1}])
    r = read_reservation(f"{site.base}/gone")
    assert r.status == "reserved" and r.errors, "the failure is still reported"


@pytest.mark.parametrize("url, says", [
    ("ftp://example.org/a", "only http and https"), ("file:///etc/passwd", "only http and https"),
    ("javascript:alert(1)", "only http and https"), ("example.org/a", "without a scheme"),
    ("http:///a", "no host"), ("http://user:pw@127.0.0.1/a", "user name or password"), ("", "no URL"),
])
def test_urls_that_are_not_read(url, says):
    r = read_reservation(url)
    assert r.status == "error" and says in r.errors[0]


def test_redirects_are_followed_within_http_and_the_final_page_is_read(site):
    site.page("/old", status=301, headers={"Location": "/new"})
    site.page("/new", headers={"tdm-reservation": "1"})
    r = read_reservation(f"{site.base}/old")
    assert r.status == "reserved" and r.final_url == f"{site.base}/new" and r.deciding.url == f"{site.base}/new"


def test_a_redirect_off_http_is_refused(site):
    site.page("/to-file", status=302, headers={"Location": "file:///etc/passwd"})
    r = read_reservation(f"{site.base}/to-file")
    assert r.status == "error" and "not http(s); not followed" in r.errors[0]
    assert "/etc/passwd" not in site.hits


def test_a_redirect_loop_stops_at_the_limit(site):
    site.page("/loop", status=302, headers={"Location": "/loop"})
    r = read_reservation(f"{site.base}/loop")
    assert r.status == "error" and f"more than {rs.MAX_REDIRECTS} redirects" in r.errors[0]
    assert site.hits.count("/loop") == rs.MAX_REDIRECTS + 1


def test_a_slow_server_times_out(site):
    def slow(handler):
        time.sleep(1.5)
        handler.send_response(200)
        handler.end_headers()

    site.routes["/slow"] = slow
    started = time.monotonic()
    r = read_reservation(f"{site.base}/slow", timeout=0.3)
    assert r.status == "error" and "no answer within 0.3 s" in r.errors[0]
    assert time.monotonic() - started < 1.4


def test_a_body_that_drips_is_cut_at_the_deadline(site, monkeypatch):
    monkeypatch.setattr(rs, "DEADLINE", 0.6)

    def drip(handler):
        handler.send_response(200)
        handler.send_header("Content-Type", HTML)
        handler.end_headers()
        try:
            for _ in range(40):
                handler.wfile.write(b"<p>" * 10)
                handler.wfile.flush()
                time.sleep(0.1)
        except OSError:
            pass

    site.routes["/drip"] = drip
    started = time.monotonic()
    r = read_reservation(f"{site.base}/drip", timeout=1.0)
    assert r.status == "error" and "longer than 0.6 s" in r.errors[0]
    assert time.monotonic() - started < 3


def test_size_caps_a_huge_page_is_read_for_its_head_and_a_huge_site_file_is_refused(site, monkeypatch):
    monkeypatch.setattr(rs, "PAGE_CAP", 10_000)
    monkeypatch.setattr(rs, "FILE_CAP", 5_000)
    site.page("/big", '<html><head><meta name="tdm-reservation" content="1"></head><body>'
              + "x" * 100_000 + "</body></html>")
    assert read_reservation(f"{site.base}/big").status == "reserved"
    site.tdmrep([{"location": f"/{n}", "tdm-reservation": 0} for n in range(1000)])
    site.page("/plain")
    r = read_reservation(f"{site.base}/plain")
    assert any("larger than 5,000 bytes" in e for e in r.errors) and r.status == "error"


def test_scripts_are_never_run_and_meta_written_by_script_is_not_read(site):
    site.page("/js", '<html><head><script>document.write(\'<meta name="tdm-reservation" content="1">\')'
                     '</script></head></html>')
    assert read_reservation(f"{site.base}/js").status == "none_found"


def test_a_server_that_is_not_there(site):
    import socket
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    r = read_reservation(f"http://127.0.0.1:{port}/a", timeout=1)
    assert r.status == "error" and "could not connect" in r.errors[0]


@pytest.mark.parametrize("stated, status, expected, noted", [
    (None, "reserved", True, False), (False, "reserved", True, True), (True, "reserved", True, False),
    (None, "none_found", False, False), (True, "none_found", True, False), (True, "not_reserved", True, False),
    (None, "possible_reservation", None, False), (False, "possible_reservation", False, False),
    (None, "error", None, False), (False, "error", False, False),
])
def test_apply_fills_the_fact_and_never_weakens_a_stated_reservation(stated, status, expected, noted):
    found = rs.Reservation("http://x/a", status, "2026-12-08T00:00:00Z")
    facts, note = apply({"purpose": "commercial", "reservation": stated}, found)
    assert facts["reservation"] is expected and facts["purpose"] == "commercial"
    assert (note is not None) is noted


def test_fetch_all_fills_the_sources_of_vnip_check_and_records_the_evidence(site):
    from assistant.check import read_sources
    from assistant.reservations import evidence_markdown, fetch_all, with_evidence

    site.tdmrep([{"location": "/reserved/", "tdm-reservation": 1}])
    site.robots("User-agent: GPTBot\nDisallow: /blog/\n")
    for path in ("/reserved/a", "/blog/b", "/open/c"):
        site.page(path)
    csv = ("name,material,purpose,reservation,url\n"
           f"A,literary,non_commercial,,{site.base}/reserved/a\n"
           f"B,literary,non_commercial,,{site.base}/blog/b\n"
           f"C,literary,non_commercial,,{site.base}/open/c\n"
           f"D,literary,non_commercial,false,{site.base}/reserved/a\n"
           "E,literary,non_commercial,true,\n")
    rows, errors = read_sources(csv.encode(), "sources.csv")
    assert not errors
    filled, evidence = fetch_all(rows)
    assert [r.facts["reservation"] for r in filled] == [True, None, False, True, True]
    assert [evidence.get(r.line, {}).get("status") for r in rows] == \
        ["reserved", "possible_reservation", "none_found", "reserved", None]
    assert evidence[rows[3].line]["note"].startswith("reservation was false in the file; set to true from reserved")
    assert rows[0].facts["reservation"] is None, "the rows read are not changed in place"
    report = with_evidence({"sources": [{"line": r.line, "name": r.name} for r in rows]}, evidence)
    assert report["sources"][0]["reservation_read"]["mechanism"] == "tdmrep.json"
    assert report["sources"][4]["reservation_read"] is None
    assert report["reservations_read"] == {"reserved": 2, "possible_reservation": 1, "none_found": 1}
    md = evidence_markdown(rows, evidence)
    assert "**A** (line 2): reserved · reservation not known → true" in md
    assert "**B** (line 3): possible reservation (robots.txt only)" in md and "**E**" not in md
    assert site.hits.count("/reserved/a") == 1, "a URL shared by two rows is read once"
