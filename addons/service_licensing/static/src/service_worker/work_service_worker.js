/* eslint-env serviceworker */
/* eslint-disable no-restricted-globals */
/**
 * The technician workspace's service worker, served by /my/work/service-worker.js with
 * the scope /my/work (not in any asset bundle).
 *
 * - The workspace's pages and the assets they load are kept, network first, so that the
 *   app opens without a connection (the last version seen of each page) and its note form
 *   works: a note added offline is kept by the page in IndexedDB, never here.
 * - Background Sync: when the browser fires the sync the page registered after keeping a
 *   note, the open workspace pages are asked to send the notes (with a fresh CSRF token of
 *   their own); with no page open, the notes go at the next page load.
 * - The pages kept belong to one user: a page telling another user id clears them.
 */
const CACHE = "service-work-v1";
const SYNC_TAG = "service-work-notes";
const USER_KEY = "/__service_work_user__";
// what the pages load to work (their bundles, icons, translations)
const ASSET_PREFIXES = [
    "/web/assets/",
    "/web/static/",
    "/web/webclient/",
    "/website/translations",
    "/service_licensing/static/",
];

const scopePath = () => new URL(self.registration.scope).pathname;

self.addEventListener("install", () => self.skipWaiting());

self.addEventListener("activate", (event) => {
    event.waitUntil(
        (async () => {
            for (const name of await caches.keys()) {
                if (name.startsWith("service-work-") && name !== CACHE) {
                    await caches.delete(name);
                }
            }
            await self.clients.claim();
        })()
    );
});

self.addEventListener("message", (event) => {
    if (event.data?.type !== "service_work_user") {
        return;
    }
    const uid = String(event.data.uid);
    event.waitUntil(
        (async () => {
            const cache = await caches.open(CACHE);
            const known = await cache.match(USER_KEY);
            if (known && (await known.text()) !== uid) {
                await caches.delete(CACHE);
            }
            await (await caches.open(CACHE)).put(USER_KEY, new Response(uid));
        })()
    );
});

async function networkFirst(request, cacheKey) {
    const cache = await caches.open(CACHE);
    try {
        const response = await fetch(request);
        if (response.ok && !response.redirected && response.type === "basic") {
            await cache.put(cacheKey, response.clone());
        }
        return response;
    } catch (error) {
        const cached = await cache.match(cacheKey);
        if (cached) {
            return cached;
        }
        throw error;
    }
}

self.addEventListener("fetch", (event) => {
    const request = event.request;
    if (request.method !== "GET") {
        return; // the notes are sent by the page, which keeps them when this fails
    }
    const url = new URL(request.url);
    if (url.origin !== self.location.origin) {
        return;
    }
    const scope = scopePath();
    if (request.mode === "navigate" && (url.pathname === scope || url.pathname.startsWith(`${scope}/`))) {
        // one copy per page, whatever its query
        event.respondWith(networkFirst(request, url.origin + url.pathname));
    } else if (ASSET_PREFIXES.some((prefix) => url.pathname.startsWith(prefix))) {
        event.respondWith(networkFirst(request, request.url));
    }
});

self.addEventListener("sync", (event) => {
    if (event.tag !== SYNC_TAG) {
        return;
    }
    event.waitUntil(
        (async () => {
            const pages = await self.clients.matchAll({ type: "window" });
            for (const page of pages) {
                page.postMessage({ type: "service_work_replay" });
            }
        })()
    );
});
