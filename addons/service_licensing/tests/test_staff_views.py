from collections import defaultdict

from lxml import etree

from odoo import Command
from odoo.tests import HttpCase, tagged
from odoo.tools.safe_eval import safe_eval

OUR_MODULES = (
    "service_portal",
    "service_helpdesk",
    "service_licensing",
    "service_licensing_helpdesk",
)
VIEW_TYPES = ("list", "form", "kanban", "calendar", "search", "pivot", "graph")
# The staff groups the product has (see PRODUCT.md), each given to a fresh user.
STAFF_GROUPS = {
    "field_service_user": "service_portal.group_service_user",
    "field_service_manager": "service_portal.group_service_manager",
    "helpdesk_agent": "service_helpdesk.group_helpdesk_agent",
    "helpdesk_manager": "service_helpdesk.group_helpdesk_manager",
    "licensing_manager": "service_licensing.group_licensing_manager",
    "accountant": "account.group_account_invoice",
    "account_manager": "account.group_account_manager",
}


@tagged("post_install", "-at_install")
class TestStaffScreensOpen(HttpCase):
    """Every screen of our models opens for every staff group with a menu to it: each
    view through get_views, a record through each form's fields, and its chatter. The
    screens are found from the menus and views in the database, not listed by hand, so a
    new model, view or menu is covered as soon as it exists."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.personas = {"administrator": (cls.env.ref("base.user_admin"), "admin")}
        cls.env.ref("base.user_admin").password = "admin"
        for name, group in STAFF_GROUPS.items():
            if not cls.env.ref(group, raise_if_not_found=False):
                continue
            login = f"staff_views_{name}"
            user = cls.env["res.users"].create(
                {
                    "name": name.replace("_", " ").title(),
                    "login": login,
                    "password": login,
                    "email": f"{login}@example.com",
                    "group_ids": [Command.set([cls.env.ref(group).id])],
                }
            )
            cls.personas[name] = (user, login)
        # Odoo's models whose screens our addons change (Invoicing's invoices, contacts...).
        cls.extended_models = set(
            cls.env["ir.ui.view"]
            .browse(
                cls.env["ir.model.data"]
                .search([("model", "=", "ir.ui.view"), ("module", "in", OUR_MODULES)])
                .mapped("res_id")
            )
            .filtered(lambda view: view.type in VIEW_TYPES)
            .mapped("model")
        )
        cls.our_models = {
            name
            for name, model_cls in cls.env.registry.items()
            if model_cls._original_module in OUR_MODULES and not model_cls._abstract
        }

    def _screens(self, user):
        """The window actions of the menus ``user`` sees that open one of our models or
        are ours, with the models those screens show."""
        menus = self.env["ir.ui.menu"].with_user(user)
        visible = menus.browse(menus._visible_menu_ids()).sudo()
        ours = set(
            self.env["ir.model.data"]
            .search([("model", "=", "ir.ui.menu"), ("module", "in", OUR_MODULES)])
            .mapped("res_id")
        )
        actions = self.env["ir.actions.act_window"]
        for menu in visible:
            action = menu.action
            if action and action._name == "ir.actions.act_window":
                model = action.res_model
                if menu.id in ours or model in self.our_models | self.extended_models:
                    actions |= action
        return actions

    def _spec(self, node, model, fields_by_model):
        """The specification the web client reads records with: the fields the view's
        arch shows to this user (nodes of other groups are already removed), with the
        fields of the sub-views of relational fields."""
        fields_info = fields_by_model.get(model, {}).get("fields", {})
        spec = {}
        for field_node in node.iter("field"):
            if field_node is node:
                continue
            if next(field_node.iterancestors("field"), node) is not node:
                continue  # a sub-view's field: read through its relational field
            fname = field_node.get("name")
            if fname not in fields_info:
                continue
            comodel = fields_info[fname].get("relation")
            if comodel:
                sub = self._spec(field_node, comodel, fields_by_model) if len(field_node) else {}
                spec[fname] = {"fields": {"display_name": {}, **sub}}
            else:
                spec[fname] = {}
        return spec

    def _all_views(self, model):
        views = self.env["ir.ui.view"].search(
            [("model", "=", model), ("type", "in", VIEW_TYPES), ("mode", "=", "primary")]
        )
        return [(view.id, view.type) for view in views]

    def _action_views(self, action):
        """The views the web client asks for when it opens ``action``."""
        views = [(view.view_id.id, view.view_mode) for view in action.view_ids]
        modes = [mode for _view_id, mode in views]
        for mode in (action.view_mode or "list,form").split(","):
            if mode in VIEW_TYPES and mode not in modes:
                view_id = action.view_id.id if action.view_id.type == mode else False
                views.append((view_id, mode))
        return [*views, (action.search_view_id.id, "search")]

    def _open_views(self, user, model, context, domain, views, failures, opened):
        """Open each of ``views`` (pairs of view id, or False for the default, and type)
        as ``user``, list records through the list and kanban views and read one through
        the form view; return the record read."""
        Model = self.env[model].with_user(user).with_context(**context)
        record = Model.browse()
        if not Model._transient:
            record = Model.search(domain, limit=1) or Model.search([], limit=1)
        for view_id, view_type in views:
            key = (user.id, model, view_id, view_type)
            if key in opened:
                continue
            opened.add(key)
            try:
                result = Model.get_views([(view_id, view_type)])
                arch = etree.fromstring(result["views"][view_type]["arch"])
                spec = self._spec(arch, model, result["models"])
                if view_type in ("list", "kanban"):
                    Model.web_search_read(domain, spec, limit=5)
                if view_type == "form" and record:
                    values = record.web_read(spec)
                    self.assertEqual(values[0]["id"], record.id)
            except Exception as error:  # collected: all reported at once
                failures.append(f"{user.login}: {model} {view_type} {view_id}: {error!r}")
        return record

    def _open_chatter(self, user, password, record, failures):
        self.authenticate(user.login, password)
        try:
            fetched = self.make_jsonrpc_request(
                "/mail/thread/messages",
                {
                    "thread_model": record._name,
                    "thread_id": record.id,
                    "fetch_params": {"limit": 30},
                },
            )
            self.assertIn("messages", fetched)
            if not record.with_user(user).has_access("write"):
                return
            posted = self.make_jsonrpc_request(
                "/mail/message/post",
                {
                    "thread_model": record._name,
                    "thread_id": record.id,
                    "post_data": {
                        "body": f"Note from {user.name}",
                        "message_type": "comment",
                        "subtype_xmlid": "mail.mt_note",
                    },
                },
            )
            message = self.env["mail.message"].browse(posted["message_id"])
            self.assertEqual((message.model, message.res_id), (record._name, record.id))
            self.assertEqual(message.author_id, user.partner_id)
        except Exception as error:  # collected: all reported at once
            failures.append(f"{user.login}: chatter of {record._name} {record.id}: {error!r}")

    def test_every_staff_screen_opens_with_its_records_and_chatter(self):
        failures, opened = [], set()
        reached = defaultdict(set)
        for persona, (user, password) in self.personas.items():
            chatters = {}
            for action in self._screens(user):
                model = action.res_model
                eval_context = action.with_user(user)._get_eval_context(action)
                try:
                    ctx = safe_eval(action.context or "{}", eval_context)
                    domain = safe_eval(action.domain or "[]", eval_context)
                except Exception as error:  # collected: all reported at once
                    failures.append(f"{persona}: action {action.xml_id}: {error!r}")
                    continue
                ctx = {k: v for k, v in ctx.items() if not k.startswith("default_")}
                views = self._action_views(action)
                if model in self.our_models:
                    views += self._all_views(model)
                record = self._open_views(user, model, ctx, domain, views, failures, opened)
                reached[persona].add(model)
                if record and "message_ids" in record._fields and model not in chatters:
                    chatters[model] = record
            if persona == "administrator":
                # Models with no menu of their own (e.g. opened from another form).
                for model in self.our_models - reached[persona]:
                    views = self._all_views(model)
                    record = self._open_views(user, model, {}, [], views, failures, opened)
                    if record and "message_ids" in record._fields:
                        chatters[model] = record
            for record in chatters.values():
                self._open_chatter(user, password, record, failures)
        self.assertEqual(failures, [], "\n".join(failures))
        self.assertGreater(len(opened), 300, "the screens were found from the menus and views")
        self.assertTrue(
            {"service.order", "service.ticket", "service.license", "service.subscription"}
            <= reached["administrator"]
        )
        for persona, model in (
            ("field_service_user", "service.order"),
            ("helpdesk_agent", "service.ticket"),
            ("licensing_manager", "service.license"),
            ("licensing_manager", "service.subscription"),
            ("accountant", "account.move"),
        ):
            self.assertIn(model, reached[persona], f"{persona} has a menu to {model}")
