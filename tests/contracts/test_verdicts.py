"""An operation that never got a real answer fails, saying whether the base URL or the credentials are wrong."""

from __future__ import annotations

import base64
from typing import Any

from contracts.results import OperationResult, RunResult
from contracts.runner import RunSettings, run
from contracts.targets import MOCK_BASIC, SPACEBRING_NETWORK, Credentials, Target, build_mock
from contracts.verdicts import AUTH_CHECK, FOUND_CHECK, credential_markers, credential_mismatch, judge
from tests.helpers import spec_of

BASE = "https://partner-api-001.prd.jifeline.cloud/wrong"


def result_with(**statuses: dict[int, int]) -> RunResult:
    result = RunResult("jifeline", BASE)
    labels = {"in_progress": ("GET /v2/tickets/in-progress-tickets", "listInProgressTickets"),
              "pending": ("GET /v2/tickets/pending-tickets", "listPendingTickets")}
    for key, seen in statuses.items():
        label, operation_id = labels[key]
        result.operations[label] = OperationResult(label, operation_id, cases=sum(seen.values()), statuses=seen)
    return result


def messages(result: RunResult) -> dict[str, list[tuple[str, str]]]:
    return {label: [(f.check, f.message) for f in op.failures] for label, op in result.operations.items()}


def jifeline_credentials() -> Credentials:
    return Credentials({"OAuth2": {"bearer": "t0k3n-abc"}, "ApiKey": {"api_key": "k3y-abc"}})


def test_every_answer_404_fails_naming_the_expected_path_and_base_url() -> None:
    result = result_with(in_progress={404: 9}, pending={404: 3})
    judge(result, spec_of("jifeline"), jifeline_credentials(), BASE)
    assert messages(result)["GET /v2/tickets/pending-tickets"] == [(
        FOUND_CHECK, "every response was 404: is the base URL right? "
                     f"(expected GET /v2/tickets/pending-tickets under {BASE})")]
    assert not any(op.passed for op in result.operations.values())


def test_a_404_only_operation_next_to_answered_ones_says_records_may_be_missing() -> None:
    result = result_with(in_progress={200: 4, 404: 1}, pending={404: 3})
    judge(result, spec_of("jifeline"), jifeline_credentials(), BASE)
    found = messages(result)
    assert found["GET /v2/tickets/in-progress-tickets"] == []
    assert "1 other operation(s) got answers under this base URL" in found["GET /v2/tickets/pending-tickets"][0][1]


def test_stateful_answers_count_before_judging() -> None:
    result = result_with(pending={404: 3})
    result.stateful_statuses["GET /v2/tickets/pending-tickets"] = {200: 2}
    judge(result, spec_of("jifeline"), jifeline_credentials(), BASE)
    assert result.passed


def test_only_refusals_and_404s_fail_as_credentials() -> None:
    result = result_with(in_progress={401: 2, 404: 5})
    judge(result, spec_of("jifeline"), jifeline_credentials(), BASE)
    [(check, message)] = messages(result)["GET /v2/tickets/in-progress-tickets"]
    assert check == AUTH_CHECK and message.startswith("all 7 responses were 401, 403 or 404 (2 x 401, 5 x 404)")


def test_refusals_with_the_right_kind_of_credential_blame_the_credentials() -> None:
    result = result_with(in_progress={401: 6})
    judge(result, spec_of("jifeline"), jifeline_credentials(), BASE)
    [(check, message)] = messages(result)["GET /v2/tickets/in-progress-tickets"]
    assert check == AUTH_CHECK and "the credentials are missing or wrong for this target" in message


def test_a_credential_of_a_type_the_operation_does_not_take_is_named() -> None:
    spec = spec_of("spacebring")
    schemes: dict[str, Any] = spec["components"]["securitySchemes"]
    oauth_only = [{"OAuth2": ["support"]}]
    assert credential_mismatch("createSupportTicket", oauth_only, schemes, offered={"BasicAuth"}, sent=["Basic"]) == (
        "createSupportTicket accepts OAuth2 only; Basic was sent")
    assert credential_mismatch("createSupportTicket", oauth_only, schemes, offered={"BasicAuth"}, sent=[]) == (
        "createSupportTicket accepts OAuth2 only; Basic was given, which it does not take, so no credential was sent")
    both = [{"BasicAuth": []}, {"OAuth2": ["support"]}]
    assert credential_mismatch("getSupportTickets", both, schemes, offered={"BasicAuth"}, sent=["Basic"]) is None
    # Two schemes at once, as Jifeline's older pages documented (token and x-api-key):
    jifeline = {"OAuth2": {"type": "oauth2"}, "ApiKey": {"type": "apiKey", "in": "header", "name": "x-api-key"}}
    assert credential_mismatch("listInProgressTickets", [{"OAuth2": [], "ApiKey": []}], jifeline,
                               offered={"OAuth2"}, sent=["Bearer"]) == (
        "listInProgressTickets accepts OAuth2 + API key (header x-api-key) only; Bearer was sent")


def test_probe_credentials_are_not_counted_as_sent() -> None:
    probe = base64.b64encode(b"SCHEMATHESIS-INVALID-VALUE:SCHEMATHESIS-INVALID-VALUE").decode()
    assert credential_markers({"Authorization": [f"Basic {probe}"]}) == set()
    assert credential_markers({"Authorization": ["Bearer abc"], "X-Api-Key": ["k"]}) == {"authorization:bearer",
                                                                                         "x-api-key"}


def test_basic_credentials_to_an_oauth2_only_operation_over_a_run() -> None:
    basic_only = Credentials({"BasicAuth": {"username": MOCK_BASIC[0], "password": MOCK_BASIC[1]}},
                             {"spacebring-network-id": SPACEBRING_NETWORK})
    target = Target("spacebring", None, basic_only, app=build_mock("spacebring"))
    result = run(target, RunSettings(max_examples=2, seed=1, phases=("examples",),
                                     operations=("createSupportTicket", "getSupportTickets")))
    assert result.operations["GET /support/tickets/v1"].passed
    [failure] = result.operations["POST /support/tickets/v1"].failures
    assert failure.check == AUTH_CHECK
    assert failure.message.startswith("createSupportTicket accepts OAuth2 only; Basic was given")
    assert "set TICKETMOCK_SPACEBRING_TOKEN" in failure.message


def test_a_basic_header_to_a_bearer_api_says_basic_was_sent() -> None:
    header = "Basic " + base64.b64encode(b"someone:something").decode()
    target = Target("bobdesk", None, Credentials({}, {"Authorization": header}), app=build_mock("bobdesk"))
    result = run(target, RunSettings(max_examples=2, seed=1, phases=("examples",), operations=("listTickets",)))
    [failure] = result.operations["GET /tickets"].failures
    assert failure.check == AUTH_CHECK
    assert failure.message.startswith("listTickets accepts Bearer only; Basic was sent")
