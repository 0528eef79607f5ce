"""The runner's safety defaults and its refusal to pass quietly on wrong credentials."""

from __future__ import annotations

import pytest

from contracts.runner import RunSettings, build_config, config_data, run
from contracts.targets import Credentials, Target, TargetError, build_mock, mock_credentials
from contracts.verdicts import AUTH_CHECK
from tests.helpers import journal_of


def test_wrong_credentials_fail_the_run_instead_of_passing() -> None:
    wrong = Credentials({"bearerAuth": {"bearer": "not-the-token"}})
    target = Target("bobdesk", None, wrong, app=build_mock("bobdesk"))
    result = run(target, RunSettings(max_examples=5, seed=1, phases=("examples",)))
    assert not result.passed
    refused = {f.operation for f in result.failures if f.check == AUTH_CHECK}
    assert "GET /tickets" in refused and len(refused) == 11
    assert all("credentials are missing or wrong" in f.message for f in result.failures if f.check == AUTH_CHECK)


def test_non_loopback_target_gets_only_safe_methods_and_no_write_checks() -> None:
    app = build_mock("bobdesk")
    target = Target("bobdesk", None, mock_credentials("bobdesk"), app=app, loopback=False)
    config = build_config(target, RunSettings()).projects.get_default()
    assert config.checks.unsupported_method.enabled is False
    assert config.phases.coverage.unexpected_methods == set()
    assert config_data(target, RunSettings())["rate-limit"] == "5/s"  # the default for a non-loopback target
    assert "rate-limit" not in config_data(Target("bobdesk", None, mock_credentials("bobdesk")), RunSettings())
    result = run(target, RunSettings(max_examples=5, seed=1, rate_limit="1000/s"))
    assert set(result.operations) == {"GET /tickets", "GET /tickets/get-id-from-number",
                                      "GET /tickets/{ticket_id}/dates", "GET /tickets/{ticket_id}/notes"}
    methods = {entry["method"] for entry in journal_of(app)}
    assert methods <= {"GET", "HEAD", "OPTIONS"}, methods
    assert result.passed


def test_allow_writes_lifts_the_restriction() -> None:
    target = Target("bobdesk", None, mock_credentials("bobdesk"), app=build_mock("bobdesk"), loopback=False,
                    allow_writes=True)
    result = run(target, RunSettings(max_examples=3, seed=1, phases=("examples",), rate_limit="1000/s"))
    assert "POST /tickets" in result.operations


def test_operation_filter_by_id_and_path_with_did_you_mean() -> None:
    target = Target("bobdesk", None, mock_credentials("bobdesk"), app=build_mock("bobdesk"))
    result = run(target, RunSettings(max_examples=3, seed=1, phases=("examples",),
                                     operations=("createTicket", "/tickets/{ticket_id}/notes")))
    assert set(result.operations) == {"POST /tickets", "GET /tickets/{ticket_id}/notes",
                                      "POST /tickets/{ticket_id}/notes"}
    with pytest.raises(TargetError, match="no operation 'creatTicket' \\(did you mean 'createTicket'\\?\\)"):
        run(target, RunSettings(operations=("creatTicket",)))
