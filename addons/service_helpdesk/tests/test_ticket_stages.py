from datetime import timedelta

from odoo import fields
from odoo.addons.service_portal.tests.common import ServicePortalCase
from odoo.exceptions import UserError
from odoo.tests import TransactionCase, tagged

from .common import HelpdeskCommon


@tagged("post_install", "-at_install")
class TestTicketStages(HelpdeskCommon, TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_helpdesk()
        cls.Stage = cls.env["service.ticket.stage"]
        cls.ticket = cls.north_ticket
        cls.completed = cls.env.ref("service_helpdesk.stage_completed")
        cls.new = cls.env.ref("service_helpdesk.stage_new")

    def test_new_requests_start_in_the_first_open_stage(self):
        ticket = self.env["service.ticket"].create(
            {"subject": "Leak", "partner_id": self.ticket.partner_id.id}
        )
        self.assertEqual(ticket.stage_id, self.new)
        self.assertEqual(ticket.state, "open")

    def test_staff_configured_stage_sets_what_the_customer_sees(self):
        on_hold = self.Stage.create(
            {"name": "On hold: parts ordered", "sequence": 25, "state": "open"}
        )
        self.ticket.stage_id = on_hold
        self.assertEqual(self.ticket.state, "open")
        north_user = self.north_user
        open_for_customer = (
            self.env["service.ticket"].with_user(north_user).search([("state", "=", "open")])
        )
        self.assertIn(self.ticket, open_for_customer)
        self.ticket.stage_id = self.completed
        self.assertEqual(self.ticket.state, "completed")
        self.assertTrue(self.ticket.close_date)

    def test_status_changes_move_the_stage(self):
        self.ticket.stage_id = self.env.ref("service_helpdesk.stage_in_progress")
        self.ticket.write({"state": "completed"})
        self.assertEqual(self.ticket.stage_id, self.completed)
        self.ticket.write({"state": "open"})
        self.assertEqual(self.ticket.stage_id, self.new)
        self.ticket.write({"state": "cancelled"})
        self.assertEqual(self.ticket.stage_id, self.env.ref("service_helpdesk.stage_cancelled"))

    def test_an_open_stage_is_kept_when_the_status_does_not_change(self):
        waiting = self.env.ref("service_helpdesk.stage_waiting_customer")
        self.ticket.stage_id = waiting
        self.ticket.write({"state": "open"})
        self.assertEqual(self.ticket.stage_id, waiting)

    def test_kanban_shows_every_stage(self):
        result = (
            self.env["service.ticket"]
            .with_context(read_group_expand=True)
            .web_read_group([("id", "=", self.ticket.id)], ["stage_id"], aggregates=["__count"])
        )
        self.assertEqual(len(result["groups"]), self.Stage.search_count([]))


@tagged("post_install", "-at_install")
class TestReopenWindow(HelpdeskCommon, TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_helpdesk()
        cls.ticket = cls.north_ticket
        cls.author = cls.north_user.partner_id

    def test_reopen_within_the_configured_days_only(self):
        settings = self.env["res.config.settings"].create({"service_helpdesk_reopen_days": 5})
        settings.execute()
        self.assertTrue(self.ticket._portal_close("Fixed, thanks", self.author))
        self.assertEqual(self.ticket.state, "completed")
        self.assertTrue(self.ticket._can_be_reopened())
        self.ticket.close_date = fields.Datetime.now() - timedelta(days=6)
        with self.assertRaisesRegex(UserError, "can no longer be reopened"):
            self.ticket._portal_reopen("Broken again", self.author)
        self.assertEqual(self.ticket.state, "completed")
        self.ticket.close_date = fields.Datetime.now() - timedelta(days=4)
        self.assertTrue(self.ticket._portal_reopen("Broken again", self.author))
        self.assertEqual(self.ticket.state, "open")
        self.assertIn("Broken again", self.ticket.message_ids[0].body)

    def test_closing_twice_is_refused(self):
        self.assertTrue(self.ticket._portal_close("", self.author))
        with self.assertRaisesRegex(UserError, "Only an open request can be closed"):
            self.ticket._portal_close("", self.author)


@tagged("post_install", "-at_install")
class TestResponseTargetInWorkingHours(ServicePortalCase):
    def test_target_skips_nights_and_weekends(self):
        calendar = self.env["resource.calendar"].create(
            {
                "name": "Office hours",
                "tz": "UTC",
                "attendance_ids": [(5, 0, 0)]
                + [
                    (
                        0,
                        0,
                        {
                            "name": f"Day {day}",
                            "dayofweek": str(day),
                            "hour_from": 8,
                            "hour_to": 16,
                            "day_period": "morning",
                        },
                    )
                    for day in range(5)
                ],
            }
        )
        self.env.company.resource_calendar_id = calendar
        ticket_type = self.env["service.ticket.type"].create(
            {"name": "Breakdown", "response_hours": 4}
        )
        ticket = self.env["service.ticket"].create(
            {
                "subject": "Down",
                "partner_id": self.winslow.id,
                "type_id": ticket_type.id,
            }
        )
        # Friday 14:00 UTC + 4 working hours of 8:00-16:00 = Monday 10:00
        friday = fields.Datetime.to_datetime("2026-11-27 14:00:00")
        self.assertEqual(
            ticket._response_deadline_from(friday),
            fields.Datetime.to_datetime("2026-11-30 10:00:00"),
        )


@tagged("post_install", "-at_install")
class TestTargetsByPriorityAndTeamFollowers(ServicePortalCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.ticket_type = cls.env["service.ticket.type"].create(
            {
                "name": "Outage",
                "response_hours": 8,
                "response_hours_high": 4,
                "response_hours_urgent": 1,
            }
        )

    def test_target_depends_on_the_priority(self):
        Type = self.ticket_type
        self.assertEqual(
            [Type._response_hours_for(priority) for priority in ("0", "1", "2")], [8, 4, 1]
        )
        ticket = self.env["service.ticket"].create(
            {"subject": "All down", "partner_id": self.winslow.id, "type_id": Type.id}
        )
        normal = ticket.response_deadline
        ticket.priority = "2"
        self.assertLess(ticket.response_deadline, normal, "an urgent request is due sooner")

    def test_team_members_hear_when_a_customer_writes(self):
        agent = self.env["res.users"].create(
            {
                "name": "Agent Smith",
                "login": "agent.smith@example.com",
                "email": "agent.smith@example.com",
                "group_ids": [(4, self.env.ref("service_helpdesk.group_helpdesk_agent").id)],
            }
        )
        team = self.env["service.ticket.team"].create(
            {"name": "Boilers", "member_ids": [(4, agent.id)]}
        )
        ticket = self.env["service.ticket"].create(
            {"subject": "Cold", "partner_id": self.winslow.id, "team_id": team.id}
        )
        self.assertIn(agent.partner_id, ticket.message_partner_ids)
        customer = self.manager_user
        message = (
            ticket.with_user(customer)
            .sudo()
            .message_post(
                body="Any news?",
                author_id=customer.partner_id.id,
                message_type="comment",
                subtype_xmlid="mail.mt_comment",
            )
        )
        self.assertIn(agent.partner_id, message.notification_ids.res_partner_id)
