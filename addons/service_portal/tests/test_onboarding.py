import re

from lxml import html

from odoo.tests import tagged

from . import test_registration
from .a11y import AxeTourMixin
from .common import ServicePortalHttpCase

LAYOUT_MARK = "o_service_mail_layout"


@tagged("post_install", "-at_install")
class TestOnboarding(AxeTourMixin, ServicePortalHttpCase):
    """After the registration's verification link or an invitation: the same "choose your
    password" page; the onboarding emails in one frame; the link wizard's suggestion."""

    # the registration tests' helpers, not their tests (pytest would run those twice)
    _post_registration = test_registration.TestRegistration._post_registration
    _verification_link = test_registration.TestRegistration._verification_link
    _mails_to = staticmethod(test_registration.TestRegistration._mails_to)
    _follow_link_and_set_password = test_registration.TestRegistration._follow_link_and_set_password
    _registration = test_registration.TestRegistration._registration
    _users = test_registration.TestRegistration._users

    def setUp(self):
        super().setUp()
        self.authenticate(None, None)

    def _mail(self, email, subject=None):
        mail = self.env["mail.mail"].search(self._mails_to(email, subject), order="id desc")[:1]
        self.assertTrue(mail, f"no mail to {email} ({subject})")
        return mail

    def _assert_framed(self, mail):
        root = html.fromstring(mail.body_html)
        frame = root.xpath(f"//table[contains(@class, '{LAYOUT_MARK}')]")
        self.assertEqual(len(frame), 1, f"{mail.subject}: in the onboarding frame")
        self.assertIn(self.env.company.name, frame[0].text_content())
        self.assertTrue(root.xpath("//*[@lang]"), "says its language")

    def _invite(self, name, email):
        contact = self.env["res.partner"].create(
            {"name": name, "email": email, "parent_id": self.south.id}
        )
        wizard = self.env["portal.wizard"].create({"partner_ids": [contact.id]})
        wizard.user_ids.filtered(lambda line: line.partner_id == contact).action_grant_access()
        return contact

    def _invitation_link(self, email):
        mail = self._mail(email, "choose your password")
        match = re.search(r'href="([^"]*/web/signup\?[^"]*)"', mail.body_html)
        self.assertTrue(match, "the invitation links to the signup page")
        return "/web/signup" + match.group(1).replace("&amp;", "&").split("/web/signup", 1)[1]

    def test_staff_invitation_opens_the_choose_password_page(self):
        contact = self._invite("Ivy Invited", "ivy@winslow.example")
        link = self._invitation_link("ivy@winslow.example")
        page = self.url_open(link)
        self.assertEqual(page.status_code, 200)
        self.assertIn("Choose your password", page.text)
        self.assertIn("ivy@winslow.example", page.text)
        self.assertNotIn('name="login"', page.text, "the invited address is not editable")
        self.assertNotIn("Already have an account", page.text)
        response = self._follow_link_and_set_password(link, login="other@example.com")
        self.assertEqual(response.status_code, 200)
        self.assertTrue(response.url.endswith("/my"), response.url)
        self.env.invalidate_all()
        user = contact.user_ids
        self.assertEqual(user.login, "ivy@winslow.example")
        self.assertFalse(self._users("other@example.com"))
        self.authenticate(None, None)
        self.authenticate("ivy@winslow.example", "a-Strong-pass-9")
        self.assertIn("South Campus", self.url_open("/my/sites").text)
        # used: the link now says so, it does not open Odoo's sign-up form
        self.authenticate(None, None)
        self.assertIn("This link no longer works", self.url_open(link).text)

    def test_the_onboarding_emails_share_one_frame(self):
        self._post_registration(name="Frank Frame", email="frank@example.com")
        self._assert_framed(self._mail("frank@example.com", "Verify"))
        self._follow_link_and_set_password(self._verification_link("frank@example.com"))
        self.env.invalidate_all()
        registration = self._registration("frank@example.com")
        registration.action_link(self.winslow)
        self._assert_framed(self._mail("frank@example.com", "ready"))
        self._invite("Ivy Invited", "ivy@winslow.example")
        self._assert_framed(self._mail("ivy@winslow.example", "choose your password"))

    def test_link_wizard_suggests_the_customer(self):
        Registration = self.env["service.portal.registration"]

        def registration(email, company_name=False):
            partner = self.env["res.partner"].create({"name": "Someone", "email": email})
            return Registration.create(
                {
                    "name": "Someone",
                    "email": email,
                    "company_name": company_name,
                    "partner_id": partner.id,
                    "state": "waiting",
                }
            )

        def suggested(*registrations):
            action = Registration.browse([r.id for r in registrations]).action_open_link_wizard()
            Wizard = self.env[action["res_model"]].with_context(**action["context"])
            return Wizard.default_get(["partner_id", "registration_ids"]).get("partner_id")

        typed = registration("anyone@example.org", "  winslow HOLDINGS ")
        same_domain = registration("newcomer@winslow-holdings.example")
        webmail = registration("someone@gmail.com", "Winslow")
        wildcard = registration("x@example.org", "Wins%")
        self.assertEqual(suggested(typed), self.winslow.id)
        self.assertEqual(suggested(same_domain), self.winslow.id)
        self.assertFalse(suggested(webmail), "neither an exact name nor a company domain")
        self.assertFalse(suggested(wildcard), "typed text is never a pattern")
        self.assertEqual(suggested(typed, same_domain), self.winslow.id)
        parkway = registration("p@example.org", "Parkway Theatres")
        self.assertFalse(suggested(typed, parkway), "two customers: staff choose")
        # the form opened from the registration shows it
        form = self.env["service.portal.registration.link"].with_context(
            default_registration_ids=[typed.id]
        )
        self.assertEqual(form.new(form.default_get(["partner_id"])).partner_id, self.winslow)

    def test_choose_password_pages_are_accessible(self):
        """axe (and reflow at 320 px) on the "choose your password" page of an invitation
        and on the page of a link that no longer works."""
        self._invite("Ada Access", "ada@winslow.example")
        link = self._invitation_link("ada@winslow.example")
        self.assert_pages_accessible(
            None, [(link, "main form"), ("/web/signup?token=no-such-token", "main")]
        )
