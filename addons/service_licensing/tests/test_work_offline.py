"""The technician workspace as a web app that keeps a note typed offline: an offline note
queued twice is stored once (issue #16, "field app")."""

import io
import json
import threading
import uuid

import psycopg2
from PIL import Image

from odoo import Command, api, http
from odoo.tests import HttpCase, TransactionCase, tagged
from odoo.tools import mute_logger

from .common import LicensingCommon

NOTE_SUBTYPE = "mail.mt_note"


@tagged("post_install", "-at_install")
class TestWorkOffline(LicensingCommon, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_licensing_base()
        ref = cls.env.ref
        cls.order = cls.north_order
        cls.other_order = cls.north_done_order
        cls.other_order.technician_ids = [Command.link(cls.terry.id)]
        cls.not_assigned = cls.south_order
        partner = cls.env["res.partner"].create(
            {
                "name": "Tina Tech",
                "email": "tina@winslow.example",
                "parent_id": cls.winslow.id,
            }
        )
        cls.tina = (
            cls.env["res.users"]
            .with_context(no_reset_password=True)
            .create(
                {
                    "partner_id": partner.id,
                    "login": "tina@winslow.example",
                    "password": "tina@winslow.example",
                    "service_technician_account": True,
                    "group_ids": [Command.set([ref("base.group_portal").id])],
                }
            )
        )
        cls.env["service.license"].create(
            {
                "subscription_id": cls.winslow_subscription.id,
                "user_id": cls.tina.id,
                "name": "Tina Tech",
                "email": "tina@winslow.example",
                "device_type": "android",
            }
        )
        cls.order.technician_ids = [Command.link(cls.tina.id)]

    def setUp(self):
        super().setUp()
        self.authenticate(self.terry.login, self.terry.login)

    def _post(self, url, data=None, files=None, **kw):
        return self.url_open(
            url,
            data={**(data or {}), "csrf_token": http.Request.csrf_token(self)},
            files=files,
            **kw,
        )

    def _sync(self, order, note, key, files=None):
        return self._post(
            f"/my/work/{order.id}/note/sync", {"note": note, "client_key": key}, files=files
        )

    def _notes(self, order, text):
        return order.message_ids.filtered(
            lambda message: (
                message.subtype_id == self.env.ref(NOTE_SUBTYPE) and text in (message.body or "")
            )
        )

    def test_the_same_note_sent_twice_is_stored_once(self):
        key = str(uuid.uuid4())
        for _attempt in range(2):
            page = self._post(
                f"/my/work/{self.order.id}/note", {"note": "Gauge replaced", "client_key": key}
            )
            self.assertIn("Saved.", page.text)
        self.assertEqual(len(self._notes(self.order, "Gauge replaced")), 1)
        # sent again by the phone's queue (the answer was lost): success, nothing new
        answer = self._sync(self.order, "Gauge replaced", key.upper())
        self.assertEqual(answer.status_code, 200)
        self.assertEqual(answer.headers["Content-Type"], "application/json; charset=utf-8")
        self.assertEqual(
            answer.json(),
            {"saved": True, "duplicate": True, "url": f"/my/work/{self.order.id}"},
        )
        self.assertEqual(len(self._notes(self.order, "Gauge replaced")), 1)
        # the page the script opens next says it is saved, once
        page = self.url_open(answer.json()["url"]).text
        self.assertIn('id="service_work_saved"', page)
        self.assertNotIn('id="service_work_saved"', self.url_open(answer.json()["url"]).text)

    def test_a_photo_sent_twice_is_stored_once(self):
        png = io.BytesIO()
        Image.new("RGB", (2, 2), "red").save(png, "PNG")
        key = str(uuid.uuid4())
        for _attempt in range(2):
            answer = self._sync(
                self.order,
                "",
                key,
                files={"photos": ("gauge.png", io.BytesIO(png.getvalue()), "image/png")},
            )
            self.assertEqual(answer.status_code, 200)
        self.assertEqual(
            self.order.message_ids.attachment_ids.filtered(lambda a: a.name == "gauge.png").mapped(
                "name"
            ),
            ["gauge.png"],
        )

    def test_different_keys_are_different_notes(self):
        for _note in range(2):
            answer = self._sync(self.order, "Pressure checked", str(uuid.uuid4()))
            self.assertEqual(answer.json()["duplicate"], False)
        # and a form without a key (a page from before this feature) stores each time
        self._post(f"/my/work/{self.order.id}/note", {"note": "Pressure checked"})
        self.assertEqual(len(self._notes(self.order, "Pressure checked")), 3)

    def test_a_key_tells_nothing_outside_its_order_and_technician(self):
        """A key is the technician's on one order: the same key on another order, or from
        another technician, is a new note, answered as any new note."""
        key = str(uuid.uuid4())
        first = self._sync(self.order, "Terry's note", key).json()
        self.assertEqual(first["duplicate"], False)
        on_other_order = self._sync(self.other_order, "Another job", key).json()
        self.assertEqual(on_other_order["duplicate"], False)
        self.assertEqual(len(self._notes(self.other_order, "Another job")), 1)
        self.authenticate("tina@winslow.example", "tina@winslow.example")
        tina = self._sync(self.order, "Tina's note", key).json()
        self.assertEqual(tina["duplicate"], False)
        self.assertEqual(self._notes(self.order, "Tina's note").author_id, self.tina.partner_id)
        # an order of someone else, or none at all: the same answer, nothing stored
        answers = [
            self._sync(self.other_order, "Not mine", key),
            self._sync(self.not_assigned, "Not mine", key),
            self._sync(self.env["service.order"].browse(999999), "Not mine", key),
        ]
        self.assertEqual({answer.status_code for answer in answers}, {404})
        self.assertEqual(len({answer.text for answer in answers}), 1)
        self.assertNotIn(key, answers[0].text)
        self.assertFalse(self._notes(self.other_order, "Not mine"))

    def test_hostile_keys_are_refused_clearly(self):
        for key in ("not-a-uuid", "x" * 10000, "'; DROP TABLE service_work_note_key; --", "0" * 65):
            with self.subTest(key=key[:20]):
                answer = self._sync(self.order, "Hostile", key)
                self.assertEqual(answer.status_code, 422)
                self.assertEqual(answer.json()["field"], "note")
                self.assertIn("invalid key", answer.json()["error"])
                page = self._post(
                    f"/my/work/{self.order.id}/note", {"note": "Hostile", "client_key": key}
                )
                self.assertEqual(page.status_code, 200)
                self.assertIn("invalid key", page.text)
        self.assertFalse(self._notes(self.order, "Hostile"))
        # a note refused for its content claims no key: sent again corrected, it is stored
        key = str(uuid.uuid4())
        self.assertEqual(self._sync(self.order, "  ", key).status_code, 422)
        self.assertEqual(self._sync(self.order, "Corrected", key).json()["duplicate"], False)

    def test_only_licensed_technicians_send_notes(self):
        key = str(uuid.uuid4())
        manager = self.manager_user
        manager.password = manager.login
        self.authenticate(manager.login, manager.login)
        answer = self._sync(self.order, "Customer's try", key)
        self.assertEqual(answer.status_code, 403)
        self.assertIn("licence", answer.json()["error"])
        self.assertEqual(self.url_open("/my/work/offline/token").status_code, 403)
        self.authenticate(None, None)
        answer = self.url_open(
            f"/my/work/{self.order.id}/note/sync",
            data={"note": "Visitor", "client_key": key},
            allow_redirects=False,
        )
        self.assertNotEqual(answer.status_code, 200)
        self.assertFalse(
            self._notes(self.order, "Customer's try") | self._notes(self.order, "Visitor")
        )
        token = self.url_open("/my/work/offline/token", allow_redirects=False)
        self.assertEqual(token.status_code, 303)
        self.assertIn("/web/login", token.headers["Location"])

    def test_a_fresh_csrf_token_for_the_queue(self):
        answer = self.url_open("/my/work/offline/token")
        self.assertEqual(answer.status_code, 200)
        self.assertEqual(answer.headers["Cache-Control"], "no-store")
        self.assertEqual(answer.headers["X-Content-Type-Options"], "nosniff")
        token = answer.json()["csrf_token"]
        sent = self.url_open(
            f"/my/work/{self.order.id}/note/sync",
            data={
                "note": "With the fresh token",
                "client_key": str(uuid.uuid4()),
                "csrf_token": token,
            },
        )
        self.assertEqual(sent.json()["saved"], True)
        with mute_logger("odoo.http"):  # "CSRF validation failed"
            stale = self.url_open(
                f"/my/work/{self.order.id}/note/sync",
                data={
                    "note": "Stale",
                    "client_key": str(uuid.uuid4()),
                    "csrf_token": "0" * 40 + "o1",
                },
            )
        self.assertEqual(stale.status_code, 400)
        self.assertFalse(self._notes(self.order, "Stale"))

    def test_manifest(self):
        answer = self.url_open("/my/work/manifest.webmanifest")
        self.assertEqual(answer.status_code, 200)
        self.assertEqual(answer.headers["Content-Type"], "application/manifest+json")
        manifest = json.loads(answer.text)
        self.assertEqual(manifest["start_url"], "/my/work")
        self.assertEqual(manifest["scope"], "/my/work")
        self.assertEqual(manifest["display"], "standalone")
        self.assertEqual(manifest["short_name"], "My work")
        self.assertTrue(manifest["name"] and manifest["theme_color"])
        sizes = {(icon["sizes"], icon.get("purpose", "any")) for icon in manifest["icons"]}
        self.assertLessEqual(
            {("192x192", "any"), ("512x512", "any"), ("512x512", "maskable")}, sizes
        )
        for icon in manifest["icons"]:
            image = self.url_open(icon["src"])
            self.assertEqual(image.status_code, 200)
            self.assertEqual(image.headers["Content-Type"], "image/png")
            width = int(icon["sizes"].split("x")[0])
            self.assertEqual(Image.open(io.BytesIO(image.content)).size, (width, width))
        # nothing of anyone's data, and no manifest for a visitor
        self.assertNotIn(self.order.name, answer.text)
        self.assertNotIn("terry", answer.text.lower())
        self.authenticate(None, None)
        visitor = self.url_open("/my/work/manifest.webmanifest", allow_redirects=False)
        self.assertEqual(visitor.status_code, 303)

    def test_service_worker(self):
        self.authenticate(None, None)  # the browser fetches it as it likes: static code
        answer = self.url_open("/my/work/service-worker.js")
        self.assertEqual(answer.status_code, 200)
        self.assertEqual(answer.headers["Content-Type"], "text/javascript; charset=utf-8")
        self.assertEqual(answer.headers["Service-Worker-Allowed"], "/my/work")
        self.assertEqual(answer.headers["Cache-Control"], "no-cache")
        self.assertIn('addEventListener("sync"', answer.text)
        self.assertIn('addEventListener("fetch"', answer.text)

    def test_the_workspace_pages_link_the_app_and_others_do_not(self):
        for url in ("/my/work", f"/my/work/{self.order.id}"):
            page = self.url_open(url).text
            head = page[: page.index("</head>")]
            self.assertIn(
                '<link rel="manifest" crossorigin="use-credentials" href="/my/work/manifest.webmanifest"/>',
                head,
            )
            self.assertIn('rel="apple-touch-icon"', head)
            self.assertIn('name="theme-color"', head)
            self.assertIn('id="service_work_offline"', page)
        form = self.url_open(f"/my/work/{self.order.id}").text
        keys = [part.split('"')[0] for part in form.split('name="client_key" value="')[1:]]
        self.assertEqual(len(keys), 1)
        uuid.UUID(keys[0])
        self.assertNotIn("/my/work/manifest.webmanifest", self.url_open("/my").text)

    def test_offline_note_queued_twice_is_stored_once_in_the_browser(self):
        """The tour loses the answer to the first sending (the server stored the note), so
        the phone keeps it; back online, it sends it again: one note in the log."""
        self.terry.password = self.terry.login
        self.browser_size = "375x812"
        self.start_tour(
            f"/my/work/{self.order.id}", "service_licensing_work_offline", login=self.terry.login
        )
        self.assertEqual(len(self._notes(self.order, "Offline: gauge replaced")), 1)

    def test_a_page_with_a_stale_csrf_token_still_sends_the_note(self):
        self.terry.password = self.terry.login
        self.browser_size = "375x812"
        with mute_logger("odoo.http"):  # the refused token: "CSRF validation failed"
            self.start_tour(
                f"/my/work/{self.order.id}",
                "service_licensing_work_stale_token",
                login=self.terry.login,
            )
        self.assertEqual(len(self._notes(self.order, "Stale page: filter cleaned")), 1)


@tagged("post_install", "-at_install")
class TestWorkOfflineConcurrency(LicensingCommon, TransactionCase):
    """Two sendings of one note at the same moment, as two workers see them: each in its
    own cursor (own transaction, REPEATABLE READ), committed as an HTTP request is. Both
    cursors must see the technician and the order, so the test builds the shared base in a
    committed cursor and deletes it afterwards."""

    def setUp(self):
        super().setUp()
        base = self._service_browse(
            self.env, self._service_setup_committed("_setup_licensing_base")
        )
        self.terry = base.terry
        self.order = base.north_order
        self.key = str(uuid.uuid4())
        self.text = f"Concurrent {self.key}"
        self.addCleanup(self._cleanup)

    def _cleanup(self):
        with self.registry.cursor() as cr:
            cr.execute("DELETE FROM service_work_note_key WHERE client_key = %s", [self.key])
            cr.execute("DELETE FROM mail_message WHERE body::text LIKE %s", [f"%{self.text}%"])

    def _order(self, cr):
        return api.Environment(cr, self.terry.id, {})["service.order"].browse(self.order.id)

    def _count(self, cr):
        cr.execute("SELECT count(*) FROM mail_message WHERE body::text LIKE %s", [f"%{self.text}%"])
        return cr.fetchone()[0]

    def test_a_sending_that_began_before_the_other_committed_is_retried_as_a_duplicate(self):
        with self.registry.cursor() as late_cr:
            late_cr.execute("SELECT 1")  # the late request's snapshot: before the first commits
            with self.registry.cursor() as first_cr:
                self.assertTrue(self._order(first_cr)._technician_add_note(self.text, [], self.key))
            with self.assertRaises(psycopg2.errors.SerializationFailure):
                self._order(late_cr)._technician_add_note(self.text, [], self.key)
            # what Odoo does with the request: serves it again, in a new transaction
            late_cr.rollback()
            self.assertFalse(self._order(late_cr)._technician_add_note(self.text, [], self.key))
            self.assertEqual(self._count(late_cr), 1)

    def test_two_sendings_at_the_same_moment_store_one_note(self):
        """The second waits on the key the first inserted, then fails to serialize (Odoo
        serves it again: a duplicate); the note is stored once."""
        claimed = threading.Event()
        outcome = {}

        def second():
            with self.registry.cursor() as cr:
                claimed.wait(10)
                try:
                    outcome["second"] = self._order(cr)._technician_add_note(
                        self.text, [], self.key
                    )
                except psycopg2.errors.SerializationFailure:
                    cr.rollback()
                    outcome["second"] = self._order(cr)._technician_add_note(
                        self.text, [], self.key
                    )
                    outcome["retried"] = True

        with self.registry.cursor() as first_cr:
            first_cr.execute("SELECT 1")
            thread = threading.Thread(target=second)
            thread.start()
            self.assertTrue(self._order(first_cr)._technician_add_note(self.text, [], self.key))
            claimed.set()
            thread.join(0.5)
            self.assertTrue(thread.is_alive(), "the second sending waits for the first")
        thread.join(10)
        self.assertEqual(outcome, {"second": False, "retried": True})
        with self.registry.cursor() as cr:
            self.assertEqual(self._count(cr), 1)
