"""Since 19.0.1.3.0 open orders carry the checklist of their kind, and the sign-up
parameters are set by the install hook, which remembers the values it found so that
uninstalling puts them back. Databases installed before did not remember them: record what
auth_signup sets at its own install, which they had then."""

import json

from odoo import api
from odoo.addons.service_portal.hooks import FOUND_PARAMS_KEY


def migrate(cr, version):
    env = api.Environment(cr, api.SUPERUSER_ID, {})
    params = env["ir.config_parameter"].sudo()
    if not params.get_param(FOUND_PARAMS_KEY):
        found = {"auth_signup.invitation_scope": "b2c", "auth_signup.reset_password": "True"}
        params.set_param(FOUND_PARAMS_KEY, json.dumps(found))
    _fill_checklists(env)


def _fill_checklists(env):
    """Orders still open get the checklist of their kind, as new orders do."""
    env["service.order"]._checklist_fill_open()
