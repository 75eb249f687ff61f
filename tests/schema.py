"""The JSON Schema shipped in the package, applied to every JSON report the tests make.

Tests read a report through :func:`report_of` (text, from a command's output)
or :func:`valid_report` (a dict built in the test), and a link's JSON through
:func:`valid_link`: each validates against ``derivs/report.schema.json`` with
``jsonschema`` before the test looks inside, so that the schema a program
relies on is the shape every report really has.
"""

from __future__ import annotations

import json
from typing import Any

from jsonschema import Draft202012Validator

from derivs.report import json_schema

SCHEMA = json_schema()
Draft202012Validator.check_schema(SCHEMA)
REPORTS = Draft202012Validator(SCHEMA)
LINKS = Draft202012Validator({"$defs": SCHEMA["$defs"], "$ref": "#/$defs/link"})


def valid_report(report: dict[str, Any]) -> dict[str, Any]:
    """``report``, after checking that it follows the schema (else a ValidationError)."""
    REPORTS.validate(report)
    return report


def report_of(text: str) -> dict[str, Any]:
    """The JSON report printed as ``text``, validated against the schema."""
    return valid_report(json.loads(text))


def valid_link(found: dict[str, Any]) -> dict[str, Any]:
    """One link's JSON, after checking it against the schema's ``link``."""
    LINKS.validate(found)
    return found
