"""The contract suite: every API's target (the in-process mock by default) against its spec."""

from __future__ import annotations

import pytest

from contracts.redaction import Redactor
from contracts.report import format_run
from contracts.runner import RunSettings, run
from contracts.targets import resolve_target


def test_api_honours_its_spec(contract_slug: str, request: pytest.FixtureRequest) -> None:
    base_url = request.config.getoption("contract_base_url")
    target = resolve_target(contract_slug, base_url=base_url,
                            allow_writes=request.config.getoption("contract_allow_writes"))
    settings = RunSettings(max_examples=request.config.getoption("contract_max_examples"), seed=1)
    try:
        result = run(target, settings)
    finally:
        target.close()
    report = format_run(result, in_process=base_url is None, redactor=Redactor(target.credentials.secrets))
    assert result.operations, f"no operation of {contract_slug} was tested:\n{report}"
    assert result.passed, report
    if "stateful" in settings.phases:
        assert result.scenarios, f"the stateful phase ran no scenario for {contract_slug}"
