import { Interaction } from "@web/public/interaction";
import { registry } from "@web/core/registry";
import { _t } from "@web/core/l10n/translation";
import {
    PHOTO_MAX_BYTES,
    PHOTO_MAX_COUNT,
    PHOTO_TYPES,
    QUEUE_CHANGED,
    REPLAY_NOW,
    freshCsrfToken,
    newClientKey,
    queueAvailable,
    sendNote,
    workNetwork,
    workQueue,
} from "./work_offline_queue";

/** A message in the live region of #service_work_offline (always in the page, so that
 * screen readers read what it says). */
function showStatus(offlineEl, text) {
    const statusEl = offlineEl.querySelector(".o_service_work_offline_status");
    statusEl.textContent = text || "";
    statusEl.classList.toggle("alert", Boolean(text));
    statusEl.classList.toggle("alert-info", Boolean(text));
}

const SYNC_TAG = "service-work-notes";
const RETRY_EVERY_MS = 60 * 1000;

async function registerBackgroundSync() {
    try {
        const registration = await navigator.serviceWorker?.ready;
        await registration?.sync?.register(SYNC_TAG);
    } catch {
        // Background Sync is a help where the browser has it: the page sends the notes
        // itself when it is back online, and at its next load
    }
}

/**
 * The technician workspace pages (/my/work, /my/work/<id>): the web app's service worker,
 * and the notes kept on this phone, listed, then sent when the connection returns (the
 * browser's online event, each page load, Background Sync through the service worker,
 * and every minute while some wait).
 */
export class ServiceWorkOffline extends Interaction {
    static selector = "#service_work_offline";
    dynamicContent = {
        _window: { "t-on-online.noUpdate": () => this.replay() },
        _document: {
            [`t-on-${QUEUE_CHANGED}.noUpdate`]: () => this.render(),
            [`t-on-${REPLAY_NOW}.noUpdate`]: () => this.replay(),
        },
        ".o_service_work_offline_discard": { "t-on-click.noUpdate": this.onDiscard },
    };

    setup() {
        this.uid = this.el.dataset.uid;
        this.scope = this.el.dataset.scope;
        this.orderId = Number(this.el.dataset.orderId) || false;
        this.notesEl = this.el.querySelector(".o_service_work_offline_notes");
        this.listEl = this.el.querySelector(".o_service_work_offline_list");
        this.replaying = false;
    }

    async willStart() {
        this.registerServiceWorker();
    }

    async start() {
        if (!queueAvailable()) {
            return;
        }
        if ("serviceWorker" in navigator) {
            this.addListener(navigator.serviceWorker, "message", (ev) => {
                if (ev.data?.type === "service_work_replay") {
                    this.replay();
                }
            });
        }
        const interval = setInterval(() => this.replay(), RETRY_EVERY_MS);
        this.registerCleanup(() => clearInterval(interval));
        await this.render();
        // tells the tours (and styles) that the queue is active
        this.el.classList.add("o_service_work_offline_ready");
        await this.replay();
    }

    registerServiceWorker() {
        if (!("serviceWorker" in navigator) || !window.isSecureContext) {
            return;
        }
        navigator.serviceWorker
            .register(`${this.scope}/service-worker.js`, { scope: this.scope })
            .then((registration) => {
                // the cached pages belong to one user: another login on the phone clears them
                const worker = registration.active || registration.waiting || registration.installing;
                worker?.postMessage({ type: "service_work_user", uid: this.uid });
            })
            .catch((error) => console.warn("The workspace's service worker is not registered", error));
    }

    async notes() {
        const notes = await this.waitFor(workQueue.all(this.uid));
        return this.orderId ? notes.filter((note) => note.orderId === this.orderId) : notes;
    }

    async render() {
        const notes = await this.notes();
        this.listEl.replaceChildren(...notes.map((note) => this.renderNote(note)));
        this.notesEl.classList.toggle("d-none", !notes.length);
    }

    renderNote(note) {
        const itemEl = document.createElement("li");
        itemEl.className = `card card-body mb-2 o_service_work_offline_note ${
            note.error ? "border-danger o_service_work_offline_refused" : "o_service_work_offline_queued"
        }`;
        itemEl.dataset.key = note.key;
        const stateEl = document.createElement("p");
        stateEl.className = `mb-1 small ${note.error ? "text-danger" : "text-muted"}`;
        stateEl.textContent = note.error
            ? _t("Not sent: %(error)s", { error: note.error })
            : _t("Kept on this phone, not sent yet.");
        itemEl.append(stateEl);
        if (!this.orderId && note.orderName) {
            const orderEl = document.createElement("strong");
            orderEl.textContent = note.orderName;
            itemEl.append(orderEl);
        }
        const textEl = document.createElement("div");
        textEl.className = "text-break";
        textEl.textContent = note.note;
        itemEl.append(textEl);
        if (note.photos?.length) {
            const photosEl = document.createElement("div");
            photosEl.className = "small text-muted";
            photosEl.textContent = _t("%(count)s photo(s)", { count: note.photos.length });
            itemEl.append(photosEl);
        }
        if (note.error) {
            // refused by the server: the technician copies what they need, then lets it go
            const discardEl = document.createElement("button");
            discardEl.type = "button";
            discardEl.className = "btn btn-outline-danger btn-lg w-100 mt-2 o_service_work_offline_discard";
            discardEl.textContent = _t("Discard this note");
            itemEl.append(discardEl);
        }
        return itemEl;
    }

    async onDiscard(ev) {
        const key = ev.currentTarget.closest("[data-key]")?.dataset.key;
        if (key) {
            await this.waitFor(workQueue.remove(this.uid, key));
        }
    }

    setStatus(text) {
        showStatus(this.el, text);
    }

    /**
     * Sends the notes kept on this phone, oldest first, one page at a time (a Web Lock
     * where the browser has one: two tabs do not send the same note together; the server
     * would store it once anyway).
     */
    async replay() {
        if (this.replaying || !queueAvailable() || !workNetwork.isOnline()) {
            return;
        }
        this.replaying = true;
        try {
            if (navigator.locks) {
                await this.waitFor(
                    navigator.locks.request("service_work_offline_replay", { ifAvailable: true }, (lock) =>
                        lock ? this.replayNow() : null
                    )
                );
            } else {
                await this.replayNow();
            }
        } finally {
            this.replaying = false;
        }
    }

    async replayNow() {
        const waiting = (await workQueue.all(this.uid)).filter((note) => !note.error);
        if (!waiting.length) {
            return;
        }
        const csrf = await freshCsrfToken(this.scope);
        if (!csrf.token) {
            if (csrf.loggedOut) {
                this.setStatus(_t("Log in again to send the notes saved on this phone."));
            } else if (csrf.message) {
                this.setStatus(csrf.message);
            }
            return;
        }
        let sentHere = null;
        let sent = 0;
        for (const note of waiting) {
            const result = await sendNote(note, csrf.token);
            if (result.saved) {
                await workQueue.remove(this.uid, note.key);
                sent++;
                if (note.orderId === this.orderId) {
                    sentHere = result.url;
                }
            } else if (result.refused) {
                await workQueue.put(this.uid, { ...note, error: result.refused });
            } else {
                if (result.message) {
                    this.setStatus(result.message);
                }
                break; // not now: the next ones would not go either
            }
        }
        if (!sent) {
            return;
        }
        if (sentHere && this.formIsEmpty()) {
            // the order's page shows the note in its log (nothing typed since is lost)
            window.location.replace(sentHere);
            return;
        }
        this.setStatus(_t("The notes saved on this phone are sent."));
    }

    formIsEmpty() {
        const formEl = document.querySelector("#service_work_note");
        if (!formEl) {
            return true;
        }
        const noteEl = formEl.querySelector("textarea[name=note]");
        const photosEl = formEl.querySelector("input[name=photos]");
        return !noteEl?.value.trim() && !photosEl?.files.length;
    }
}

/**
 * The note form of an order: sent by script, so that a note added without a connection
 * (or whose sending fails on the network) is kept on the phone instead of lost. What the
 * server refuses is sent again as the plain form, which shows the error as before.
 */
export class ServiceWorkNoteForm extends Interaction {
    static selector = "#service_work_note";
    dynamicContent = {
        _root: { "t-on-submit": this.onSubmit },
    };

    setup() {
        this.keyEl = this.el.querySelector("input[name=client_key]");
        this.noteEl = this.el.querySelector("textarea[name=note]");
        this.photosEl = this.el.querySelector("input[name=photos]");
        this.buttonEl = this.el.querySelector("button[type=submit]");
        this.offlineEl = document.querySelector("#service_work_offline");
        this.sending = false;
    }

    start() {
        // a key per note of this page: the key in the HTML may be a copy's (the page the
        // service worker kept, opened twice offline) and then names an earlier note
        this.renewKey();
        // a page shown again from the back-forward cache is not started again
        this.addListener(window, "pageshow", (ev) => {
            if (ev.persisted) {
                this.renewKey();
                this.sending = false;
                this.buttonEl.disabled = false;
            }
        });
        this.el.classList.add("o_service_work_note_ready");
        this.registerCleanup(() => this.el.classList.remove("o_service_work_note_ready"));
    }

    renewKey() {
        if (this.keyEl) {
            this.keyEl.value = newClientKey();
        }
    }

    /** Whether the script sends this note; if not, the plain form does (and the server
     * shows what is wrong). */
    sendsByScript(files) {
        if (!this.keyEl || !this.offlineEl || !queueAvailable()) {
            return false;
        }
        if (!this.noteEl.value.trim() && !files.length) {
            return false;
        }
        return (
            files.length <= PHOTO_MAX_COUNT &&
            files.every((file) => PHOTO_TYPES.includes(file.type) && file.size <= PHOTO_MAX_BYTES)
        );
    }

    async onSubmit(ev) {
        if (this.submitNatively) {
            return;
        }
        const files = [...(this.photosEl?.files || [])];
        if (!this.sendsByScript(files)) {
            return;
        }
        ev.preventDefault();
        if (this.sending) {
            return; // a doubled tap
        }
        this.sending = true;
        this.buttonEl.disabled = true;
        const note = {
            key: this.keyEl.value,
            orderId: Number(this.offlineEl.dataset.orderId),
            orderName: this.offlineEl.dataset.orderName,
            syncUrl: `${this.el.getAttribute("action")}/sync`,
            note: this.noteEl.value,
            photos: files,
            date: Date.now(),
        };
        const csrfToken = this.el.querySelector("input[name=csrf_token]").value;
        const result = workNetwork.isOnline()
            ? await this.waitFor(sendNote(note, csrfToken))
            : { retry: true, offline: true };
        if (result.saved) {
            // the page left behind (back button) holds no sent note nor its key
            this.el.reset();
            this.renewKey();
            window.location.assign(result.url);
            return;
        }
        if (result.refused) {
            // the page the plain form leads to names the error and its field
            this.submitNatively = true;
            this.buttonEl.disabled = false;
            this.el.requestSubmit ? this.el.requestSubmit(this.buttonEl) : this.el.submit();
            return;
        }
        try {
            await this.waitFor(workQueue.put(this.offlineEl.dataset.uid, note));
        } catch {
            // kept in the form: nothing is lost, the technician tries again
            this.sending = false;
            this.buttonEl.disabled = false;
            this.showStatus(_t("This phone could not keep the note (is its storage full?). Try again."));
            return;
        }
        this.el.reset();
        this.renewKey();
        this.sending = false;
        this.buttonEl.disabled = false;
        this.showStatus(_t("Saved on this phone, will be sent when you are back online."));
        registerBackgroundSync();
        if (!result.offline) {
            // online but refused for now (an old token, a proxy's error page): the queue
            // tries again at once with a fresh token
            document.dispatchEvent(new CustomEvent(REPLAY_NOW));
        }
    }

    showStatus(text) {
        showStatus(this.offlineEl, text);
    }
}

registry
    .category("public.interactions")
    .add("service_licensing.work_offline", ServiceWorkOffline)
    .add("service_licensing.work_note_form", ServiceWorkNoteForm);
