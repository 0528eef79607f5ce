"""What a contract run expects of each vendor beyond its spec, as data (one entry per vendor)."""

from __future__ import annotations

from dataclasses import dataclass

# Schemathesis 4.32's default expected statuses for positive_data_acceptance.
POSITIVE_STATUSES = ("2xx", "3xx", "401", "403", "404", "409", "429", "5xx")


@dataclass(frozen=True)
class Profile:
    """Per-vendor adjustments to Schemathesis' defaults, each with the documented reason.

    `rule_statuses`: statuses the vendor answers to schema-valid requests that break a documented
    business rule the schema cannot express (a name that must come from a list, "at least one of two
    identifiers"); positive_data_acceptance accepts them for the listed operations ("*" = all).
    """

    rate_limit: str = "5/s"  # for --base-url targets; well under every documented vendor limit
    rule_statuses: tuple[str, ...] = ()
    rule_operations: tuple[str, ...] = ("*",)
    reason: str = ""

    def positive_statuses(self) -> list[str]:
        return [*POSITIVE_STATUSES, *self.rule_statuses]


PROFILES: dict[str, Profile] = {
    "flowretail": Profile(
        rule_statuses=("400",),
        reason="Flow Retail (inferred) answers 400 VALIDATION_FAILED for a body field naming a customer, "
               "service type, status, user or hourly rate that does not exist"),
    "jifeline": Profile(
        rule_statuses=("400",), rule_operations=("updateInProgressTicket", "transitionInProgressTicket"),
        reason="Jifeline answers 400 (its documented 'Bad request') for an operator, provider, product or "
               "cancel reason that names no known record"),
    "spacebring": Profile(
        rate_limit="5/s", rule_statuses=("400",),
        reason="Spacebring documents 10 requests/s per client, and answers 400 responseError (its only "
               "documented error) for references that do not exist in the location"),
    "bloxs": Profile(
        rule_statuses=("400",),
        reason="Bloxs answers 400 ValidationProblemDetails for names not in the states/categories lists, "
               "unknown relations and missing identifiers, all documented but not expressible in the schema"),
}


def profile_for(slug: str) -> Profile:
    return PROFILES.get(slug, Profile())
