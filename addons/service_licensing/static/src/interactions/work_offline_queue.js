/**
 * The notes a technician adds while the phone has no connection, kept in the phone's
 * IndexedDB (one database per user: another login on the same phone sends nothing of
 * theirs) until the server has them. Each note has a key of its own (a UUID): the server
 * stores a note once per key, so a note sent twice (an answer lost on the way back, two
 * tabs, a retry) is stored once.
 */

const DB_VERSION = 1;
const STORE = "notes";
export const QUEUE_CHANGED = "service_work_offline_changed";
export const REPLAY_NOW = "service_work_offline_replay";
export const PHOTO_MAX_BYTES = 10 * 1024 * 1024;
export const PHOTO_MAX_COUNT = 5;
export const PHOTO_TYPES = ["image/jpeg", "image/png", "image/webp", "image/heic"];

/**
 * The network as the page reaches it; the tours replace window.fetch to cut it.
 */
export const workNetwork = {
    fetch: (...args) => window.fetch(...args),
    isOnline: () => navigator.onLine !== false,
};

export function newClientKey() {
    if (window.crypto?.randomUUID) {
        return window.crypto.randomUUID();
    }
    const bytes = window.crypto.getRandomValues(new Uint8Array(16));
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    const hex = [...bytes].map((byte) => byte.toString(16).padStart(2, "0")).join("");
    return [hex.slice(0, 8), hex.slice(8, 12), hex.slice(12, 16), hex.slice(16, 20), hex.slice(20)].join(
        "-"
    );
}

export function queueAvailable() {
    return Boolean(window.indexedDB);
}

function openDatabase(uid) {
    return new Promise((resolve, reject) => {
        const request = window.indexedDB.open(`service_work_offline_${uid}`, DB_VERSION);
        request.onupgradeneeded = () => request.result.createObjectStore(STORE, { keyPath: "key" });
        request.onsuccess = () => resolve(request.result);
        request.onerror = () => reject(request.error);
    });
}

async function withStore(uid, mode, action) {
    const db = await openDatabase(uid);
    try {
        return await new Promise((resolve, reject) => {
            const transaction = db.transaction(STORE, mode);
            const request = action(transaction.objectStore(STORE));
            transaction.oncomplete = () => resolve(request?.result);
            transaction.onerror = () => reject(transaction.error);
            transaction.onabort = () => reject(transaction.error);
        });
    } finally {
        db.close();
    }
}

export const workQueue = {
    async all(uid) {
        const notes = await withStore(uid, "readonly", (store) => store.getAll());
        return (notes || []).sort((a, b) => a.date - b.date);
    },
    async put(uid, note) {
        await withStore(uid, "readwrite", (store) => store.put(note));
        document.dispatchEvent(new CustomEvent(QUEUE_CHANGED));
    },
    async remove(uid, key) {
        await withStore(uid, "readwrite", (store) => store.delete(key));
        document.dispatchEvent(new CustomEvent(QUEUE_CHANGED));
    },
};

/**
 * Sends one note to /my/work/<id>/note/sync.
 *
 * @returns {Promise<Object>} one of
 *   {saved: true, duplicate, url}: the server has it (now, or from an earlier sending);
 *   {refused: message, status}: the server will not take it as it is (404, 422);
 *   {retry: true, message?}: not now (no network, the session ended, a CSRF refusal, a
 *   proxy's error page, no licence for the moment): it stays on the phone.
 */
export async function sendNote(note, csrfToken) {
    const data = new FormData();
    data.append("csrf_token", csrfToken);
    data.append("client_key", note.key);
    data.append("note", note.note || "");
    for (const photo of note.photos || []) {
        data.append("photos", photo, photo.name || "photo");
    }
    let response;
    try {
        response = await workNetwork.fetch(note.syncUrl, {
            method: "POST",
            body: data,
            credentials: "same-origin",
        });
    } catch {
        return { retry: true, offline: true };
    }
    return readAnswer(response);
}

async function readAnswer(response) {
    const type = response.headers.get("Content-Type") || "";
    if (response.redirected || !type.includes("json")) {
        return { retry: true, status: response.status };
    }
    let body;
    try {
        body = await response.json();
    } catch {
        return { retry: true, status: response.status };
    }
    if (response.ok && body.saved) {
        return { saved: true, duplicate: Boolean(body.duplicate), url: body.url };
    }
    if ([404, 422].includes(response.status) && body.error) {
        return { refused: body.error, field: body.field, status: response.status };
    }
    return { retry: true, status: response.status, message: body.error };
}

/**
 * A CSRF token of the current session: the page's own may be older (a page opened
 * yesterday, or served from the phone's cache after a new login).
 *
 * @returns {Promise<{token?: string, message?: string}>}
 */
export async function freshCsrfToken(scope) {
    try {
        const response = await workNetwork.fetch(`${scope}/offline/token`, {
            credentials: "same-origin",
            cache: "no-store",
        });
        const type = response.headers.get("Content-Type") || "";
        if (response.redirected || !type.includes("json")) {
            return { loggedOut: response.redirected };
        }
        const body = await response.json();
        return body.csrf_token ? { token: body.csrf_token } : { message: body.error };
    } catch {
        return { offline: true };
    }
}
