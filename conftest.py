"""pytest hooks of the repository.

An Odoo test class tagged ``service_demo`` (``@tagged(..., "service_demo")``) is about the demo
data itself (the demo journeys, the tours that document the demo personas): it gets the pytest
marker of the same name, so that the rest is run on a database without demo data with
``-m "not service_demo"`` (see README.md, "Tests without demo data").
"""

import pytest

DEMO_TAG = "service_demo"


def pytest_collection_modifyitems(config, items):
    for item in items:
        cls = getattr(item, "cls", None)
        if cls is not None and DEMO_TAG in getattr(cls, "test_tags", ()):
            item.add_marker(pytest.mark.service_demo)
