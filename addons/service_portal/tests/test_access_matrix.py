"""The access matrix: every portal persona, through every surface, on every model of the
three addons and on the Odoo models they extend or narrow.

Nothing here is hand-picked: the models come from the registry (those of the addons, and
Odoo's models the addons add fields to), the fields from each model, the routes from the
routing map, the reports from ``ir.actions.report``, the binary fields from the models. What
a portal user may read is declared once, in ``access_policy``; everything else must be
refused. Each test collects every failing cell and reports them all at once.
"""

import base64
import datetime
import json
import os
import re
import threading

from odoo import Command, http
from odoo.exceptions import AccessError
from odoo.tests import HttpCase, new_test_user, tagged
from odoo.tools import mute_logger

from .access_policy import COMMON_VISIBLE, CUSTOMER_VISIBLE, TECHNICIAN_VISIBLE

MODULES = (
    "service_portal",
    "service_helpdesk",
    "service_licensing",
    "service_licensing_helpdesk",
)
# Odoo models whose access the addons narrow or whose records they show in the portal.
NARROWED_MODELS = (
    "res.partner",
    "res.users",
    "sale.order",
    "account.move",
    "ir.attachment",
    "mail.message",
)
PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII="
)
# Which model a route argument designates; a route of the addons with an integer argument
# missing here fails the test, so that a new route cannot stay out of the matrix.
ROUTE_ARGUMENT_MODELS = {
    "order_id": "service.order",
    "ticket_id": "service.ticket",
    "equipment_id": "service.equipment",
    "document_id": "service.document",
    "site_id": "res.partner",
    "partner_id": "res.partner",
    "license_id": "service.license",
    "subscription_id": "service.subscription",
    "invoice_id": "account.move",
    "attachment_id": "ir.attachment",
}
# Odoo's portal names its arguments its own way.
ROUTE_PREFIX_MODELS = (
    ("/my/orders/", {"order_id": "sale.order", "document_id": None}),
    ("/my/invoices/", {"invoice_id": "account.move"}),
)
# Where each persona may be: scopes of the probe records it may read.
SCOPES = ("A0", "A1", "A2", "B", "STAFF")
MARK = {scope: f"QQ{scope}MX" for scope in SCOPES}
STAFF_MARK = "QQSTAFFMX"
# type_id: the request types are the same for every customer (not scoped); the scoped input
# of its route (/my/requests/new/windows/<type_id>) is the site_id of its query string,
# refused outside the user's scope in service_helpdesk/tests/test_request_windows.py.
NON_RECORD_ARGUMENTS = {"page", "type_id"}
# What a hostile form posts to a route of the addons: every action the customer pages take.
HOSTILE_FORM = {
    "change": "cancel",
    "reason": "hostile",
    "name": "Mallory",
    "signed_by": "Mallory",
    "signature": base64.b64encode(PNG).decode(),
    "state": "done",
    "note": "hostile",
    "decision": "approve",
}
REFUSED_STATUSES = (301, 302, 303, 307, 308, 400, 403, 404)


def overrides_of(path):
    return {
        name
        for prefix, overrides in ROUTE_PREFIX_MODELS
        if path.startswith(prefix)
        for name in overrides
    }


def _rpc_error(response_json):
    error = response_json.get("error")
    if not error:
        return None
    return (error.get("data") or {}).get("name") or error.get("message") or "error"


@tagged("post_install", "-at_install")
class TestAccessMatrix(HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        env = cls.env = cls.env(context=dict(cls.env.context, tracking_disable=False))
        cls.has_helpdesk = "service.ticket" in env
        cls.has_licensing = "service.license" in env
        Partner = env["res.partner"]
        cls.company_a = Partner.create({"name": "Matrix Alpha Ltd", "is_company": True})
        cls.company_b = Partner.create({"name": "Matrix Beta Ltd", "is_company": True})
        cls.site_a1 = Partner.create(
            {
                "name": f"Alpha North {MARK['A1']}",
                "parent_id": cls.company_a.id,
                "service_is_job_site": True,
                "type": "other",
                "street": "1 North Road",
            }
        )
        cls.site_a2 = Partner.create(
            {
                "name": f"Alpha South {MARK['A2']}",
                "parent_id": cls.company_a.id,
                "service_is_job_site": True,
                "type": "other",
                "street": "2 South Road",
            }
        )
        cls.site_b = Partner.create(
            {
                "name": f"Beta Main {MARK['B']}",
                "parent_id": cls.company_b.id,
                "service_is_job_site": True,
                "type": "other",
            }
        )

        def portal_user(login, name, parent, **values):
            partner = Partner.create(
                {"name": name, "email": login, "parent_id": parent and parent.id}
            )
            return new_test_user(
                env,
                login=login,
                password=login,
                groups="base.group_portal",
                partner_id=partner.id,
                context={"no_reset_password": True},
                **values,
            )

        cls.users = {
            "contact_a": portal_user("mx.contact.a@example.com", "Ann Alpha", cls.company_a),
            "site_a1": portal_user("mx.site.a1@example.com", "Nick North", cls.site_a1),
            "contact_b": portal_user("mx.contact.b@example.com", "Bob Beta", cls.company_b),
            "waiting": portal_user("mx.waiting@example.com", "Walt Waiting", None),
        }
        env["service.portal.registration"].create(
            {
                "name": "Walt Waiting",
                "email": "mx.waiting@example.com",
                "partner_id": cls.users["waiting"].partner_id.id,
                "state": "waiting",
            }
        )
        if cls.has_licensing:
            cls.users["contact_a"].partner_id.service_admin_role = "owner"
            cls.users["contact_b"].partner_id.service_admin_role = "owner"
            cls.users["tech"] = portal_user(
                "mx.tech@example.com", "Terry Tech", cls.company_a, service_technician_account=True
            )
            cls.users["tech_removed"] = portal_user(
                "mx.tech.removed@example.com",
                "Rita Removed",
                cls.company_a,
                service_technician_account=True,
            )
        cls._create_probe_records()

    # ------------------------------------------------------------------
    # Probe records: for each model, records of company A (A0), of its sites A1 and A2, of
    # company B, and staff-only ones (internal notes and their attachments).
    # ------------------------------------------------------------------

    @classmethod
    def _create_probe_records(cls):
        env = cls.env
        cls.probes = {}  # model -> {scope: recordset}

        def add(scope, records):
            by_scope = cls.probes.setdefault(records._name, {s: records.browse() for s in SCOPES})
            by_scope[scope] |= records
            return records

        add("A0", cls.company_a)
        add("A1", cls.site_a1)
        add("A2", cls.site_a2)
        add("B", cls.company_b | cls.site_b)
        sites = {"A1": cls.site_a1, "A2": cls.site_a2, "B": cls.site_b}
        customers = {"A1": cls.company_a, "A2": cls.company_a, "B": cls.company_b}
        product = env["product.product"].create(
            {"name": "Matrix visit", "type": "service", "list_price": 100.0}
        )
        cls.orders = {}
        for scope, site in sites.items():
            customer = customers[scope]
            equipment = add(
                scope,
                env["service.equipment"].create(
                    {
                        "name": f"Boiler {MARK[scope]}",
                        "partner_id": customer.id,
                        "site_id": site.id,
                        "serial_number": f"SN-{MARK[scope]}",
                    }
                ),
            )
            sale = add(
                scope,
                env["sale.order"].create(
                    {
                        "partner_id": customer.id,
                        "partner_shipping_id": site.id,
                        "client_order_ref": MARK[scope],
                        "order_line": [Command.create({"product_id": product.id})],
                    }
                ),
            )
            sale.action_quotation_sent()
            invoice = env["account.move"].create(
                {
                    "move_type": "out_invoice",
                    "partner_id": customer.id,
                    "partner_shipping_id": site.id,
                    "ref": MARK[scope],
                    "invoice_line_ids": [
                        Command.create({"name": MARK[scope], "quantity": 1, "price_unit": 100})
                    ],
                }
            )
            invoice.action_post()
            add(scope, invoice)
            order = add(
                scope,
                env["service.order"].create(
                    {
                        "partner_id": customer.id,
                        "site_id": site.id,
                        "equipment_id": equipment.id,
                        "description": f"<p>Visit {MARK[scope]}</p>",
                        "internal_note": f"<p>{STAFF_MARK} note</p>",
                        "sale_order_id": sale.id,
                        "invoice_ids": [Command.link(invoice.id)],
                        "signature": base64.b64encode(PNG),
                        "signed_by": f"Signer {MARK[scope]}",
                    }
                ),
            )
            cls.orders[scope] = order
            add(
                scope,
                env["service.document"].create(
                    {
                        "name": f"Certificate {MARK[scope]}",
                        "partner_id": customer.id,
                        "site_id": site.id,
                        "equipment_id": equipment.id,
                        "order_id": order.id,
                        "published": True,
                        "file": base64.b64encode(PNG),
                        "file_name": "certificate.png",
                    }
                ),
            )
            add(
                "STAFF",
                env["service.document"].create(
                    {
                        "name": f"Unpublished {STAFF_MARK}",
                        "partner_id": customer.id,
                        "site_id": site.id,
                        "published": False,
                        "file": base64.b64encode(PNG),
                        "file_name": "internal.png",
                    }
                ),
            )
            threads = [order, equipment]
            if cls.has_helpdesk:
                ticket = add(
                    scope,
                    env["service.ticket"].create(
                        {
                            "subject": f"Leak {MARK[scope]}",
                            "partner_id": customer.id,
                            "site_id": site.id,
                            "description": f"<p>Request {MARK[scope]}</p>",
                        }
                    ),
                )
                add(
                    scope,
                    env["service.ticket.answer"].create(
                        {"ticket_id": ticket.id, "name": "Since when?", "value": MARK[scope]}
                    ),
                )
                threads.append(ticket)
            for thread in threads:
                message = thread.message_post(
                    body=f"Hello {MARK[scope]}",
                    message_type="comment",
                    subtype_xmlid="mail.mt_comment",
                    attachments=[(f"photo-{scope}.png", PNG)],
                )
                add(scope, message)
                add(scope, message.attachment_ids)
                note = thread.message_post(
                    body=f"Staff only {STAFF_MARK}",
                    message_type="comment",
                    subtype_xmlid="mail.mt_note",
                    attachments=[("internal.png", PNG)],
                )
                add("STAFF", note)
                add("STAFF", note.attachment_ids)
        if cls.has_licensing:
            plan = env["product.product"].create(
                {
                    "name": "Matrix plan",
                    "service_plan_kind": "monthly",
                    "service_stripe_price_id": "price_matrix",
                }
            )
            cls.subscriptions = {}
            for scope, customer in (("A0", cls.company_a), ("B", cls.company_b)):
                cls.subscriptions[scope] = add(
                    scope,
                    env["service.subscription"].create(
                        {
                            "partner_id": customer.id,
                            "product_id": plan.id,
                            "quantity": 3,
                            "state": "active",
                            "stripe_subscription_id": f"sub_{STAFF_MARK}_{scope}",
                            "stripe_customer_id": f"cus_{STAFF_MARK}_{scope}",
                        }
                    ),
                )
            customer_b_tech = new_test_user(
                env,
                login="mx.tech.b@example.com",
                groups="base.group_portal",
                context={"no_reset_password": True},
                partner_id=env["res.partner"]
                .create({"name": "Beta Tech", "parent_id": cls.company_b.id})
                .id,
            )
            Licence = env["service.license"]
            cls.licence_tech = add(
                "A0",
                Licence.create(
                    {
                        "subscription_id": cls.subscriptions["A0"].id,
                        "user_id": cls.users["tech"].id,
                        "name": "Terry Tech",
                        "email": "mx.tech@example.com",
                    }
                ),
            )
            cls.licence_removed = add(
                "A0",
                Licence.create(
                    {
                        "subscription_id": cls.subscriptions["A0"].id,
                        "user_id": cls.users["tech_removed"].id,
                        "name": "Rita Removed",
                        "email": "mx.tech.removed@example.com",
                        "state": "revoked",
                    }
                ),
            )
            add(
                "B",
                Licence.create(
                    {
                        "subscription_id": cls.subscriptions["B"].id,
                        "user_id": customer_b_tech.id,
                        "name": "Beta Tech",
                        "email": "mx.tech.b@example.com",
                    }
                ),
            )
            # Both technicians were assigned to the North visit; one lost the licence. A
            # second North visit, done, waits for the customer's sign-off.
            technicians = cls.users["tech"] | cls.users["tech_removed"]
            cls.orders["A1"].technician_ids = [Command.set(technicians.ids)]
            cls.done_order = add(
                "A1",
                cls.orders["A1"].copy(
                    {"technician_ids": [Command.set(technicians.ids)], "signature": False}
                ),
            )
            cls.done_order.write({"state": "done", "signed_by": False})
        # An order of site A2 on the equipment of site A1 (the customer moved it): the A1
        # contact's equipment page must not show it.
        equipment_a1 = cls.probes["service.equipment"]["A1"][:1]
        add(
            "A2",
            cls.orders["A2"].copy(
                {"equipment_id": equipment_a1.id, "description": f"<p>Moved {MARK['A2']}</p>"}
            ),
        )
        cls._fill_staff_fields()
        env.flush_all()

    @classmethod
    def _fill_staff_fields(cls):
        """Put a staff marker in every text field that no portal user may read, so that the
        page and chatter checks catch those values wherever they surface."""
        for model, by_scope in cls.probes.items():
            records = cls.env[model].browse().union(*by_scope.values())
            for name in cls._checked_fields(model):
                field = records._fields[name]
                if (
                    name in cls._visible_fields(model, "customer")
                    or field.type not in ("char", "text", "html")
                    or not field.store
                    or field.compute
                    or field.related
                    or name in ("access_token", "email", "login", "password")
                ):
                    continue
                for record in records:
                    if record[name]:
                        continue
                    try:
                        with cls.env.cr.savepoint():
                            record.write({name: f"{STAFF_MARK} {name} {record.id}"})
                    except (
                        Exception
                    ):  # a field that refuses free text (format, uniqueness): skipped
                        cls.env.invalidate_all()

    # ------------------------------------------------------------------
    # The generated axes
    # ------------------------------------------------------------------

    @classmethod
    def _matrix_models(cls):
        """Models of the three addons, Odoo models they add fields to, and those they narrow."""
        names = set(NARROWED_MODELS)
        for name, model in cls.env.registry.items():
            if model._abstract:
                continue
            if model._original_module in MODULES or any(
                field._module in MODULES for field in model._fields.values()
            ):
                names.add(name)
        return sorted(names)

    @classmethod
    def _checked_fields(cls, model):
        """The fields whose readability the policy decides: every field of the addons' own
        models, and the fields the addons add to Odoo's."""
        Model = cls.env[model]
        own = Model._original_module in MODULES
        return sorted(
            name for name, field in Model._fields.items() if own or field._module in MODULES
        )

    @staticmethod
    def _visible_fields(model, kind):
        visible = CUSTOMER_VISIBLE.get(model, frozenset())
        if kind == "technician":
            visible = TECHNICIAN_VISIBLE.get(model, visible)
        return visible | COMMON_VISIBLE

    PERSONA_SCOPES = {
        "contact_a": {"A0", "A1", "A2"},
        "site_a1": {"A1"},
        "contact_b": {"B"},
        "tech": set(),
        "tech_removed": set(),
        "waiting": set(),
    }

    def _allowed(self, persona, model):
        """The probe records ``persona`` may read in ``model``."""
        by_scope = self.probes.get(model, {})
        allowed = self.env[model].browse()
        for scope in self.PERSONA_SCOPES[persona]:
            allowed |= by_scope.get(scope, allowed.browse())
        user = self.users[persona]
        if model == "res.partner" and persona in ("site_a1", "tech", "tech_removed"):
            allowed |= self.company_a  # the contact's own company
        if persona == "tech":
            order = self.orders["A1"]
            if model == "service.order":
                allowed |= order | self.done_order
            elif model == "res.partner":
                allowed |= self.site_a1
            elif model == "mail.message":
                allowed |= by_scope["A1"].filtered(
                    lambda m: m.model == "service.order" and m.res_id == order.id
                )
            elif model == "ir.attachment":
                allowed |= by_scope["A1"].filtered(
                    lambda a: a.res_model == "service.order" and a.res_id == order.id
                )
        if model == "service.license":
            allowed |= self.probes[model]["A0"].filtered(lambda lic: lic.user_id == user)
        if model in ("service.subscription", "service.license") and persona == "site_a1":
            allowed = allowed.browse()  # not a licensing admin
        return allowed

    def _forbidden(self, persona, model):
        by_scope = self.probes.get(model, {})
        every = self.env[model].browse().union(*by_scope.values()) if by_scope else None
        if every is None:
            return self.env[model].browse()
        return every - self._allowed(persona, model)

    def _kind(self, persona):
        return "technician" if persona.startswith("tech") else "customer"

    def _personas(self):
        return [p for p in self.PERSONA_SCOPES if p in self.users]

    # ------------------------------------------------------------------
    # HTTP helpers
    # ------------------------------------------------------------------

    def _login(self, persona):
        self._persona = persona
        if persona == "public":
            self.authenticate(None, None)
        else:
            login = self.users[persona].login
            self.authenticate(login, login)

    def _jsonrpc(self, route, params):
        response = self.url_open(
            route,
            data=json.dumps({"jsonrpc": "2.0", "method": "call", "id": 1, "params": params}),
            headers={"Content-Type": "application/json"},
        )
        if response.status_code != 200:
            return None, f"HTTP {response.status_code}"
        body = response.json()
        return body.get("result"), _rpc_error(body)

    def _call_kw(self, model, method, args, kwargs=None):
        return self._jsonrpc(
            f"/web/dataset/call_kw/{model}/{method}",
            {"model": model, "method": method, "args": args, "kwargs": kwargs or {}},
        )

    def _csrf(self):
        return http.Request.csrf_token(self)

    def _report(self, failures):
        """Fail with every cell at once; optionally append them to a findings file."""
        path = os.environ.get("SERVICE_PORTAL_MATRIX_FINDINGS")
        if path and failures:
            with open(path, "a", encoding="utf-8") as handle:
                handle.write(f"## {self._testMethodName}\n")
                handle.writelines(f"- {line}\n" for line in failures)
        self.assertFalse(failures, "\n" + "\n".join(failures))

    def _readable_fields(self, persona, model):
        """The fields Odoo itself lets this user read (``groups=``): the call_kw sends all."""
        Model = self.env[model].with_user(self.users[persona])
        # Odoo's own fields of Odoo's models are Odoo's business (and some of them do not
        # even serialize over JSON-RPC): the addons' fields, with the record's id, are sent.
        checked = set(self._checked_fields(model)) | {"id", "display_name"}
        return [
            name
            for name, field in Model._fields.items()
            if Model._has_field_access(field, "read") and name in checked
        ]

    @staticmethod
    def _ids(rows):
        return {row["id"] for row in rows or []}

    def _leaking_fields(self, persona, model, rows):
        visible = self._visible_fields(model, self._kind(persona))
        checked = set(self._checked_fields(model))
        keys = set()
        for row in rows or []:
            keys |= set(row)
        return sorted((keys & checked) - visible)

    # ------------------------------------------------------------------
    # JSON-RPC reads
    # ------------------------------------------------------------------

    def test_call_kw_reads(self):
        """search_read, read, web_read, web_search_read and formatted_read_group with every
        field: only the persona's records, and no staff-only field."""
        failures = []
        models = self._matrix_models()
        for persona in self._personas():
            self._login(persona)
            for model in models:
                fields_ = self._readable_fields(persona, model)
                allowed = self._allowed(persona, model)
                forbidden = self._forbidden(persona, model)
                probe_ids = (allowed | forbidden).ids
                domain = [("id", "in", probe_ids)] if probe_ids else []
                limit = None if probe_ids else 20
                cell = f"{persona} | {model}"
                raising = self._raising_fields(persona, model, domain, limit, fields_)
                if set(raising) & set(self._checked_fields(model)):
                    self._note(
                        f"{cell}: reading these fields of its own records raises AccessError: "
                        f"{sorted(set(raising) & set(self._checked_fields(model)))}"
                    )
                    fields_ = [name for name in fields_ if name not in raising]
                rows, error = self._call_kw(
                    model, "search_read", [], {"domain": domain, "fields": fields_, "limit": limit}
                )
                if error and error != "odoo.exceptions.AccessError":
                    failures.append(f"{cell} | search_read: {error}")
                leaked = self._ids(rows) & set(forbidden.ids)
                if leaked:
                    failures.append(f"{cell} | search_read: reads other-scope ids {sorted(leaked)}")
                missing = set(self._expected_positive(persona, model).ids) - self._ids(rows)
                if missing:
                    failures.append(
                        f"{cell} | search_read: cannot read its own records {sorted(missing)} "
                        f"({error or 'filtered out'})"
                    )
                leaking = self._leaking_fields(persona, model, rows)
                if leaking:
                    failures.append(f"{cell} | search_read: staff-only fields readable {leaking}")
                if forbidden:
                    _rows, error = self._call_kw(model, "read", [forbidden.ids, fields_])
                    if not error:
                        failures.append(f"{cell} | read {forbidden.ids}: not refused")
                    spec = {name: {} for name in fields_ if not self._is_relational(model, name)}
                    _rows, error = self._call_kw(
                        model, "web_read", [forbidden.ids], {"specification": spec}
                    )
                    if not error:
                        failures.append(f"{cell} | web_read {forbidden.ids}: not refused")
                    result, error = self._call_kw(
                        model,
                        "web_search_read",
                        [],
                        {"domain": [("id", "in", forbidden.ids)], "specification": spec},
                    )
                    leaked = self._ids((result or {}).get("records"))
                    if leaked:
                        failures.append(
                            f"{cell} | web_search_read: other-scope ids {sorted(leaked)}"
                        )
                failures += self._check_read_group(persona, model, fields_, forbidden)
        self._report(failures)

    def _raising_fields(self, persona, model, domain, limit, fields_):
        """Fields whose reading fails on records the persona may read (e.g. a related field
        through a record it may not read): found in-process, so that the JSON-RPC calls can
        send all the others; a failure here is a defect of the page, not a leak."""
        Model = self.env[model].with_user(self.users[persona])
        access = self.env["ir.model.access"].with_user(self.users[persona])
        if not access.check(model, "read", raise_exception=False):
            return []  # no access right at all: the call is refused as a whole
        if self._reads(Model, domain, fields_, limit):
            return []
        raising = []
        for name in fields_:
            if not self._reads(Model, domain, [name], limit):
                raising.append(name)
        return raising

    def _reads(self, Model, domain, fields_, limit):
        try:
            with self.env.cr.savepoint():
                Model.search_read(domain, fields_, limit=limit)
            return True
        except AccessError:
            return False
        finally:
            self.env.invalidate_all()

    def _note(self, line):
        path = os.environ.get("SERVICE_PORTAL_MATRIX_FINDINGS")
        if path:
            with open(path, "a", encoding="utf-8") as handle:
                handle.write(f"- note: {line}\n")

    def _is_relational(self, model, name):
        return self.env[model]._fields[name].relational

    def _expected_positive(self, persona, model):
        """Records the persona must be able to read: its scope's service records."""
        if model not in (
            "service.order",
            "service.equipment",
            "service.document",
            "service.ticket",
            "service.subscription",
        ):
            return self.env[model].browse()
        return self._allowed(persona, model)

    def _check_read_group(self, persona, model, fields_, forbidden):
        Model = self.env[model]
        aggregated = [
            name
            for name in fields_
            if Model._fields[name].store
            and Model._fields[name].column_type
            and Model._fields[name].type not in ("binary", "json", "properties")
        ]
        domain = [("id", "in", forbidden.ids)] if forbidden else []
        result, error = self._call_kw(
            model,
            "formatted_read_group",
            [],
            {
                "domain": domain,
                "groupby": [],
                "aggregates": [f"{name}:array_agg" for name in aggregated],
            },
        )
        if error or not result:
            return []
        failures = []
        group = result[0]
        ids = set(filter(None, group.get("id:array_agg") or []))
        leaked = ids & set(forbidden.ids)
        if leaked:
            failures.append(
                f"{persona} | {model} | formatted_read_group: other-scope ids {sorted(leaked)}"
            )
        visible = self._visible_fields(model, self._kind(persona))
        checked = set(self._checked_fields(model))
        staff = sorted(
            name
            for name in aggregated
            if name in checked
            and name not in visible
            and any(v not in (None, False) for v in group.get(f"{name}:array_agg") or [])
        )
        if staff:
            failures.append(
                f"{persona} | {model} | formatted_read_group: staff-only values aggregated {staff}"
            )
        return failures

    # ------------------------------------------------------------------
    # JSON-RPC writes
    # ------------------------------------------------------------------

    def test_call_kw_writes(self):
        """write, unlink and create through call_kw: refused on every probe record (portal
        users change records through the portal's own actions only)."""
        failures = []
        models = [m for m in self._matrix_models() if m in self.probes]
        for persona in self._personas():
            self._login(persona)
            for model in models:
                Model = self.env[model]
                probe = self.env[model].browse().union(*self.probes[model].values())
                field = self._writable_text_field(model)
                if field:
                    before = {r.id: r[field] for r in probe.sudo()}
                    _res, error = self._call_kw(model, "write", [probe.ids, {field: "matrix"}])
                    Model.invalidate_model()
                    changed = [r.id for r in probe.sudo() if r[field] != before[r.id]]
                    if not error or changed:
                        failures.append(f"{persona} | {model} | write {field}: changed {changed}")
                forbidden = self._forbidden(persona, model)
                if forbidden:
                    _res, error = self._call_kw(model, "unlink", [forbidden.ids])
                    if not error or len(forbidden.exists()) != len(forbidden):
                        failures.append(
                            f"{persona} | {model} | unlink {forbidden.ids}: not refused"
                        )
                values = self._create_values(model, forbidden or probe)
                if values is not None:
                    result, error = self._call_kw(model, "create", [values])
                    if not error:
                        failures.append(f"{persona} | {model} | create {values}: created {result}")
        self._report(failures)

    def _writable_text_field(self, model):
        Model = self.env[model]
        for name in ("name", "subject", "body", "description", "ref", "client_order_ref"):
            field = Model._fields.get(name)
            if (
                field
                and field.store
                and not field.compute
                and field.type in ("char", "text", "html")
            ):
                return name
        return None

    def _create_values(self, model, records):
        """Values of a copy of a probe record, attached to a record of another scope."""
        if not records:
            return None
        record = records[:1].sudo()
        if model == "mail.message":
            return {"model": record.model, "res_id": record.res_id, "body": "matrix"}
        if model == "ir.attachment":
            return {
                "name": "x.txt",
                "res_model": record.res_model,
                "res_id": record.res_id,
                "raw": "x",
            }
        if model in ("res.partner", "res.users"):
            return (
                {"name": "Matrix", "parent_id": record.commercial_partner_id.id, "login": "mx-new"}
                if model == "res.users"
                else {
                    "name": "Matrix",
                    "parent_id": record.commercial_partner_id.id,
                }
            )
        values = {}
        for name, field in record._fields.items():
            if field.store and not field.compute and field.required and name != "id":
                values[name] = field.convert_to_write(record[name], record)
                if isinstance(values[name], bytes):
                    values[name] = values[name].decode()
                if isinstance(values[name], datetime.date):
                    values[name] = str(values[name])
        return values

    # ------------------------------------------------------------------
    # Portal routes, from the routing map
    # ------------------------------------------------------------------

    def _portal_rules(self):
        """(rule, {argument: model}) of every /my route, Odoo's and the addons'; a route of
        the addons whose argument is unknown is returned with None to fail loudly."""
        rules = []
        thread = threading.current_thread()
        if not getattr(thread, "dbname", None):  # set by Odoo's runner, not by pytest-odoo
            thread.dbname = self.env.cr.dbname
            self.addCleanup(delattr, thread, "dbname")
        for rule in self.env["ir.http"].routing_map().iter_rules():
            path = rule.rule
            routing = getattr(rule.endpoint, "routing", {})
            module = getattr(
                getattr(rule.endpoint, "original_endpoint", rule.endpoint), "__module__", ""
            )
            ours = any(f"odoo.addons.{m}." in module for m in MODULES)
            # the addons' JSON routes too (Odoo's own need their specific parameters)
            if routing.get("type") != "http" and not (
                routing.get("type") == "jsonrpc" and path.startswith("/my") and ours
            ):
                continue
            if not (path.startswith("/my") or ours):
                continue
            int_args = [
                name
                for name, converter in rule._converters.items()
                if type(converter).__name__ in ("IntegerConverter", "ModelConverter")
                or "int" in type(converter).__name__.lower()
            ]
            arg_models = {}
            for name in int_args:
                if name in NON_RECORD_ARGUMENTS:
                    continue
                model = ROUTE_ARGUMENT_MODELS.get(name)
                for prefix, overrides in ROUTE_PREFIX_MODELS:
                    if path.startswith(prefix) and name in overrides:
                        model = overrides[name]
                if model is None and (not ours or name in overrides_of(path)):
                    arg_models = {}
                    break
                arg_models[name] = model
            if int_args and not arg_models:
                continue
            rules.append((rule, arg_models, ours))
        return rules

    @staticmethod
    def _fill(rule, values):
        path = rule.rule
        for name, value in values.items():
            path = re.sub(rf"<[^:>]*:?{name}>", str(value), path)
        # other converters (e.g. any(approve,decline)): the first choice
        path = re.sub(r"<any\(([^,)]*)[^>]*>", r"\1", path)
        path = re.sub(r"<int:[^>]*>", "1", path)
        return re.sub(r"<[^>]*>", "x", path)

    def _snapshot(self, records):
        records.invalidate_recordset()
        result = {}
        for record in records.sudo():
            messages = len(record.message_ids) if "message_ids" in record._fields else 0
            result[(record._name, record.id)] = (record.write_date, messages)
        return result

    def test_portal_routes_refuse_other_scopes(self):
        """Every /my route, with the id of each record the persona may not see: refused (or
        a page without that record's data), never a 500; a POST changes nothing."""
        failures = []
        rules = self._portal_rules()
        for rule, arg_models, _ours in rules:
            unknown = [name for name, model in arg_models.items() if model is None]
            if unknown:
                failures.append(
                    f"route {rule.rule}: argument(s) {unknown} not in ROUTE_ARGUMENT_MODELS"
                )
        for persona in [*self._personas(), "public"]:
            self._login(persona)
            for rule, arg_models, ours in rules:
                if not arg_models or None in arg_models.values():
                    continue
                get = not rule.methods or "GET" in rule.methods
                if not get and not ours:
                    continue
                first_arg, first_model = next(iter(arg_models.items()))
                targets = (
                    self._forbidden(persona, first_model)
                    if persona != "public"
                    else self.env[first_model]
                    .browse()
                    .union(*self.probes.get(first_model, {}).values())
                )
                if persona.startswith("tech") and not rule.rule.startswith("/my/work"):
                    # the customer's pages and actions are not the technician's
                    targets |= (
                        self.env[first_model]
                        .browse()
                        .union(*self.probes.get(first_model, {}).values())
                    )
                jsonrpc = rule.endpoint.routing.get("type") == "jsonrpc"
                if get and ours and not jsonrpc and persona != "public":
                    failures += self._own_pages_problems(persona, rule, arg_models)
                for target in targets:
                    scope = self._scope_of(target)
                    values = {first_arg: target.id}
                    for name, model in list(arg_models.items())[1:]:
                        same = self.probes.get(model, {}).get(scope)
                        values[name] = same[:1].id if same else 1
                    url = self._fill(rule, values)
                    get = get and not jsonrpc
                    before = self._snapshot(target)
                    if jsonrpc:
                        result, error = self._jsonrpc(url, HOSTILE_FORM)
                        problem = None if error or "error" in (result or {}) else "accepted"
                    elif get:
                        response = self.url_open(url, allow_redirects=False)
                        problem = self._route_problem(response, scope, target)
                    else:
                        response = self.url_open(
                            url,
                            data={**HOSTILE_FORM, "csrf_token": self._csrf()},
                            allow_redirects=False,
                        )
                        problem = self._route_problem(response, scope, target)
                    if not get and self._snapshot(target) != before:
                        problem = (problem or "") + " changed the record"
                    if problem:
                        verb = "JSON" if jsonrpc else "GET" if get else "POST"
                        failures.append(f"{persona} | {target._name} | {verb} {url}: {problem}")
        self._report(failures)

    def _other_marks(self, persona):
        """Markers of what the persona may not see: other scopes' names, staff values."""
        allowed = set(self.PERSONA_SCOPES[persona])
        if persona == "tech":
            allowed.add("A1")  # the site of the orders assigned to the technician
        return [MARK[s] for s in ("A1", "A2", "B") if s not in allowed] + [STAFF_MARK]

    def _own_pages_problems(self, persona, rule, arg_models):
        """The persona's own records' pages show nothing of another scope (e.g. what the
        controller reads in sudo through a relation) and no staff value."""
        (first_arg, first_model), *others = arg_models.items()
        problems = []
        marks = self._other_marks(persona)
        for target in self._allowed(persona, first_model):
            scope = self._scope_of(target)
            values = {first_arg: target.id}
            for name, model in others:
                same = self.probes.get(model, {}).get(scope)
                values[name] = same[:1].id if same else 1
            url = self._fill(rule, values)
            response = self.url_open(url, allow_redirects=False)
            shown = [mark for mark in marks if mark in response.text]
            if response.status_code >= 500 or shown:
                problems.append(
                    f"{persona} | {target._name} (own) | GET {url}: "
                    f"HTTP {response.status_code} shows {shown}"
                )
        return problems

    def _scope_of(self, record):
        for scope, records in self.probes.get(record._name, {}).items():
            if record in records:
                return scope
        return None

    def _route_problem(self, response, scope, target):
        status = response.status_code
        if status >= 500:
            return f"HTTP {status}"
        if status in REFUSED_STATUSES:
            location = response.headers.get("Location", "")
            if status in (301, 302, 303, 307, 308) and "access_token" in location:
                return f"redirects with a token to {location}"
            return None
        text = response.text
        marks = [MARK.get(scope), STAFF_MARK]
        if (
            self._persona.startswith("tech")
            and target._name == "service.order"
            and target in self._allowed("tech", target._name)
        ):
            # the technician's own order: its commercial side must not show
            sudo = target.sudo()
            marks = [STAFF_MARK, "access_token=", *sudo.sale_order_id.mapped("name")]
            marks += sudo.invoice_ids.mapped("name")
        shown = [mark for mark in marks if mark and mark in text]
        if shown:
            return f"HTTP {status} shows {shown}"
        return None

    def test_portal_pages_show_nothing_of_other_scopes(self):
        """Every /my page without arguments: no other scope's record, no staff-only value."""
        failures = []
        pages = [
            rule
            for rule, arg_models, _ours in self._portal_rules()
            if not rule.arguments and (not rule.methods or "GET" in rule.methods)
        ]
        for persona in self._personas():
            self._login(persona)
            allowed_marks = {MARK[s] for s in self.PERSONA_SCOPES[persona]}
            marks = [m for m in [*MARK.values(), STAFF_MARK] if m not in allowed_marks]
            if persona == "tech":
                marks.remove(MARK["A1"])  # the assigned order's site
            for rule in pages:
                response = self.url_open(rule.rule, allow_redirects=False)
                if response.status_code >= 500:
                    failures.append(f"{persona} | GET {rule.rule}: HTTP {response.status_code}")
                    continue
                shown = [m for m in marks if m in response.text]
                if shown:
                    failures.append(f"{persona} | GET {rule.rule}: shows {shown}")
        self._report(failures)

    def test_forms_create_nothing_for_non_customers(self):
        """The addons' forms without a record argument (new request, admins, technicians,
        purchases...), posted by an unlinked account or a technician: nothing is created."""
        failures = []
        forms = [
            rule
            for rule, arg_models, ours in self._portal_rules()
            if ours
            and not arg_models
            and rule.methods
            and "POST" in rule.methods
            and rule.endpoint.routing.get("auth") == "user"
        ]
        counted = [m for m in self._matrix_models() if self.env[m]._original_module in MODULES]
        form = dict(HOSTILE_FORM, subject=f"Hostile {STAFF_MARK}", description="hostile")
        if self.has_helpdesk:
            # a nature of request without questions, so that only access decides
            form["type_id"] = (
                self.env["service.ticket.type"]
                .create({"name": "Matrix question", "site_mode": "hidden"})
                .id
            )
        for persona in ("waiting", "tech", "tech_removed"):
            if persona not in self.users:
                continue
            self._login(persona)
            for rule in forms:
                before = {
                    m: self.env[m].sudo().with_context(active_test=False).search_count([])
                    for m in counted
                }
                response = self.url_open(
                    rule.rule, data={**form, "csrf_token": self._csrf()}, allow_redirects=False
                )
                created = [
                    m
                    for m in counted
                    if self.env[m].sudo().with_context(active_test=False).search_count([])
                    > before[m]
                ]
                if created or response.status_code >= 500:
                    failures.append(
                        f"{persona} | POST {rule.rule}: HTTP {response.status_code}, "
                        f"created {created}"
                    )
        self._report(failures)

    # ------------------------------------------------------------------
    # Mail and chatter endpoints
    # ------------------------------------------------------------------

    def test_mail_endpoints(self):
        """Thread data, messages and posting on other scopes' records are refused; on the
        persona's own records, no internal note reaches it."""
        failures = []
        thread_models = [
            m
            for m in self._matrix_models()
            if m in self.probes and "message_ids" in self.env[m]._fields and m != "res.partner"
        ]
        for persona in self._personas():
            self._login(persona)
            for model in thread_models:
                forbidden = self._forbidden(persona, model)
                allowed = self._allowed(persona, model)
                for record in forbidden:
                    cell = f"{persona} | {model} {record.id}"
                    data, error = self._jsonrpc(
                        "/mail/data",
                        {
                            "fetch_params": [
                                [
                                    "mail.thread",
                                    {
                                        "thread_model": model,
                                        "thread_id": record.id,
                                        "request_list": [
                                            "attachments",
                                            "followers",
                                            "suggestedRecipients",
                                        ],
                                    },
                                ]
                            ]
                        },
                    )
                    text = json.dumps(data or {})
                    for mark in (MARK[self._scope_of(record)], STAFF_MARK, "photo-"):
                        if mark in text:
                            failures.append(f"{cell} | /mail/data: shows {mark}")
                    data, error = self._jsonrpc(
                        "/mail/thread/messages",
                        {
                            "thread_model": model,
                            "thread_id": record.id,
                            "fetch_params": {"limit": 30},
                        },
                    )
                    own_messages = set(record.sudo().message_ids.ids)
                    if not error and own_messages & set((data or {}).get("messages") or []):
                        failures.append(f"{cell} | /mail/thread/messages: returns messages")
                    before = len(record.sudo().message_ids)
                    _data, error = self._jsonrpc(
                        "/mail/message/post",
                        {
                            "thread_model": model,
                            "thread_id": record.id,
                            "post_data": {"body": "matrix", "message_type": "comment"},
                        },
                    )
                    record.invalidate_recordset()
                    if len(record.sudo().message_ids) != before:
                        failures.append(f"{cell} | /mail/message/post: posted")
                for record in allowed:
                    data, _error = self._jsonrpc(
                        "/mail/thread/messages",
                        {
                            "thread_model": model,
                            "thread_id": record.id,
                            "fetch_params": {"limit": 30},
                        },
                    )
                    if STAFF_MARK in json.dumps(data or {}):
                        failures.append(
                            f"{persona} | {model} {record.id} | /mail/thread/messages: internal note"
                        )
        self._report(failures)

    # ------------------------------------------------------------------
    # /web/content, /web/image, reports
    # ------------------------------------------------------------------

    def test_content_and_reports(self):
        failures = []
        reports = self.env["ir.actions.report"].search([("model", "in", list(self.probes))])
        for persona in [*self._personas(), "public"]:
            self._login(persona)
            for model in self.probes:
                Model = self.env[model]
                if persona == "public":
                    forbidden = Model.browse().union(*self.probes[model].values())
                else:
                    forbidden = self._forbidden(persona, model)
                if not forbidden:
                    continue
                binaries = [
                    name
                    for name, field in Model._fields.items()
                    if field.type == "binary"
                    and (field._module in MODULES or Model._original_module in MODULES)
                ]
                for record in forbidden:
                    urls = [f"/web/content/{model}/{record.id}/{name}" for name in binaries]
                    urls += [f"/web/image/{model}/{record.id}/{name}" for name in binaries]
                    if model == "ir.attachment":
                        urls += [f"/web/content/{record.id}", f"/web/image/{record.id}"]
                    for url in urls:
                        response = self.url_open(url, allow_redirects=False)
                        # /web/image answers a refusal with a placeholder image: only the
                        # probe's own bytes prove a leak there
                        if response.status_code == 200 and (
                            url.startswith("/web/content/") or response.content == PNG
                        ):
                            failures.append(f"{persona} | GET {url}: HTTP 200 with the file")
                marks = {MARK[self._scope_of(r)] for r in forbidden} | {
                    r.display_name for r in forbidden.sudo() if r.display_name
                }
                for report in reports.filtered(lambda r, m=model: r.model == m):
                    ids = ",".join(str(i) for i in forbidden.ids)
                    url = f"/report/html/{report.report_name}/{ids}"
                    response = self.url_open(url, allow_redirects=False)
                    shown = sorted(m for m in marks if m in response.text)
                    if response.status_code == 200 and shown:
                        failures.append(f"{persona} | GET {url}: HTTP 200 showing {shown}")
                        pdf = self.url_open(url.replace("/html/", "/pdf/"), allow_redirects=False)
                        if pdf.status_code == 200:
                            failures.append(f"{persona} | GET {url.replace('/html/', '/pdf/')}")
        self._report(failures)

    # ------------------------------------------------------------------
    # Odoo's portal address form
    # ------------------------------------------------------------------

    def test_address_form_cannot_edit_other_partners(self):
        """POST /my/address/submit on the company, its contact or another site: refused."""
        failures = []
        country = self.env.ref("base.be")
        # a contact with an address of its own ("use company address" off) is of type other
        own_address = self.users["contact_a"].partner_id
        own_address.service_use_company_address = False
        victims = {
            "company contact": own_address,
            "company": self.company_a,
            "other site": self.site_a2,
            "own site": self.site_a1,
        }
        for persona in ("site_a1", "tech", "tech_removed", "contact_b", "waiting"):
            if persona not in self.users:
                continue
            self._login(persona)
            for label, victim in victims.items():
                before = (victim.name, victim.email, victim.street)
                response = self.url_open(
                    "/my/address/submit",
                    data={
                        "csrf_token": self._csrf(),
                        "partner_id": victim.id,
                        "name": "Hijacked",
                        "email": "attacker@example.com",
                        "phone": "+32 2 000 00 00",
                        "street": "1 Attacker Street",
                        "city": "Brussels",
                        "zip": "1000",
                        "country_id": country.id,
                        "address_type": "billing",
                    },
                    allow_redirects=False,
                )
                victim.invalidate_recordset()
                after = (victim.name, victim.email, victim.street)
                victim.write(dict(zip(("name", "email", "street"), before, strict=True)))
                # refused: forbidden, or a waiting account sent back to its waiting page
                refused = response.status_code in (403, 404) or (
                    response.status_code in (302, 303)
                    and response.headers.get("Location", "").rstrip("/").endswith("/my")
                )
                if after != before or not refused:
                    failures.append(
                        f"{persona} | res.partner ({label}) | POST /my/address/submit: "
                        f"HTTP {response.status_code}, {before} -> {after}"
                    )
        self._report(failures)

    # ------------------------------------------------------------------
    # Access tokens and sessions after a licence is removed
    # ------------------------------------------------------------------

    def test_token_and_session_after_licence_removal(self):
        if not self.has_licensing:
            self.skipTest("service_licensing is not installed")
        failures = []
        order = self.orders["A1"]
        self._login("tech")
        old_token = order.sudo()._portal_ensure_token()
        self.assertEqual(self.url_open("/my/work").status_code, 200)
        self.licence_tech.with_user(self.users["contact_a"])._revoke()
        self.env.flush_all()
        response = self.url_open("/my/work", allow_redirects=False)
        if response.status_code == 200:
            failures.append("tech | GET /my/work after the licence was removed: HTTP 200")
        order.invalidate_recordset()
        if order.sudo().access_token == old_token:
            failures.append("service.order access_token not rotated when the licence was removed")
        self.authenticate(None, None)
        url = f"/my/service-orders/{order.id}?access_token={old_token}"
        response = self.url_open(url, allow_redirects=False)
        if response.status_code == 200 and MARK["A1"] in response.text:
            failures.append(
                f"public | GET {url} (token the technician had): HTTP 200 with the order"
            )
        self._report(failures)

    @mute_logger("odoo.http")
    def test_public_call_kw(self):
        """Anonymous JSON-RPC: nothing."""
        self.authenticate(None, None)
        failures = []
        for model in self.probes:
            rows, _error = self._call_kw(
                model, "search_read", [], {"fields": ["display_name"], "limit": 5}
            )
            if rows:
                failures.append(f"public | {model} | search_read: {len(rows)} rows")
        self._report(failures)
