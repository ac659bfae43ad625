from odoo.tests import HttpCase, tagged
from odoo.tests.common import JsonRpcException
from odoo.tools import mute_logger

from .common import HelpdeskCommon


@tagged("post_install", "-at_install")
class TestTicketStaffFields(HelpdeskCommon, HttpCase):
    """Assignment, team and the knowledge-base links of a request are for staff only, on
    every surface; the request page still names the agent, and the customer still posts."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_helpdesk()
        cls.north_ticket.user_id = cls.env.ref("base.user_admin")

    def _call_kw(self, method, args, kwargs=None):
        return self.make_jsonrpc_request(
            f"/web/dataset/call_kw/service.ticket/{method}",
            {"model": "service.ticket", "method": method, "args": args, "kwargs": kwargs or {}},
        )

    @mute_logger("odoo.http")
    def test_assignment_and_team_are_refused_over_json_rpc(self):
        self.authenticate(self.north_user.login, self.PASSWORDS[self.north_user.login])
        ids = self.north_ticket.ids
        self.assertEqual(len(self._call_kw("read", [ids, ["name"]])), 1)
        for field in ("user_id", "team_id", "response_overdue", "kb_article_ids"):
            for method, args, kwargs in (
                ("read", [ids, [field]], {}),
                ("search_read", [[("id", "in", ids)]], {"fields": [field]}),
                ("web_read", [ids], {"specification": {field: {}}}),
                ("formatted_read_group", [[], [field], ["__count"]], {}),
            ):
                with self.subTest(field=field, method=method):
                    with self.assertRaises(JsonRpcException):
                        self._call_kw(method, args, kwargs)

    def test_customer_still_sees_the_agent_and_posts(self):
        self.authenticate(self.north_user.login, self.PASSWORDS[self.north_user.login])
        page = self.url_open(f"/my/requests/{self.north_ticket.id}")
        self.assertEqual(page.status_code, 200)
        self.assertIn(self.env.ref("base.user_admin").name, page.text)
        self.make_jsonrpc_request(
            "/mail/message/post",
            {
                "thread_model": "service.ticket",
                "thread_id": self.north_ticket.id,
                "post_data": {"body": "Any news?", "message_type": "comment"},
            },
        )
        self.assertIn("Any news?", self.north_ticket.message_ids[0].body)
