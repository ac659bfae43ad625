"""The four manifests say what PRODUCT.md and the foundation issue ask of them."""

import ast
from pathlib import Path

import pytest

ADDONS = Path(__file__).resolve().parent.parent / "addons"
EXPECTED_DEPENDS = {
    "service_portal": {
        "portal",
        "website",
        "auth_signup",
        "mail",
        "sale_management",
        "account_payment",
    },
    "service_helpdesk": {"service_portal"},
    "service_licensing": {"service_portal", "payment_stripe"},
    # the bridge: what licensing does when the help desk is installed too
    "service_licensing_helpdesk": {"service_licensing", "service_helpdesk"},
}
# Installed by Odoo as soon as their dependencies are, never chosen by hand.
BRIDGES = {"service_licensing_helpdesk"}
ENTERPRISE_ONLY = {
    "helpdesk",
    "knowledge",
    "industry_fsm",
    "sale_subscription",
    "documents",
    "web_studio",
}


@pytest.mark.parametrize("module", sorted(EXPECTED_DEPENDS))
def test_manifest(module):
    manifest = ast.literal_eval((ADDONS / module / "__manifest__.py").read_text(encoding="utf-8"))
    assert manifest["version"].startswith("19.0.") and len(manifest["version"].split(".")) == 5
    assert manifest["license"] == "LGPL-3"
    assert manifest["summary"] and manifest["category"]
    assert set(manifest["depends"]) >= EXPECTED_DEPENDS[module]
    assert not set(manifest["depends"]) & ENTERPRISE_ONLY
    for data_file in manifest.get("data", []) + manifest.get("demo", []):
        assert (ADDONS / module / data_file).is_file(), data_file
    assert manifest.get("auto_install", False) is (module in BRIDGES)
    assert (ADDONS / module / "README.rst").is_file()
    assert (ADDONS / module / "i18n" / f"{module}.pot").is_file()
    # access rights for the models it creates (a bridge creates none)
    creates_models = any(
        "_name = " in path.read_text(encoding="utf-8")
        for path in (ADDONS / module).glob("models/*.py")
    )
    assert (ADDONS / module / "security").is_dir() or not creates_models
    assert (ADDONS / module / "tests" / "__init__.py").is_file()
