// The signed-in session. The token never reaches a page script: the login answer sets it in an
// HttpOnly, SameSite=Strict cookie that the browser sends from every tab (POST /api/v1/auth/login
// with `"session": "cookie"`; signing out is POST /api/v1/auth/logout). The page keeps only who
// is signed in, which is not secret, in localStorage (shared by the tabs) to draw its frame, until
// the sign-in's expiry. Also: which pages each role may open, and the guard every staff page calls
// first.

const USER_KEY = 'tiepdan.user';

// Sessions of the earlier frontend kept the token itself in sessionStorage: forgotten.
try {
  sessionStorage.removeItem('tiepdan.token');
  sessionStorage.removeItem('tiepdan.user');
} catch { /* storage off */ }

/** The signed-in user (`{id, username, full_name, role, …, expires_at}`), or null. */
export function getUser() {
  let user = null;
  try {
    user = JSON.parse(localStorage.getItem(USER_KEY) || 'null');
  } catch {
    return null;
  }
  if (user && user.expires_at && Date.parse(user.expires_at) <= Date.now()) {
    clearSession();
    return null;
  }
  return user;
}

/** Keeps who signed in, from a login answer `{user, expires_at}` (its cookie holds the token). */
export function setSession({ user, expires_at: expiresAt }) {
  localStorage.setItem(USER_KEY, JSON.stringify({ ...user, expires_at: expiresAt }));
}

/** Forgets who is signed in (this tab and the others). */
export function clearSession() {
  try { localStorage.removeItem(USER_KEY); } catch { /* storage off */ }
}

/** Signs out: the server removes the session cookie, and the page forgets the user. */
export async function signOut() {
  try {
    await fetch('/api/v1/auth/logout', { method: 'POST', headers: { 'X-Requested-With': 'tiepdan' } });
  } catch { /* offline: the cookie ends with its token */ }
  clearSession();
}

/** Runs `onEnd` when another tab signs out (or the sign-in is dropped there). */
export function onSignedOutElsewhere(onEnd) {
  window.addEventListener('storage', (e) => {
    if (e.key === USER_KEY && !e.newValue) onEnd();
  });
}

export const isStaff = (user) => !!user && user.role !== 'citizen';

/** The staff workspace's pages, and who sees each in the navigation. */
export const STAFF_PAGES = [
  { key: 'inbox', href: '/can-bo/', label: 'Việc của tôi', roles: ['chairman', 'unit_head', 'inspector', 'receptionist'] },
  { key: 'inbox', href: '/can-bo/', label: 'Sổ đơn thư', roles: ['admin'] },
  { key: 'intake', href: '/can-bo/tiep-nhan', label: 'Tiếp nhận đơn', roles: ['chairman', 'unit_head', 'inspector', 'receptionist', 'admin'] },
  { key: 'reception', href: '/can-bo/tiep-dan', label: 'Tiếp công dân', roles: ['chairman', 'receptionist', 'inspector', 'unit_head', 'admin'] },
  { key: 'review', href: '/can-bo/tong-hop-tuan', label: 'Tổng hợp tuần', roles: ['chairman', 'admin'] },
  { key: 'reports', href: '/can-bo/bao-cao', label: 'Báo cáo', roles: ['chairman', 'admin'] },
  { key: 'oversight', href: '/can-bo/giam-sat', label: 'Nhật ký giám sát', roles: ['chairman', 'admin'] },
  { key: 'retention', href: '/can-bo/luu-tru', label: 'Hủy đơn hết hạn lưu', roles: ['chairman', 'admin'] },
  { key: 'admin', href: '/can-bo/quan-tri', label: 'Quản trị', roles: ['admin'] },
  { key: 'calc', href: '/tinh-han', label: 'Tính hạn', roles: ['chairman', 'unit_head', 'inspector', 'receptionist', 'admin'] },
];

export function pagesFor(role) {
  return STAFF_PAGES.filter((p) => p.roles.includes(role));
}

/** Where a user lands after signing in. */
export function homeFor(user) {
  if (!user) return '/';
  if (user.role === 'citizen') return '/tai-khoan';
  if (user.role === 'admin') return '/can-bo/quan-tri';
  return '/can-bo/';
}

/**
 * Only same-site paths are followed after login (no open redirect): `next` must be a path that
 * starts with one `/` (not `//host` nor `/\host`, which browsers read as another host) and that
 * still resolves to this origin. Returns the resolved path, query and hash, or null.
 */
export function safeNext(next) {
  if (typeof next !== 'string' || !next.startsWith('/') || next.startsWith('//') || next.includes('\\')) return null;
  // Tabs and newlines are dropped by the URL parser, so `/\t/evil.host` would become `//evil.host`.
  if (/[\u0000-\u001f\u007f]/.test(next)) return null;
  let url;
  try {
    url = new URL(next, location.origin);
  } catch {
    return null;
  }
  if (url.origin !== location.origin || !url.pathname.startsWith('/') || url.pathname.startsWith('//')) return null;
  return url.pathname + url.search + url.hash;
}

/**
 * The first call of a staff page: the signed-in staff user, or a redirect to the login page
 * (returns null then). With `roles`, other roles get null and the caller shows "no access".
 */
export function requireStaff() {
  const user = getUser();
  if (!isStaff(user)) {
    const next = location.pathname + location.search;
    location.replace(`/can-bo/dang-nhap?next=${encodeURIComponent(next)}`);
    return null;
  }
  return user;
}
