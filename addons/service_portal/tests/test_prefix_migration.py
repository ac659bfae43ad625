"""The migrations that gave our fields on Odoo's models the ``service_`` prefix rename in
place (utils.rename_fields): the values stay, the field's record and xmlid follow, and a
second run changes nothing."""

import importlib.util

from odoo.tests import TransactionCase, tagged
from odoo.tools.misc import file_path
from odoo.tools.sql import column_exists

from ..utils import rename_fields


def _migration(module, version):
    path = file_path(f"{module}/migrations/{version}/pre-service_prefix.py")
    spec = importlib.util.spec_from_file_location(f"{module}_pre_service_prefix", path)
    script = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(script)
    return script


@tagged("post_install", "-at_install")
class TestPrefixMigration(TransactionCase):
    def _field_xmlids(self, model, name):
        self.env.cr.execute(
            "SELECT d.name FROM ir_model_data d JOIN ir_model_fields f ON f.id = d.res_id"
            " WHERE d.model = 'ir.model.fields' AND f.model = %s AND f.name = %s",
            [model, name],
        )
        return [row[0] for row in self.env.cr.fetchall()]

    def test_a_stored_field_keeps_its_values_its_record_and_its_xmlid(self):
        cr = self.env.cr
        site = self.env["res.partner"].create(
            {"name": "Depot", "parent_id": self.env.company.partner_id.id}
        )
        site.service_is_job_site = True
        site.flush_recordset()
        field = self.env["ir.model.fields"]._get("res.partner", "service_is_job_site")
        # the database as the previous version left it
        rename_fields(cr, {"res.partner": {"service_is_job_site": "is_job_site"}})
        self.assertTrue(column_exists(cr, "res_partner", "is_job_site"))
        self.assertEqual(
            self._field_xmlids("res.partner", "is_job_site"), ["field_res_partner__is_job_site"]
        )
        _migration("service_portal", "19.0.1.4.0").migrate(cr, "19.0.1.3.0")
        self.assertFalse(column_exists(cr, "res_partner", "is_job_site"))
        cr.execute("SELECT service_is_job_site FROM res_partner WHERE id = %s", [site.id])
        self.assertIs(cr.fetchone()[0], True)
        self.assertEqual(
            self.env["ir.model.fields"].search(
                [("model", "=", "res.partner"), ("name", "=", "service_is_job_site")]
            ),
            field,
        )
        self.assertEqual(
            self._field_xmlids("res.partner", "service_is_job_site"),
            ["field_res_partner__service_is_job_site"],
        )

    def test_a_second_run_changes_nothing(self):
        cr = self.env.cr
        for module, version in (
            ("service_portal", "19.0.1.4.0"),
            ("service_licensing", "19.0.1.5.0"),
        ):
            _migration(module, version).migrate(cr, version)
        self.assertTrue(column_exists(cr, "res_partner", "service_notify_invoices"))
        self.assertTrue(column_exists(cr, "product_template", "service_stripe_price_id"))
        self.assertEqual(
            self._field_xmlids("product.template", "service_stripe_price_id"),
            ["field_product_template__service_stripe_price_id"],
        )
