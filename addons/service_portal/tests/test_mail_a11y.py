import re

from lxml import html

from odoo.tests import TransactionCase, tagged

from .common import ServicePortalCommon

ADDONS = (
    "service_portal",
    "service_helpdesk",
    "service_licensing",
    "service_licensing_helpdesk",
)
STYLE_COLOR = re.compile(r"(?:^|;)\s*(background-color|color)\s*:\s*(#[0-9a-fA-F]{3,6})")


def _luminance(hex_color):
    hex_color = hex_color.lstrip("#")
    if len(hex_color) == 3:
        hex_color = "".join(c * 2 for c in hex_color)
    channels = [int(hex_color[i : i + 2], 16) / 255 for i in (0, 2, 4)]
    r, g, b = (c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(foreground, background):
    lighter, darker = sorted((_luminance(foreground), _luminance(background)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


@tagged("post_install", "-at_install")
class TestMailAccessibility(ServicePortalCommon, TransactionCase):
    """The emails' HTML of the three addons (WCAG 2.1 AA where it applies to email): the
    recipient's language on the body, text alternatives, layout tables marked as such, and
    4.5:1 contrast for the colours they set."""

    def _templates(self):
        data = self.env["ir.model.data"].search(
            [("module", "in", ADDONS), ("model", "=", "mail.template")]
        )
        return self.env["mail.template"].browse(data.mapped("res_id"))

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_service_portal()

    def _sample(self, model):
        """A record to render a template of ``model`` with, built without demo data."""
        env = self.env
        if model == "service.portal.registration":
            partner = env["res.partner"].create(
                {"name": "Ada Lovelace", "email": "ada@example.com"}
            )
            return env[model].create(
                {
                    "name": partner.name,
                    "email": partner.email,
                    "company_name": "Engines Ltd",
                    "partner_id": partner.id,
                }
            )
        if model == "service.order":
            return self.north_order
        if model == "service.ticket":
            return env[model].create({"subject": "Heating off", "partner_id": self.winslow.id})
        if model in ("service.subscription", "service.license"):
            plan = env["product.template"].create(
                {
                    "name": "Technician licence, monthly",
                    "type": "service",
                    "service_plan_kind": "monthly",
                    "service_stripe_price_id": "price_mail_a11y",
                }
            )
            subscription = env["service.subscription"].create(
                {
                    "partner_id": self.winslow.id,
                    "product_id": plan.product_variant_id.id,
                    "quantity": 2,
                    "state": "active",
                }
            )
            if model == "service.subscription":
                return subscription
            return env[model].create(
                {
                    "subscription_id": subscription.id,
                    "name": "Terry Tech",
                    "email": "terry@winslow-holdings.example",
                }
            )
        self.fail(f"no {model} to render with")

    def _styles(self, element):
        return dict(STYLE_COLOR.findall(element.get("style") or ""))

    def _effective(self, element, prop, default):
        for node in [element, *element.iterancestors()]:
            value = self._styles(node).get(prop)
            if value:
                return value
        return default

    def test_emails_are_accessible(self):
        templates = self._templates()
        self.assertGreaterEqual(len(templates), 10)
        for template in templates:
            record = self.env[template.model].search([], limit=1) or self._sample(template.model)
            body = template._render_field("body_html", record.ids, compute_lang=True)[record.id]
            with self.subTest(template=template.name):
                root = html.fragment_fromstring(str(body), create_parent="div")
                langs = [el.get("lang") for el in root.iter() if el.get("lang")]
                self.assertTrue(langs, "the email says which language it is in (lang=)")
                self.assertRegex(langs[0], r"^[a-z]{2,3}(-[A-Za-z0-9]+)*$")
                for img in root.iter("img"):
                    self.assertIsNotNone(img.get("alt"), f"image without alt: {html.tostring(img)}")
                for table in root.iter("table"):
                    if not table.findall(".//th"):
                        self.assertEqual(table.get("role"), "presentation")
                for element in root.iter():
                    if not self._styles(element) or not element.text_content().strip():
                        continue
                    ratio = contrast(
                        self._effective(element, "color", "#000000"),
                        self._effective(element, "background-color", "#ffffff"),
                    )
                    self.assertGreaterEqual(
                        ratio, 4.5, f"contrast {ratio:.2f}:1 in {html.tostring(element)[:200]}"
                    )
