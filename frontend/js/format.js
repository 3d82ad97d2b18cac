// Dates as Vietnamese readers write them (dd/mm/yyyy), in Vietnam's time (UTC+7), and small
// helpers over civil dates `YYYY-MM-DD` (kept as strings: no time zone surprises).

import { WEEKDAYS } from './i18n.js';

const VN_OFFSET_MS = 7 * 3600 * 1000;

/** `2026-11-25` → `25/11/2026`; empty for nothing. */
export function fmtDate(iso) {
  if (!iso) return '';
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(iso);
  return m ? `${m[3]}/${m[2]}/${m[1]}` : String(iso);
}

/** An RFC 3339 instant → `25/11/2026 14:05` in Vietnam's time. */
export function fmtDateTime(instant) {
  if (!instant) return '';
  const t = new Date(instant);
  if (Number.isNaN(t.getTime())) return String(instant);
  const v = new Date(t.getTime() + VN_OFFSET_MS);
  const p = (n) => String(n).padStart(2, '0');
  return `${p(v.getUTCDate())}/${p(v.getUTCMonth() + 1)}/${v.getUTCFullYear()} ${p(v.getUTCHours())}:${p(v.getUTCMinutes())}`;
}

/** Today's civil date in Vietnam, `YYYY-MM-DD`. */
export function todayVN() {
  return new Date(Date.now() + VN_OFFSET_MS).toISOString().slice(0, 10);
}

function utc(iso) {
  const [y, m, d] = iso.slice(0, 10).split('-').map(Number);
  return Date.UTC(y, m - 1, d);
}

/** Whole days from `a` to `b` (positive when `b` is later). */
export function daysBetween(a, b) {
  return Math.round((utc(b) - utc(a)) / 86400000);
}

/** `YYYY-MM-DD` plus `n` days. */
export function addDays(iso, n) {
  return new Date(utc(iso) + n * 86400000).toISOString().slice(0, 10);
}

/** 1 = Monday … 7 = Sunday. */
export function isoWeekday(iso) {
  const d = new Date(utc(iso)).getUTCDay();
  return d === 0 ? 7 : d;
}

/** "Thứ Năm" for a date. */
export function weekdayName(iso) {
  return WEEKDAYS[isoWeekday(iso)];
}

/** "Thứ Năm, 26/11/2026". */
export function fmtDateLong(iso) {
  return iso ? `${weekdayName(iso)}, ${fmtDate(iso)}` : '';
}

/** The ISO week of a date, `2026-W48`. */
export function isoWeek(iso) {
  const t = new Date(utc(iso));
  const day = isoWeekday(iso);
  t.setUTCDate(t.getUTCDate() + 4 - day); // the Thursday of this week decides the year
  const year = t.getUTCFullYear();
  const week = Math.ceil(((t - Date.UTC(year, 0, 1)) / 86400000 + 1) / 7);
  return `${year}-W${String(week).padStart(2, '0')}`;
}

/** The Monday of an ISO week `2026-W48`. */
export function mondayOfWeek(week) {
  const m = /^(\d{4})-W(\d{2})$/.exec(week);
  if (!m) return null;
  const jan4 = `${m[1]}-01-04`;
  const monday1 = addDays(jan4, 1 - isoWeekday(jan4));
  return addDays(monday1, (Number(m[2]) - 1) * 7);
}

/** "còn 3 ngày", "hôm nay", "quá hạn 2 ngày" for a due date. */
export function dueInWords(due, today = todayVN()) {
  if (!due) return '';
  const n = daysBetween(today, due);
  if (n === 0) return 'đến hạn hôm nay';
  if (n > 0) return `còn ${n} ngày`;
  return `quá hạn ${-n} ngày`;
}

/** Lower-cases and strips Vietnamese diacritics (đ → d), for matching typed text. */
export function fold(text) {
  return String(text ?? '')
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/đ/g, 'd')
    .replace(/Đ/g, 'D')
    .toLowerCase();
}

/** A number with Vietnamese grouping: 12.345. */
export function fmtNumber(n) {
  return new Intl.NumberFormat('vi-VN').format(n ?? 0);
}

/** A percentage as "85,7%" (the API sends percents, one decimal). */
export function fmtPercent(p) {
  if (p == null || Number.isNaN(p)) return '—';
  return `${new Intl.NumberFormat('vi-VN', { maximumFractionDigits: 1 }).format(p)}%`;
}

/** A decimal with Vietnamese separators and at most `digits` decimals ("7,4"); "—" for nothing. */
export function fmtDecimal(n, digits = 1) {
  if (n == null || Number.isNaN(n)) return '—';
  return new Intl.NumberFormat('vi-VN', { maximumFractionDigits: digits }).format(n);
}

/** The month of a civil date, `2026-11-25` → `2026-11`. */
export const monthOf = (iso) => iso.slice(0, 7);

/** `2026-11` → `11/2026`. */
export function fmtMonth(month) {
  const m = /^(\d{4})-(\d{2})$/.exec(month || '');
  return m ? `${m[2]}/${m[1]}` : String(month ?? '');
}

/** `YYYY-MM` plus `n` months (negative goes back). */
export function addMonths(month, n) {
  const [y, m] = month.split('-').map(Number);
  const t = y * 12 + (m - 1) + n;
  return `${Math.floor(t / 12)}-${String((t % 12) + 1).padStart(2, '0')}`;
}

/** The last day of a month `YYYY-MM`, as `YYYY-MM-DD`. */
export function lastDayOfMonth(month) {
  return addDays(`${addMonths(month, 1)}-01`, -1);
}

/** Months from `a` to `b` inclusive (0 or less when `b` is before `a`). */
export function monthsBetween(a, b) {
  const [ya, ma] = a.split('-').map(Number);
  const [yb, mb] = b.split('-').map(Number);
  return (yb - ya) * 12 + (mb - ma) + 1;
}
