"""The classification rules of scripts/api-diff, in one table.

docs/api-diff.md mirrors this table row for row (tests/api_diff/test_rules.py checks it), so a
rule is changed here and in the doc together. Classifications take the client's point of view:
"request" rules are about what callers send, "response" rules about what callers read.
"""

from __future__ import annotations

from enum import StrEnum
from typing import NamedTuple


class Classification(StrEnum):
    """How a change affects existing users of the client."""

    BREAKING = "breaking"
    REVIEW = "review"
    NON_BREAKING = "non-breaking"

    @property
    def severity(self) -> int:
        """Order for ``--fail-on`` and sorting: breaking (2) > review (1) > non-breaking (0)."""
        return {"breaking": 2, "review": 1, "non-breaking": 0}[self.value]


class Rule(NamedTuple):
    """One row of the rule table."""

    classification: Classification
    why: str


_B = Classification.BREAKING
_R = Classification.REVIEW
_N = Classification.NON_BREAKING

RULES: dict[str, Rule] = {
    # Operations (matched by operationId, then by method and path).
    "operation-added": Rule(_N, "New endpoint; nothing existing changes."),
    "operation-removed": Rule(_B, "Calls to it fail; its generated function disappears."),
    "operation-path-changed": Rule(_B, "Clients built from the old spec call a path that is gone."),
    "operation-method-changed": Rule(_B, "Clients built from the old spec use the old method."),
    "operation-id-changed": Rule(_B, "The generated function is named after the operationId."),
    # Parameters (path, query, header, cookie), keyed by location and name.
    "parameter-added-required": Rule(_B, "Existing calls do not pass it."),
    "parameter-added-optional": Rule(_N, "Existing calls keep working without it."),
    "parameter-removed": Rule(
        _B, "Callers passing it get a TypeError (and the server ignores it)."
    ),
    "parameter-renamed": Rule(_B, "Removed and added at the same place with the same type."),
    "parameter-became-required": Rule(_B, "Calls that omitted it are now rejected."),
    "parameter-became-optional": Rule(_N, "Every existing call still passes it."),
    # Request body as a whole.
    "request-body-added-required": Rule(_B, "Existing calls send no body."),
    "request-body-added-optional": Rule(_N, "Existing calls keep working without a body."),
    "request-body-removed": Rule(_B, "The generated `body` argument disappears."),
    "request-body-became-required": Rule(_B, "Calls without a body are now rejected."),
    "request-body-became-optional": Rule(_N, "Calls with a body still work."),
    "request-media-type-added": Rule(_N, "Another encoding is accepted; the old one still is."),
    "request-media-type-removed": Rule(_B, "Callers sending that encoding are rejected."),
    # Fields of request bodies (objects the caller sends), nested ones included.
    "request-field-added-required": Rule(_B, "Existing callers do not send it."),
    "request-field-added-optional": Rule(_N, "Existing callers keep working without it."),
    "request-field-removed": Rule(_B, "Callers setting it lose the model attribute."),
    "request-field-renamed": Rule(_B, "Removed and added in the same object with the same type."),
    "request-field-became-required": Rule(_B, "Callers that omitted it are now rejected."),
    "request-field-became-optional": Rule(_N, "Callers that send it still work."),
    # Fields of response bodies (objects the caller reads), nested ones included.
    "response-field-added": Rule(_N, "Readers ignore what they do not know."),
    "response-field-removed": Rule(_B, "Readers of it get nothing (UNSET) from now on."),
    "response-field-renamed": Rule(_B, "Removed and added in the same object with the same type."),
    "response-field-became-optional": Rule(_B, "Readers relying on it may now get UNSET."),
    "response-field-became-required": Rule(_N, "Readers get it more often than before."),
    # Values: a parameter or request field (request side), a response field (response side).
    "request-type-changed": Rule(_B, "Values callers send no longer validate."),
    "response-type-changed": Rule(_B, "Readers get values of another type."),
    "request-format-changed": Rule(_B, "Accepted values and the generated Python type change."),
    "response-format-changed": Rule(_B, "The generated Python type (str, UUID, datetime) changes."),
    "request-enum-value-added": Rule(_N, "Callers may send more values; old ones still work."),
    "request-enum-value-removed": Rule(_B, "Callers sending that value are rejected."),
    "response-enum-value-added": Rule(
        _N,
        "Generated enums are OPEN (templates/str_enum.py.jinja): unknown values are kept, not "
        "rejected.",
    ),
    "response-enum-value-removed": Rule(
        _R, "The server stops sending it; code comparing with the enum member may break."
    ),
    "request-became-nullable": Rule(_N, "null is accepted in addition to the old values."),
    "request-became-non-nullable": Rule(_B, "Callers sending null are rejected."),
    "response-became-nullable": Rule(_B, "Readers may now get None."),
    "response-became-non-nullable": Rule(_N, "Readers get None less often."),
    "request-default-changed": Rule(_R, "Calls that omit the value behave differently."),
    "response-default-changed": Rule(_R, "Models built without the value get another one."),
    "request-constraint-tightened": Rule(_B, "Values that were valid are now rejected."),
    "request-constraint-loosened": Rule(_N, "Every value that was valid still is."),
    "response-constraint-tightened": Rule(_N, "Readers get a subset of the old values."),
    "response-constraint-loosened": Rule(_R, "Readers may get values outside the old range."),
    "request-pattern-changed": Rule(_R, "Regular expressions cannot be compared automatically."),
    "response-pattern-changed": Rule(_R, "Regular expressions cannot be compared automatically."),
    # Response status codes and media types.
    "response-success-status-added": Rule(_R, "Callers may get a success body they never saw."),
    "response-error-status-added": Rule(_N, "Documents an error; errors are raised as before."),
    "response-status-removed": Rule(_R, "The generated return type narrows; check handlers."),
    "response-media-type-added": Rule(_N, "Another encoding is documented; the old one remains."),
    "response-media-type-removed": Rule(_B, "Readers of that encoding get nothing to parse."),
    # Security (document-wide schemes; each operation's effective requirements).
    "security-scheme-added": Rule(_N, "A new way to authenticate; old ones remain."),
    "security-scheme-removed": Rule(_B, "Callers using it can no longer authenticate."),
    "security-scheme-changed": Rule(_B, "Its type, header name or location changed."),
    "security-requirement-added": Rule(_N, "A new alternative; every old alternative remains."),
    "security-requirement-removed": Rule(_B, "Callers using that alternative are rejected."),
    # Python surface (scripts/_api_diff_python.py: every public path of overlays/ and generated/).
    "python-object-added": Rule(_N, "New public module, class, function or attribute."),
    "python-object-removed": Rule(_B, "Imports and attribute accesses of it fail."),
    "python-object-changed-kind": Rule(_B, "E.g. a function became a class or attribute."),
    "python-object-deprecated": Rule(_N, "It still works; callers get a warning."),
    "python-function-changed-async": Rule(_B, "Callers must add or drop `await`."),
    "python-parameter-added": Rule(_N, "New optional parameter; existing calls still work."),
    "python-parameter-added-required": Rule(_B, "Existing calls do not pass it."),
    "python-parameter-removed": Rule(_B, "Calls passing it fail."),
    "python-parameter-moved": Rule(_B, "Positional calls pass values to the wrong parameter."),
    "python-field-order-changed": Rule(
        _R, "Positional construction of the model shifts; keyword construction is unaffected."
    ),
    "python-parameter-changed-kind": Rule(_B, "E.g. positional-or-keyword became keyword-only."),
    "python-parameter-kind-widened": Rule(
        _N, "Keyword-only or positional-only became positional-or-keyword: old calls still work."
    ),
    "python-parameter-changed-required": Rule(_B, "Calls that omitted it fail."),
    "python-parameter-became-optional": Rule(_N, "Calls that pass it still work."),
    "python-parameter-changed-default": Rule(_R, "Calls that omit it behave differently."),
    "python-parameter-type-widened": Rule(_N, "It accepts everything it accepted before."),
    "python-parameter-type-narrowed": Rule(_B, "Values callers passed are no longer accepted."),
    "python-parameter-type-changed": Rule(_B, "It accepts other values than before."),
    "python-return-type-narrowed": Rule(_N, "Callers get a subset of what they handled."),
    "python-return-type-widened": Rule(_B, "Callers may get values they do not handle (None)."),
    "python-return-changed-type": Rule(_B, "Callers get another type back."),
    "python-attribute-type-narrowed": Rule(_N, "Readers get a subset of what they handled."),
    "python-attribute-type-widened": Rule(_B, "Readers may get values they do not handle (None)."),
    "python-attribute-changed-type": Rule(_B, "Readers get another type."),
    "python-attribute-changed-value": Rule(_R, "A constant's value changed."),
    "python-class-removed-base": Rule(_B, "isinstance checks and `except Base` no longer match."),
    "python-class-added-base": Rule(_N, "isinstance checks of the new base now match too."),
    "python-exception-added-base": Rule(
        _R, "An `except` of the new base now catches it: handlers may run in another order."
    ),
}


def classify(rule: str) -> Classification:
    """The classification of ``rule`` (a key of ``RULES``)."""
    return RULES[rule].classification
