from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import TransactionCase, tagged

from .common import LicensingSetupMixin


@tagged("post_install", "-at_install")
class TestLicenseAllocation(LicensingSetupMixin, TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_licensing(cls.env)

    def _allocate(self, user=None, name="Tina Tech", email="tina@acme.example", **extra):
        subscription = self.subscription.with_user(user or self.owner)
        return subscription._allocate_license({"name": name, "email": email, **extra})

    def test_owner_allocates_a_licence_to_a_new_technician(self):
        license_ = self._allocate(device_type="android")
        self.assertEqual(license_.state, "allocated")
        self.assertEqual(license_.device_type, "android")
        user = license_.sudo().user_id
        self.assertTrue(user._is_portal())
        self.assertEqual(user.login, "tina@acme.example")
        self.assertEqual(user.partner_id.parent_id, self.customer)
        self.assertEqual(self.subscription.quantity_allocated, 1)
        self.assertEqual(self.subscription.quantity_free, 2)
        self.assertTrue(license_.sudo().grants_access)

    def test_allocation_queues_verification_and_onboarding_emails(self):
        license_ = self._allocate()
        mails = self.env["mail.mail"].sudo().search([("email_to", "ilike", "tina@acme.example")])
        self.assertEqual(len(mails), 2, mails.mapped("subject"))
        onboarding = mails.filtered(lambda m: m.subject.startswith("Welcome"))
        self.assertEqual(onboarding.email_to, "tina@acme.example")
        self.assertFalse(onboarding.recipient_ids, "nobody else gets it")
        invitation = mails - onboarding  # verify the address by choosing a password
        self.assertIn(self.env.company.name, invitation.subject)
        self.assertIn("signup", invitation.body_html)
        self.assertTrue(license_.sudo().user_id.partner_id.signup_type)

    def test_secondary_owner_can_allocate_too(self):
        license_ = self._allocate(user=self.secondary)
        self.assertEqual(license_.sudo().subscription_id, self.subscription)

    def test_never_more_allocated_than_bought(self):
        for index in range(3):
            self._allocate(name=f"Tech {index}", email=f"tech{index}@acme.example")
        with self.assertRaisesRegex(UserError, "All 3 licences .* are allocated"):
            self._allocate(name="One too many", email="extra@acme.example")
        self.assertEqual(self.subscription.quantity_allocated, 3)
        self.assertFalse(
            self.env["res.users"]
            .with_context(active_test=False)
            .search([("login", "=", "extra@acme.example")])
        )

    def test_revoking_frees_the_seat_and_deactivates_the_technician(self):
        license_ = self._allocate()
        user = license_.sudo().user_id
        license_.with_user(self.owner)._revoke()
        self.assertEqual(license_.state, "revoked")
        self.assertTrue(license_.date_revoked)
        self.assertFalse(user.active, "a revoked technician loses their login at once")
        self.assertEqual(self.subscription.quantity_allocated, 0)
        # Allocating to the same email again reactivates the same user.
        again = self._allocate()
        self.assertEqual(again.sudo().user_id, user)
        self.assertTrue(user.active)

    def test_admin_who_is_also_a_technician_keeps_their_login(self):
        license_ = self._allocate(name="Olive Owner", email="olive@acme.example")
        self.assertEqual(license_.sudo().user_id, self.owner)
        license_.with_user(self.owner)._revoke()
        self.assertTrue(self.owner.active)

    def test_a_contact_who_had_portal_access_keeps_it_without_the_licence(self):
        license_ = self._allocate(name="Carl Contact", email="carl@acme.example")
        self.assertEqual(license_.sudo().user_id, self.contact)
        license_.with_user(self.owner)._revoke()
        self.assertTrue(self.contact.active)
        self.assertFalse(license_.grants_access)

    def test_an_account_archived_by_staff_is_not_restored_by_an_allocation(self):
        self.contact.active = False
        license_ = self._allocate(name="Carl Contact", email="carl@acme.example")
        self.assertFalse(license_.sudo().user_id, "the licence gives no access")
        self.assertFalse(self.contact.active)

    def test_a_technician_holds_one_licence_per_customer(self):
        self._allocate()
        with self.assertRaisesRegex(UserError, "already holds a licence"):
            self._allocate(name="Tina again")

    def test_staff_or_other_customers_accounts_are_never_reused(self):
        admin = self.env.ref("base.user_admin")
        for email, owner in ((admin.email, admin), ("gina@globex.example", self.other_owner)):
            with self.subTest(email=email):
                license_ = self._allocate(name="Somebody", email=email)
                self.assertFalse(license_.sudo().user_id, "no access through this licence")
                self.assertNotEqual(owner.partner_id.commercial_partner_id, self.customer)
                notice = (
                    self.env["mail.mail"]
                    .sudo()
                    .search([("email_to", "=", license_.email)], order="id desc", limit=1)
                )
                self.assertIn("already belongs to another account", notice.body_html)
                self.assertFalse(
                    self.env["mail.mail"]
                    .sudo()
                    .search([("email_to", "=", license_.email), ("subject", "=like", "Welcome%")])
                )
                with self.assertRaisesRegex(UserError, "already holds a licence"):
                    self._allocate(name="Somebody", email=email)

    def test_bad_input_gets_a_clear_message(self):
        with self.assertRaisesRegex(UserError, "valid email"):
            self._allocate(email="not-an-email")
        with self.assertRaisesRegex(UserError, "name is required"):
            self._allocate(name="   ")
        with self.assertRaisesRegex(UserError, "device type"):
            self._allocate(device_type="toaster")
        with self.assertRaisesRegex(UserError, "allocation status"):
            self._allocate(state="revoked")

    def test_no_allocation_unless_the_subscription_is_active(self):
        self.subscription.state = "past_due"
        with self.assertRaisesRegex(UserError, "cannot be allocated while"):
            self._allocate()

    def test_only_the_customers_admins_allocate(self):
        for user in (self.contact, self.other_owner):
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                self._allocate(user=user)

    def test_edit_changes_details_and_moves_the_seat_to_the_new_email(self):
        license_ = self._allocate()
        old_user = license_.sudo().user_id
        license_.with_user(self.owner)._update_from_portal(
            {"name": "Tina Tech-Smith", "device_type": "windows", "state": "paused"}
        )
        self.assertEqual(license_.name, "Tina Tech-Smith")
        self.assertEqual(license_.state, "paused")
        self.assertFalse(license_.grants_access)
        self.assertEqual(self.subscription.quantity_allocated, 1, "a paused licence keeps its seat")
        license_.with_user(self.owner)._update_from_portal({"email": "tina.new@acme.example"})
        self.assertEqual(license_.user_id.login, "tina.new@acme.example")
        self.assertFalse(old_user.active)
        with self.assertRaises(AccessError):
            license_.with_user(self.contact)._update_from_portal({"name": "Hacked"})

    def test_portal_rules_show_subscriptions_and_licences_to_admins_only(self):
        license_ = self._allocate()
        technician = license_.sudo().user_id
        Subscription = self.env["service.subscription"]
        License = self.env["service.license"]
        self.assertEqual(Subscription.with_user(self.owner).search([]), self.subscription)
        self.assertEqual(Subscription.with_user(self.secondary).search([]), self.subscription)
        self.assertEqual(License.with_user(self.owner).search([]), license_)
        for user in (self.contact, self.other_owner, technician):
            with self.subTest(user=user.login):
                self.assertFalse(Subscription.with_user(user).search([]))
                with self.assertRaises(AccessError):
                    self.subscription.with_user(user).read(["quantity"])
        self.assertFalse(License.with_user(self.other_owner).search([]))
        self.assertFalse(License.with_user(self.contact).search([]))
        self.assertEqual(License.with_user(technician).search([]), license_)
        with self.assertRaises(AccessError):
            self.subscription.with_user(self.owner).write({"quantity": 99})

    def test_demoting_an_admin_takes_effect_at_once(self):
        Subscription = self.env["service.subscription"]
        self.assertTrue(Subscription.with_user(self.secondary).search([]))
        self.secondary.partner_id.service_admin_role = False
        self.assertFalse(Subscription.with_user(self.secondary).search([]))

    def test_one_owner_per_customer_and_admins_are_contacts(self):
        with self.assertRaisesRegex(ValidationError, "already has an owner"):
            self.contact.partner_id.service_admin_role = "owner"
        with self.assertRaisesRegex(ValidationError, "cannot administer licences"):
            self.customer.service_admin_role = "secondary"

    def test_subscription_belongs_to_the_commercial_partner(self):
        with self.assertRaisesRegex(ValidationError, "belong to the customer organisation"):
            self.env["service.subscription"].create(
                {"partner_id": self.contact.partner_id.id, "product_id": self.plan_monthly.id}
            )

    def test_addons_give_no_licences(self):
        addon_sub = self.env["service.subscription"].create(
            {
                "partner_id": self.customer.id,
                "product_id": self.addon.id,
                "quantity": 2,
                "state": "active",
            }
        )
        with self.assertRaisesRegex(UserError, "does not give technician licences"):
            addon_sub.with_user(self.owner)._allocate_license(
                {"name": "T", "email": "t@acme.example"}
            )
