// The API client: JSON in and out, the browser's session cookie (the token itself is HttpOnly,
// never read here) with the `X-Requested-With` header the server asks of a cookie's unsafe
// requests (its guard against other sites), and one error type carrying the API's
// `{"error":{"code","message","fields"}}` so pages can show it (see i18n.js).

import { clearSession, getUser } from './auth.js';
import { errorMessage } from './i18n.js';

export class ApiError extends Error {
  constructor(status, code, apiMessage, fields) {
    super(apiMessage || code);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.apiMessage = apiMessage;
    this.fields = fields || null;
  }

  /** What to tell the user, in Vietnamese. */
  get text() {
    return errorMessage(this);
  }
}

/** `{a: 1, b: null}` → `a=1`; empty values are left out. */
export function query(params) {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params || {})) {
    if (v === undefined || v === null || v === '' || v === false) continue;
    q.set(k, String(v));
  }
  const s = q.toString();
  return s ? `?${s}` : '';
}

/** The headers of every request of the pages. */
const SITE_HEADERS = { 'X-Requested-With': 'tiepdan' };

/**
 * Calls `/api/v1{path}`. Options: `method`, `body` (sent as JSON), `params` (query string),
 * `auth` (default true: a 401 means the sign-in ended; false for the sign-in itself). Resolves to
 * the parsed body (null for 204); rejects with an ApiError. A 401 while signed in ends the
 * session, in every tab.
 */
export async function api(path, { method = 'GET', body, params, auth = true } = {}) {
  const headers = { Accept: 'application/json', ...SITE_HEADERS };
  const signedIn = auth && !!getUser();
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  let res;
  try {
    res = await fetch(`/api/v1${path}${query(params)}`, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch {
    throw new ApiError(0, 'network_error', null, null);
  }
  if (res.status === 204) return null;
  let data = null;
  const text = await res.text();
  if (text) {
    try {
      data = JSON.parse(text);
    } catch {
      data = null;
    }
  }
  if (!res.ok) {
    const e = data?.error || {};
    const err = new ApiError(res.status, e.code || (res.status >= 500 ? 'internal_error' : 'bad_request'), e.message, e.fields);
    if (res.status === 401 && signedIn) {
      clearSession();
      window.dispatchEvent(new CustomEvent('tiepdan:session-ended', { detail: err }));
    }
    throw err;
  }
  return data;
}

/** A file the API answers (a printable page, a PDF, a spreadsheet) as a Blob, with the session. */
export async function fetchFile(path) {
  let res;
  try {
    res = await fetch(`/api/v1${path}`, { headers: SITE_HEADERS });
  } catch {
    throw new ApiError(0, 'network_error', null, null);
  }
  if (!res.ok) {
    let e = {};
    try { e = (await res.json()).error || {}; } catch { /* not JSON */ }
    throw new ApiError(res.status, e.code || 'bad_request', e.message, e.fields);
  }
  return res.blob();
}

/** Every item of a paged list (follows `next_after` where the list pages by cursor, else `page`
 * until `total` is reached; at most `max`). */
export async function allPages(path, params = {}, max = 1000) {
  const items = [];
  let page = 1;
  let after = null;
  for (;;) {
    const paging = after ? { after } : { page };
    const res = await api(path, { params: { ...params, ...paging, per_page: 200 } });
    const got = Array.isArray(res) ? res : res.items;
    items.push(...got);
    if (Array.isArray(res) || got.length === 0 || items.length >= max) break;
    if ('next_after' in res) {
      if (!res.next_after) break;
      after = res.next_after;
    } else {
      if (items.length >= res.total) break;
      page += 1;
    }
  }
  return items;
}

/**
 * Sends `file` as a `multipart/form-data` upload (its one part `file`) to `/api/v1{path}`, in the
 * session (its cookie, with the site's header) when `auth` (default true) and signed in. `onProgress(fraction)` follows the
 * sending (an XMLHttpRequest: fetch cannot report an upload's progress). Resolves to the parsed
 * answer; rejects with an ApiError, as `api` does (a 401 on a signed-in request ends the session).
 */
export function uploadFile(path, file, { auth = true, onProgress } = {}) {
  // The session travels in its HttpOnly cookie; the site's header lets a signed-in upload through
  // the cross-site check.
  const signedIn = auth && !!getUser();
  const form = new FormData();
  form.append('file', file, file.name);
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', `/api/v1${path}`);
    xhr.setRequestHeader('Accept', 'application/json');
    for (const [k, v] of Object.entries(SITE_HEADERS)) xhr.setRequestHeader(k, v);
    if (onProgress) xhr.upload.addEventListener('progress', (e) => { if (e.lengthComputable) onProgress(e.loaded / e.total); });
    xhr.addEventListener('error', () => reject(new ApiError(0, 'network_error', null, null)));
    xhr.addEventListener('abort', () => reject(new ApiError(0, 'upload_interrupted', null, null)));
    xhr.addEventListener('load', () => {
      let data = null;
      try { data = xhr.responseText ? JSON.parse(xhr.responseText) : null; } catch { data = null; }
      if (xhr.status >= 200 && xhr.status < 300) { resolve(data); return; }
      const e = data?.error || {};
      const err = new ApiError(xhr.status, e.code || (xhr.status >= 500 ? 'internal_error' : 'bad_request'), e.message, e.fields);
      if (xhr.status === 401 && signedIn) {
        clearSession();
        window.dispatchEvent(new CustomEvent('tiepdan:session-ended', { detail: err }));
      }
      reject(err);
    });
    xhr.send(form);
  });
}
