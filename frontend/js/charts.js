// Charts of the review and report pages, drawn by Chart.js (vendor/, loaded by the page as a
// classic script: `window.Chart`). A canvas says nothing to a screen reader, so every chart has a
// text alternative and is followed by a table with the same numbers.

import { h } from './ui.js';

const COLORS = ['#0b3d91', '#a4161a', '#17602a', '#b7791f', '#6b3fa0'];
const charts = [];

/** Destroys the charts drawn so far (before a page draws its figures again). */
export function destroyCharts() {
  for (const c of charts.splice(0)) c.destroy();
}

/**
 * A card with a chart and its numbers as a table: `rows` are `[label, value…]`; `columns` name
 * the label column then each value column, as strings or `{label, format}` (the table shows
 * `format(value)`, by default the value as is). `draw(canvas, rows)` returns the Chart. With
 * `collapsed` the table sits under "Xem số liệu dạng bảng"; otherwise it follows the chart with
 * `caption` (default: the title). `note` is a line under the table (e.g. what "—" means).
 */
export function chartCard({ id, title, columns, rows, draw, collapsed = false, caption, note }) {
  const cols = columns.map((c) => (typeof c === 'string' ? { label: c } : c));
  const shown = (v, i) => (cols[i].format ? cols[i].format(v) : String(v ?? '—'));
  const alt = rows.map((r) => `${r[0]}: ${r.slice(1).map((v, i) => `${cols[i + 1].label} ${shown(v, i + 1)}`).join(', ')}`).join('; ');
  const canvas = h('canvas', { id, role: 'img', 'aria-label': `${title}. ${alt}` });
  const table = h('table', { 'data-testid': `${id}-table` },
    collapsed ? null : h('caption', null, caption ?? `Số liệu: ${title.charAt(0).toLowerCase()}${title.slice(1)}`),
    h('thead', null, h('tr', null, cols.map((c, i) => h('th', { scope: 'col', class: i ? 'num' : null }, c.label)))),
    h('tbody', null, rows.map((r) => h('tr', null, r.map((v, i) => (i
      ? h('td', { class: 'num' }, shown(v, i))
      : h('th', { scope: 'row' }, shown(v, 0))))))));
  const wrapped = h('div', { class: 'table-wrap' }, table);
  const card = h('section', { class: 'card', 'aria-labelledby': `${id}-title`, 'data-testid': id },
    h('h2', { id: `${id}-title` }, title),
    h('div', { class: 'chart-box' }, canvas),
    collapsed ? h('details', null, h('summary', null, 'Xem số liệu dạng bảng'), wrapped) : wrapped,
    note ? h('p', { class: 'muted small chart-note' }, note) : null);
  // Drawn once the canvas is in the page (Chart.js measures its box).
  queueMicrotask(() => requestAnimationFrame(() => {
    if (!canvas.isConnected) return;
    if (!window.Chart) {
      canvas.replaceWith(h('p', { class: 'muted' }, 'Không tải được thư viện biểu đồ; xem số liệu dạng bảng.'));
      return;
    }
    charts.push(draw(canvas, rows));
  }));
  return card;
}

const BASE_OPTIONS = {
  responsive: true,
  maintainAspectRatio: false,
  animation: false,
  plugins: { legend: { position: 'bottom', labels: { font: { family: 'DejaVu Sans, Arial, sans-serif' } } } },
};

/** Bars (a dataset with `type: 'line'` is drawn as a line over them), counts from zero. */
export function barChart(canvas, labels, datasets) {
  return new window.Chart(canvas, {
    type: 'bar',
    data: {
      labels,
      datasets: datasets.map((d, i) => ({ ...d, backgroundColor: COLORS[i % COLORS.length], borderColor: COLORS[i % COLORS.length], borderWidth: d.type === 'line' ? 2 : 0 })),
    },
    options: { ...BASE_OPTIONS, scales: { y: { beginAtZero: true, ticks: { precision: 0 } } } },
  });
}

/** Lines of percentages (0–100); a `null` value is a gap bridged by the line. */
export function lineChart(canvas, labels, datasets) {
  return new window.Chart(canvas, {
    type: 'line',
    data: { labels, datasets: datasets.map((d, i) => ({ ...d, borderColor: COLORS[i % COLORS.length], backgroundColor: COLORS[i % COLORS.length], spanGaps: true, tension: 0.2, pointRadius: 4 })) },
    options: { ...BASE_OPTIONS, scales: { y: { min: 0, max: 100, ticks: { callback: (v) => `${v}%` } } } },
  });
}
