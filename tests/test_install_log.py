"""Installing the four addons on a fresh database logs no WARNING or ERROR from them.

`make test` installs them into its throwaway database with the log at INFO level and
passes the log's path in SERVICE_PORTAL_INSTALL_LOG.
"""

import os
import re
from pathlib import Path

import pytest

LOG_LINE = re.compile(
    r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d+ \d+ "
    r"(?P<level>[A-Z]+) (?P<db>\S+) (?P<logger>[\w.]+): (?P<message>.*)$"
)
OURS = re.compile(
    r"\bservice_(portal|helpdesk|licensing|licensing_helpdesk)\b|\bservice\.[a-z_.]+\b|\bres\.partner\b.*\bjob_site"
)


def _install_log():
    path = os.environ.get("SERVICE_PORTAL_INSTALL_LOG")
    if not path:
        pytest.fail("SERVICE_PORTAL_INSTALL_LOG is not set: run the tests with `make test`.")
    log = Path(path)
    assert log.is_file(), f"install log {log} is missing"
    return log.read_text(encoding="utf-8", errors="replace").splitlines()


def test_install_log_shows_the_four_addons_loaded():
    lines = _install_log()
    for module in (
        "service_portal",
        "service_helpdesk",
        "service_licensing",
        "service_licensing_helpdesk",
    ):
        assert any(f"Loading module {module} " in line for line in lines), (
            f"{module} was not installed"
        )
    assert any("Modules loaded." in line for line in lines)


def test_install_logs_no_warning_or_error_from_our_addons():
    problems = []
    for line in _install_log():
        match = LOG_LINE.match(line)
        if not match or match["level"] not in {"WARNING", "ERROR", "CRITICAL"}:
            continue
        if match["logger"].startswith("odoo.addons.service_") or OURS.search(match["message"]):
            problems.append(line)
    assert not problems, "the install logged:\n" + "\n".join(problems)


def test_the_check_recognises_a_warning_about_our_models():
    """Guard the guard: a typical Odoo warning about one of our models must be caught."""
    sample = (
        "2026-11-23 18:22:21,940 7673 WARNING db odoo.modules.loading: "
        "The models ['service.order'] have no access rules in module service_portal"
    )
    match = LOG_LINE.match(sample)
    assert match and match["level"] == "WARNING"
    assert OURS.search(match["message"])
