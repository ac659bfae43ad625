import json

# Odoo's free sign-up logs people in without verifying their email: registration goes through
# /portal/register instead, which verifies it first. Set at install (not by a data file, which
# would undo an administrator's choice at every upgrade) and put back as found at uninstall.
SIGNUP_PARAMS = {
    "auth_signup.invitation_scope": "b2b",
    "auth_signup.reset_password": "True",
}
# where the values found at install are kept (JSON; null: the parameter was not set)
FOUND_PARAMS_KEY = "service_portal.params_found_at_install"


def post_init_hook(env):
    params = env["ir.config_parameter"].sudo()
    found = {key: params.get_param(key) or None for key in SIGNUP_PARAMS}
    params.set_param(FOUND_PARAMS_KEY, json.dumps(found))
    for key, value in SIGNUP_PARAMS.items():
        params.set_param(key, value)


def uninstall_hook(env):
    params = env["ir.config_parameter"].sudo()
    try:
        found = json.loads(params.get_param(FOUND_PARAMS_KEY) or "{}")
    except ValueError:
        found = {}
    for key, value in found.items():
        if key in SIGNUP_PARAMS:
            # set_param with False deletes the parameter: Odoo's default applies again
            params.set_param(key, value or False)
    params.set_param(FOUND_PARAMS_KEY, False)
