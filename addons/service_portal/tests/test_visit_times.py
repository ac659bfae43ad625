import re
from datetime import datetime, timedelta

from lxml import html

from odoo import fields, http
from odoo.tests import tagged

from .common import ServicePortalHttpCase

EN = "\N{EN DASH}"


def text_of(element):
    """The text of an element, spaces collapsed (CLDR puts narrow no-break spaces in times)."""
    return re.sub(r"\s+", " ", element.text_content().replace("\u202f", " ")).strip()


@tagged("post_install", "-at_install")
class TestVisitTimes(ServicePortalHttpCase):
    """One wording of a visit's time, in the customer's time zone, on the portal and in the
    emails; customer-facing statuses; lists that say what the job is."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.winslow.tz = "Europe/Brussels"
        # the viewer's own zone and the dispatcher's must not change what the customer reads
        cls.manager_user.tz = "America/New_York"
        cls.env.user.tz = "Asia/Tokyo"

    def _order(self, **values):
        return self.env["service.order"].create(
            {"partner_id": self.winslow.id, "site_id": self.north.id, **values}
        )

    def _page(self, url):
        response = self.url_open(url)
        self.assertEqual(response.status_code, 200, url)
        return html.fromstring(response.text)

    # ------------------------------------------------------------------
    # The format
    # ------------------------------------------------------------------

    def test_window_in_the_customers_zone_once_dated_without_seconds(self):
        Order = self.env["service.order"].with_context(lang="en_US")
        order = self._order(
            date_start=datetime(2030, 1, 15, 9, 0), date_end=datetime(2030, 1, 15, 11, 0)
        )
        order = order.with_context(lang="en_US")
        # winter: Brussels is UTC+1
        self.assertEqual(
            order._service_window_text().replace("\u202f", " "),
            f"Tue, Jan 15, 2030 · 10:00 AM{EN}12:00 PM (Europe/Brussels)",
        )
        # summer: UTC+2, the same UTC hour is 11:00
        summer = order._service_format_window(
            datetime(2030, 7, 16, 9, 0), datetime(2030, 7, 16, 11, 0)
        )
        self.assertEqual(
            summer.replace("\u202f", " "),
            f"Tue, Jul 16, 2030 · 11:00 AM{EN}1:00 PM (Europe/Brussels)",
        )
        # across the switch to summer time (31 March 2030, 01:00 UTC): two hours of UTC,
        # from 01:30 winter time to 04:30 summer time
        across = order._service_format_window(
            datetime(2030, 3, 31, 0, 30), datetime(2030, 3, 31, 2, 30)
        )
        self.assertEqual(
            across.replace("\u202f", " "),
            f"Sun, Mar 31, 2030 · 1:30 AM{EN}4:30 AM (Europe/Brussels)",
        )
        # a window over two days says both dates; no zone when asked not to
        two_days = order._service_format_window(
            datetime(2030, 1, 15, 15, 0), datetime(2030, 1, 16, 9, 0), show_zone=False
        )
        self.assertEqual(
            two_days.replace("\u202f", " "),
            f"Tue, Jan 15, 2030 · 4:00 PM {EN} Wed, Jan 16, 2030 · 10:00 AM",
        )
        # the year only when it is not this year's
        this_year = fields.Datetime.now().replace(month=6, day=1, hour=12, minute=0)
        self.assertNotIn(str(this_year.year), order._service_format_window(this_year))
        # no start, no text
        self.assertEqual(Order._service_format_window(False), "")
        # another language, its own words and clock
        french = order.with_context(lang="fr_FR")
        if self.env["res.lang"]._lang_get("fr_FR"):
            self.assertIn("15 janv. 2030", french._service_window_text())

    def test_zone_falls_back_from_site_to_customer_to_company(self):
        order = self._order(date_start=datetime(2030, 1, 15, 9, 0))
        self.assertEqual(order._service_tz(), "Europe/Brussels")
        self.north.tz = "Europe/London"
        self.assertEqual(order._service_tz(), "Europe/London", "the job site's zone first")
        self.north.tz = False
        self.winslow.tz = False
        self.env.company.partner_id.tz = "America/Chicago"
        self.assertEqual(order._service_tz(), "America/Chicago")
        self.env.company.partner_id.tz = False
        self.assertEqual(order._service_tz(), "UTC")
        self.assertIn("(UTC)", order._service_window_text())

    # ------------------------------------------------------------------
    # The bug of the issue: portal and "Visit moved" email disagreed
    # ------------------------------------------------------------------

    def test_rescheduled_visit_reads_the_same_on_the_portal_and_in_the_email(self):
        order = self._order(
            date_start=datetime(2030, 1, 10, 9, 0),
            date_end=datetime(2030, 1, 10, 11, 0),
            description="<p>Boiler pressure drops every morning</p>",
        )
        order.action_schedule()
        self.login_as(self.manager_user)
        page = self._page(order.access_url)
        # the form says in which zone the preferred date is typed
        self.assertIn("Europe/Brussels", text_of(page.get_element_by_id("service_change_request")))
        response = self.url_open(
            f"{order.access_url}/change",
            data={
                "change": "reschedule",
                "preferred_date": "2030-01-15T14:00",
                "reason": "The library is closed on the 10th",
                "csrf_token": http.Request.csrf_token(self),
            },
        )
        self.assertEqual(response.status_code, 200)
        self.env.invalidate_all()
        # 14:00 in Brussels in winter is 13:00 UTC, whatever the customer's own zone
        self.assertEqual(order.customer_request_date, datetime(2030, 1, 15, 13, 0))
        asked = "Tue, Jan 15, 2030 · 2:00 PM (Europe/Brussels)"
        # the pending banner shows the date asked for
        page = self._page(order.access_url)
        self.assertIn(asked, text_of(page.get_element_by_id("service_pending_request")))
        # the request is in the order's conversation, which the customer reads
        request_message = order.message_ids.filtered(
            lambda m: "asks to move this visit" in (m.body or "")
        )
        self.assertEqual(len(request_message), 1)
        self.assertEqual(request_message.subtype_id, self.env.ref("mail.mt_comment"))
        self.assertFalse(request_message.is_internal)
        self.assertIn(asked, request_message.body.replace("\u202f", " "))
        self.assertIn("The library is closed on the 10th", request_message.body)

        order.action_accept_customer_request()
        window = f"Tue, Jan 15, 2030 · 2:00 PM{EN}4:00 PM (Europe/Brussels)"
        moved = order.message_ids.filtered(lambda m: "Visit moved" in (m.subject or ""))
        self.assertEqual(len(moved), 1)
        self.assertIn(window, re.sub(r"\s+", " ", moved.body.replace("\u202f", " ")))
        page = self._page(order.access_url)
        self.assertEqual(text_of(page.get_element_by_id("service_order_window")), window)
        # the list says the same, the zone under it
        rows = self._page("/my/service-orders?filterby=all").xpath(
            f"//tr[.//a[@href='{order.access_url}']]"
        )
        self.assertEqual(len(rows), 1)
        self.assertIn(f"Tue, Jan 15, 2030 · 2:00 PM{EN}4:00 PM", text_of(rows[0]))
        self.assertIn("Europe/Brussels", text_of(rows[0]))

    def test_scheduled_email_and_reminder_use_the_same_window(self):
        order = self._order(
            date_start=datetime(2030, 7, 16, 9, 0), date_end=datetime(2030, 7, 16, 10, 30)
        )
        order.action_schedule()
        scheduled = order.message_ids.filtered(lambda m: "Visit scheduled" in (m.subject or ""))
        self.assertIn(
            f"Tue, Jul 16, 2030 · 11:00 AM{EN}12:30 PM (Europe/Brussels)",
            re.sub(r"\s+", " ", scheduled.body.replace("\u202f", " ")),
        )
        template = self.env.ref("service_portal.mail_template_visit_reminder")
        body = template._render_field("body_html", order.ids)[order.id]
        self.assertIn(
            f"Tue, Jul 16, 2030 · 11:00 AM{EN}12:30 PM (Europe/Brussels)",
            re.sub(r"\s+", " ", str(body).replace("\u202f", " ")),
        )

    # ------------------------------------------------------------------
    # Lists, statuses, upcoming
    # ------------------------------------------------------------------

    def test_list_says_what_the_job_is_with_customer_statuses(self):
        requested = self._order(
            kind="service",
            equipment_id=self.north_equipment.id,
            description="<p>Radiators cold in the reading room</p>",
        )
        self.login_as(self.manager_user)
        page = self._page("/my/service-orders?filterby=all")
        (row,) = page.xpath(f"//tr[.//a[@href='{requested.access_url}']]")
        row_text = text_of(row)
        self.assertIn("Radiators cold in the reading room", row_text)
        self.assertIn(self.north_equipment.name, row_text)
        self.assertIn(requested.name, row_text)
        self.assertIn(self.north.name, row_text)
        self.assertIn("Not yet planned", row_text)
        self.assertIn("Not scheduled yet", row_text)
        # no internal state anywhere a customer looks
        for url in ("/my/service-orders?filterby=all", requested.access_url, "/my"):
            self.assertNotIn("Draft", self.url_open(url).text, url)
        # the timeline too
        requested.action_reset_draft()
        requested.date_start = datetime(2030, 1, 10, 9, 0)
        requested.action_schedule()
        timeline = text_of(self._page(requested.access_url).find_class("o_service_timeline")[0])
        self.assertIn("Not scheduled yet", timeline)
        self.assertIn("Scheduled", timeline)
        self.assertNotIn("Draft", timeline)

    def test_search_defaults_to_reference_title_and_description(self):
        order = self._order(description="<p>Leaking valve near the kitchen</p>")
        self.login_as(self.manager_user)
        for term in ("kitchen", order.name, self.north.name):
            page = self._page(f"/my/service-orders?filterby=all&search={term}")
            self.assertTrue(page.xpath(f"//a[@href='{order.access_url}']"), term)
        page = self._page("/my/service-orders?filterby=all&search=kitchen&search_in=name")
        self.assertFalse(page.xpath(f"//a[@href='{order.access_url}']"))

    def test_visit_under_way_stays_under_upcoming(self):
        now = fields.Datetime.now()
        started = self._order(
            date_start=now - timedelta(hours=3),
            date_end=now - timedelta(hours=1),  # running late: still under way
        )
        started.action_schedule()
        started.action_start()
        requested = self._order(description="<p>No date yet</p>")
        past = self._order(date_start=now - timedelta(days=2), date_end=now - timedelta(days=2))
        past.action_schedule()
        self.login_as(self.manager_user)
        page = self._page("/my/service-orders")  # the default filter: upcoming
        self.assertTrue(page.xpath(f"//a[@href='{started.access_url}']"))
        self.assertTrue(page.xpath(f"//a[@href='{requested.access_url}']"))
        self.assertFalse(page.xpath(f"//a[@href='{past.access_url}']"))
        home = self._page("/my")
        dashboard = home.get_element_by_id("service_dashboard")
        self.assertTrue(dashboard.xpath(f".//a[@href='{started.access_url}']"))
        self.assertIn("In progress", text_of(dashboard))

    def test_site_counts_are_worded_for_their_number(self):
        for order in self.env["service.order"].search(
            [("site_id", "=", self.north.id), ("is_open", "=", True)]
        ):
            order.action_cancel()
        self._order()
        self.login_as(self.manager_user)
        page = self._page("/my/sites")
        (row,) = page.xpath(f"//tr[.//a[@href='/my/sites/{self.north.id}']]")
        counts = text_of(row.find_class("o_service_site_counts")[0])
        self.assertIn("1 service order", counts)
        self.assertNotIn("1 service orders", counts)
        self._order()
        page = self._page("/my/sites")
        (row,) = page.xpath(f"//tr[.//a[@href='/my/sites/{self.north.id}']]")
        self.assertIn("2 service orders", text_of(row.find_class("o_service_site_counts")[0]))
