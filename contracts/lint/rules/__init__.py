"""The rules: importing this package registers every rule module into `RULES`."""

# A new rule module is added to the import list below; tests/lint/test_registry.py fails when a
# module in this folder is not imported here or registers nothing.

from __future__ import annotations

from contracts.lint.registry import RULES
from contracts.lint.rules import (  # noqa: F401 - imported for their @register side effect
    duplicated_entry_in_enum,
    key_duplicates,
    link_expression,
    link_operation,
    mock_body_example,
    mock_error_schema,
    mock_readonly_ids,
    no_ambiguous_paths,
    no_identical_paths,
    no_invalid_parameter_examples,
    no_ref_siblings,
    no_unresolved_refs,
    nullable_type_sibling,
    oas3_api_servers,
    oas3_examples_value_or_externalvalue,
    oas3_operation_security_defined,
    oas3_schema,
    oas3_server_trailing_slash,
    oas3_unused_component,
    oas3_valid_media_example,
    oas3_valid_schema_example,
    operation_4xx_response,
    operation_operationid,
    operation_operationid_unique,
    operation_operationid_valid_in_url,
    operation_parameters,
    operation_success_response,
    operation_summary,
    operation_tag_defined,
    operation_tags,
    parser,
    path_keys_no_trailing_slash,
    path_not_include_query,
    path_params,
    typed_enum,
    unused_lint_ignore,
)

__all__ = ["RULES"]
