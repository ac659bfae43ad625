import { registry } from "@web/core/registry";

/**
 * An offline note queued twice is stored once: the first sending reaches the server but
 * its answer is lost on the way back (the phone leaves the coverage), so the phone keeps
 * the note; back online, it sends it again with the same key, and the log shows it once.
 */
registry.category("web_tour.tours").add("service_licensing_work_offline", {
    steps: () => [
        {
            content: "The workspace keeps notes on the phone",
            // nothing waits on the phone: the region is empty, so not visible
            trigger: "#service_work_offline.o_service_work_offline_ready:not(:visible)",
        },
        {
            content: "The form is sent by the page's script",
            trigger: "#service_work_note.o_service_work_note_ready",
            run() {
                // (idempotent: a step may run again)
                window.__serviceWorkLoseAnswers = true;
                if (window.__serviceWorkFetchPatched) {
                    return;
                }
                window.__serviceWorkFetchPatched = true;
                const realFetch = window.fetch;
                window.fetch = async (url, options) => {
                    const response = await realFetch(url, options);
                    if (window.__serviceWorkLoseAnswers && String(url).includes("/note/sync")) {
                        // the server has the note; its answer never reaches the phone
                        throw new TypeError("Failed to fetch");
                    }
                    return response;
                };
            },
        },
        {
            content: "Write a note",
            trigger: "#service_work_note textarea[name=note]",
            run: "edit Offline: gauge replaced",
        },
        {
            content: "Add it",
            trigger: "#service_work_note button[type=submit]",
            run: "click",
        },
        {
            content: "The phone says it keeps the note",
            trigger:
                "#service_work_offline .o_service_work_offline_status:contains(Saved on this phone, will be sent when you are back online)",
        },
        {
            content: "The note is listed as waiting, and the form is empty for the next one",
            trigger:
                "#service_work_offline .o_service_work_offline_queued:contains(Offline: gauge replaced)",
            run() {
                const textarea = document.querySelector("#service_work_note textarea[name=note]");
                if (textarea.value) {
                    throw new Error("The form still holds the note kept on the phone");
                }
            },
        },
        {
            content: "Back online: the phone sends the note again, then shows the log",
            trigger: "#service_work_offline .o_service_work_offline_queued",
            run() {
                window.__serviceWorkLoseAnswers = false;
                window.dispatchEvent(new Event("online"));
            },
            expectUnloadPage: true,
        },
        {
            content: "The note is in the log, once",
            trigger: "#service_work_log .o_service_work_log_entry:contains(Offline: gauge replaced)",
            run() {
                const entries = [
                    ...document.querySelectorAll("#service_work_log .o_service_work_log_entry"),
                ].filter((entry) => entry.textContent.includes("Offline: gauge replaced"));
                if (entries.length !== 1) {
                    throw new Error(`The note is in the log ${entries.length} times`);
                }
            },
        },
        {
            content: "Nothing waits on the phone anymore",
            trigger:
                "#service_work_offline.o_service_work_offline_ready:not(:visible):not(:has(.o_service_work_offline_note))",
        },
        {
            content: "The web app's service worker is registered for the workspace",
            trigger: "#service_work_note.o_service_work_note_ready",
            async run() {
                const registration = await navigator.serviceWorker.ready;
                const scope = new URL(registration.scope).pathname;
                if (scope !== "/my/work") {
                    throw new Error(`The service worker's scope is ${scope}`);
                }
            },
        },
    ],
});

/**
 * A page whose CSRF token is no longer valid (opened before a new login, or served from
 * the phone's cache): the server refuses the note, the phone keeps it and sends it at once
 * with a fresh token.
 */
registry.category("web_tour.tours").add("service_licensing_work_stale_token", {
    steps: () => [
        {
            content: "The form's token is an old session's",
            trigger: "#service_work_note.o_service_work_note_ready",
            run() {
                this.anchor.querySelector("input[name=csrf_token]").value = "0".repeat(40) + "o1";
            },
        },
        {
            content: "Write a note",
            trigger: "#service_work_note textarea[name=note]",
            run: "edit Stale page: filter cleaned",
        },
        {
            content: "Add it: refused, kept, then sent with a fresh token",
            trigger: "#service_work_note button[type=submit]",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "The note is in the log",
            trigger: "#service_work_log .o_service_work_log_entry:contains(Stale page: filter cleaned)",
        },
    ],
});
