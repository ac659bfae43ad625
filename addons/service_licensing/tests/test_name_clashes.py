import inspect

from odoo import fields, models
from odoo.tests import TransactionCase, tagged

OUR_MODULES = (
    "service_portal",
    "service_helpdesk",
    "service_licensing",
    "service_licensing_helpdesk",
)


def _kind(value):
    if isinstance(value, fields.Field):
        return "field"
    if isinstance(value, property):
        return "property"
    if isinstance(value, (classmethod, staticmethod)) or inspect.isfunction(value):
        return "method"
    return "attribute"


def _is_definition(klass):
    """A class written in an addon (the registry builds its own classes around them)."""
    return issubclass(klass, models.BaseModel) and "pool" not in klass.__dict__


@tagged("post_install", "-at_install")
class TestNoShadowedOdooNames(TransactionCase):
    """A field named like an Odoo method (e.g. ``has_access``) replaces that method on
    every record: the web client, mail and portal then fail with "'bool' object is not
    callable". This lists, from the registry, every name our addons define on any model
    (theirs or Odoo's) and compares it with what Odoo defines under that name."""

    def _odoo_definitions(self):
        """The classes, not written by our addons, that every record may rely on."""
        return [
            klass
            for reference in ("base", "mail.thread", "portal.mixin")
            for klass in type(self.env[reference]).__mro__
            if _is_definition(klass) and klass._module not in OUR_MODULES
        ] + [models.BaseModel, models.Model]

    def test_no_field_or_method_changes_the_kind_of_an_odoo_name(self):
        shared = self._odoo_definitions()
        clashes = []
        checked = 0
        for model_name in self.env.registry:
            mro = type(self.env[model_name]).__mro__
            ours = [k for k in mro if _is_definition(k) and k._module in OUR_MODULES]
            if not ours:
                continue
            odoo = [k for k in mro if _is_definition(k) and k._module not in OUR_MODULES]
            odoo += [k for k in shared if k not in odoo]
            for klass in ours:
                for name, value in vars(klass).items():
                    if name.startswith("__"):
                        continue
                    checked += 1
                    theirs = next((k for k in odoo if name in vars(k)), None)
                    if theirs is None:
                        continue
                    mine, other = _kind(value), _kind(vars(theirs)[name])
                    if mine != other:
                        clashes.append(
                            f"{model_name}.{name} ({klass._module}): a {mine} over the "
                            f"{other} of {theirs._name or theirs.__name__} ({theirs._module})"
                        )
        self.assertGreater(checked, 200, "the addons' models were found in the registry")
        self.assertEqual(clashes, [])

    def test_the_check_finds_a_field_over_a_method(self):
        """The check above would have caught the old service.license.has_access."""
        self.assertEqual(_kind(fields.Boolean()), "field")
        base_kind = _kind(vars(models.BaseModel)["has_access"])
        self.assertEqual(base_kind, "method")
        self.assertNotIn("has_access", self.env["service.license"]._fields)
        self.assertTrue(callable(self.env["service.license"].has_access))
        self.assertTrue(self.env["service.license"].has_access("read"))
