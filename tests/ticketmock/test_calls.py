"""Journal entries as lines, matching them, and the words of a failed call assertion."""

from __future__ import annotations

import re

from ticketmock.calls import called_message, describe, listing, matches

ENTRY = {"method": "POST", "path": "/bobdesk/api/v3.0/tickets", "query": "", "status": 201,
         "operationId": "createTicket", "validation": "ok", "api": "bobdesk"}


def test_an_entry_is_one_line_with_why_it_was_refused() -> None:
    assert describe(ENTRY) == "POST /bobdesk/api/v3.0/tickets -> 201 createTicket"
    refused = {**ENTRY, "status": 401, "reason": "unauthorized: missing credentials"}
    assert describe(refused) == "POST /bobdesk/api/v3.0/tickets -> 401 createTicket  unauthorized: missing credentials"
    invalid = {**refused, "validation": "request: invalid body field title", "query": "a=1"}
    assert describe(invalid) == "POST /bobdesk/api/v3.0/tickets?a=1 -> 401 createTicket  " \
                                "request: invalid body field title"
    assert describe({**ENTRY, "operationId": None, "status": 404}).endswith("-> 404 (no operation)")


def test_a_listing_shows_the_last_requests_and_says_how_many_it_left_out() -> None:
    entries = [{**ENTRY, "path": f"/p{n}"} for n in range(5)]
    assert listing(entries, 2).splitlines() == ["  ... 3 earlier request(s) not shown",
                                                "  POST /p3 -> 201 createTicket", "  POST /p4 -> 201 createTicket"]
    assert listing([]) == "  (no requests)"


def test_matching_by_value_pattern_or_predicate() -> None:
    assert matches(ENTRY, {"status": 201, "api": "bobdesk"})
    assert not matches(ENTRY, {"status": 200})
    assert matches(ENTRY, {"path": re.compile(r"/tickets$")}) and not matches(ENTRY, {"path": re.compile("notes")})
    assert matches(ENTRY, {"status": lambda status: status < 300})
    assert not matches(ENTRY, {"reason": re.compile(".")})  # no reason: no match


def test_the_message_names_the_filter_and_the_count_in_all() -> None:
    message = called_message("createTicket", found=0, of_operation=1, expected=2, session="s",
                             match={"status": 200, "path": re.compile("x"), "query": str.isdigit}, entries=[ENTRY])
    assert message.splitlines() == [
        "createTicket (status=200, path~'x', query=isdigit(...)) was called 0 times, expected 2 times "
        "(createTicket was called once in all), in ticketmock session 's'. Requests in the session, oldest first:",
        "  POST /bobdesk/api/v3.0/tickets -> 201 createTicket"]
