import io

from odoo import http
from odoo.addons.service_portal.tests.a11y import AxeTourMixin, FieldErrorAssertions
from odoo.tests import HttpCase, tagged

from .common import LicensingSetupMixin


@tagged("post_install", "-at_install")
class TestLicensingFormErrorsAccessibility(
    FieldErrorAssertions, AxeTourMixin, LicensingSetupMixin, HttpCase
):
    """The licensing forms (buy, change request, allocation, technician edit and removal,
    admins) and the technician's note form, answered with an error: the refused field has
    aria-invalid and points at the message (aria-describedby), which is announced."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_licensing_base()
        cls._setup_licensing(cls.env)
        cls.license = cls.env["service.license"].create(
            {
                "subscription_id": cls.subscription.id,
                "name": "Tina Tech",
                "email": "tina@acme.example",
            }
        )

    def _post(self, url, **form):
        return self.url_open(url, data={"csrf_token": http.Request.csrf_token(self), **form})

    def test_account_forms_errors_name_their_field(self):
        self.authenticate(self.owner.login, self.owner.login)
        sub, lic = self.subscription, self.license
        product = self.plan_monthly.product_tmpl_id
        cases = [
            (
                "/my/technicians/allocate",
                {"subscription_id": sub.id, "name": "Tom", "email": "no address"},
                "allocate_email",
                "Enter a valid email address for the technician.",
            ),
            (
                "/my/technicians/allocate",
                {"subscription_id": sub.id, "name": " ", "email": "tom@acme.example"},
                "allocate_name",
                "The technician's name is required.",
            ),
            (
                "/my/technicians/allocate",
                {"subscription_id": sub.id, "name": "T", "email": "t@acme.example", "state": "x"},
                "allocate_state",
                "Choose an allocation status from the list.",
            ),
            (
                "/my/technicians/allocate",
                {"name": "Tom", "email": "tom@acme.example"},
                "allocate_subscription",
                "Choose the plan to take the licence from.",
            ),
            (
                f"/my/technicians/{lic.id}/edit",
                {"name": "Tina", "email": "tina@acme.example", "device_type": "fax"},
                f"edit_device_type_{lic.id}",
                "Choose a device type from the list.",
            ),
            (
                f"/my/technicians/{lic.id}/remove",
                {"confirm": "delete"},
                f"confirm_{lic.id}",
                "Type DELETE in capitals",
            ),
            (
                "/my/admins/add",
                {"name": "Nina", "email": "nina at acme"},
                "admin_email",
                "Enter a valid email address for the admin.",
            ),
            ("/my/admins/add", {"name": "", "email": "n@acme.example"}, "admin_name", "required"),
            (
                f"/my/purchases/{sub.id}/change",
                {"kind": "reduce", "quantity": "99"},
                f"change_quantity_{sub.id}",
                "Enter the number of licences to keep",
            ),
            (
                f"/my/purchases/{sub.id}/change",
                {"kind": "cancel", "comment": "<b>now</b>"},
                f"change_comment_{sub.id}",
                "must be plain text",
            ),
            (
                f"/my/purchases/{sub.id}/change",
                {"kind": "other"},
                f"change_kind_{sub.id}",
                "Choose whether to cancel",
            ),
            (
                "/my/purchases/buy_on_account",
                {"product_id": self.plan_annual.product_tmpl_id.id, "quantity": "0"},
                f"quantity_{self.plan_annual.product_tmpl_id.id}",
                "Choose a quantity between 1 and 1000.",
            ),
            (
                "/my/purchases/buy",
                {"product_id": product.id, "quantity": "5000"},
                f"quantity_{product.id}",
                "Choose a quantity between 1 and 1000.",
            ),
        ]
        for url, form, field_id, message in cases:
            with self.subTest(url=url, form=form):
                # refused: sent back to the page, which marks the field and keeps the input
                page = self._post(url, **form)
                self.assertEqual(page.status_code, 200)
                self.assertNotIn("?", page.url)
                self.assert_field_error(page.text, field_id, message)
        self.assertEqual(lic.device_type, "ios", "the refused edit changed nothing")
        self.assertEqual(lic.state, "allocated")
        self.assertEqual(sub.license_ids, lic, "no licence from a refused allocation")

    def test_refused_edit_opens_its_form(self):
        self.authenticate(self.owner.login, self.owner.login)
        page = self._post(
            f"/my/technicians/{self.license.id}/edit", name="Tina", email="not-an-address"
        )
        self.assert_field_error(
            page.text, f"edit_email_{self.license.id}", "Enter a valid email address"
        )
        self.assertRegex(page.text, r"<details[^>]*open[^>]*>\s*<summary[^>]*>Edit</summary>")

    def test_technician_note_errors_name_their_field(self):
        terry = self.terry
        order = self.north_order
        self.authenticate(terry.login, terry.login)
        page = self._post(f"/my/work/{order.id}/note", note="   ")
        self.assert_field_error(page.text, "note", "Write a note or add a photo.")
        page = self.url_open(
            f"/my/work/{order.id}/note",
            data={"note": "x", "csrf_token": http.Request.csrf_token(self)},
            files={"photos": ("evil.exe", io.BytesIO(b"MZ"), "application/x-msdownload")},
        )
        self.assert_field_error(page.text, "photos", "is not a photo")
        # shown once: the next visit of the page is clean
        page = self.url_open(f"/my/work/{order.id}")
        self.assertNotIn('aria-invalid="true"', page.text)

    def test_pages_showing_errors_are_accessible(self):
        """axe (and reflow at 320 px) on the allocation form and the technician's note form
        as they show an error."""
        self.owner.password = self.owner.login
        self.assert_pages_accessible(
            self.owner.login,
            [
                (
                    "/my/technicians",
                    "#allocate_name[aria-invalid=true][aria-describedby=service_error]",
                    [
                        {"trigger": "details summary.btn-primary", "run": "click"},
                        # longer than a name may be: only the server refuses it
                        {"trigger": "input#allocate_name", "run": "edit " + "Tom" * 50},
                        {"trigger": "input#allocate_email", "run": "edit tom@acme.example"},
                        {
                            "trigger": "form.o_service_allocate button[type=submit]",
                            "run": "click",
                            "expectUnloadPage": True,
                        },
                    ],
                ),
            ],
        )
        terry = self.terry
        terry.password = terry.login
        order = self.north_order
        self.assert_pages_accessible(
            terry.login,
            [
                (
                    f"/my/work/{order.id}",
                    "#note[aria-invalid=true][aria-describedby=service_error]",
                    [
                        {
                            "trigger": "#service_work_note button[type=submit]",
                            "run": "click",
                            "expectUnloadPage": True,
                        },
                    ],
                ),
            ],
        )
