from odoo import models

from ..const import ONBOARDING_LAYOUT


class PortalWizardUser(models.TransientModel):
    _inherit = "portal.wizard.user"

    def _send_email(self):
        """Odoo's invitation, in the portal's own words and frame (the one of every onboarding
        email), with the same signup link: following it verifies the address."""
        self.ensure_one()
        user = self.user_id.sudo()
        user.partner_id.signup_prepare()
        self.env.ref("service_portal.mail_template_portal_invitation").with_context(
            lang=user.lang, welcome_message=self.wizard_id.welcome_message
        ).send_mail(user.id, force_send=True, email_layout_xmlid=ONBOARDING_LAYOUT)
        return True
