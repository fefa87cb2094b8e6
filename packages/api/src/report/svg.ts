/**
 * Inline SVG charts for the program report: plain strings, no script, readable when printed.
 * Every mark carries its label and value as data attributes and a <title>, so a screen reader, a
 * print and a test read the same numbers the analytics endpoint returns.
 */

const escapeMap: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** Text for HTML and SVG, attribute values included. */
export const escapeHtml = (text: string): string => text.replace(/[&<>"']/g, (c) => escapeMap[c]!);

const fmt = (value: number) => (Number.isInteger(value) ? String(value) : value.toFixed(2));

export interface Bar {
  label: string;
  value: number;
}

const LABEL_WIDTH = 180;
const BAR_AREA = 360;
const ROW = 26;

/** Horizontal bars (a funnel, counts by status), longest bar the largest value. */
export function barChart(id: string, title: string, bars: readonly Bar[], unit = ''): string {
  const max = Math.max(1, ...bars.map((b) => b.value));
  const height = bars.length * ROW + 10;
  const rows = bars
    .map((bar, i) => {
      const y = i * ROW + 5;
      const width = Math.round((bar.value / max) * BAR_AREA);
      const label = escapeHtml(bar.label);
      return `<g class="mark" data-label="${label}" data-value="${fmt(bar.value)}"><title>${label}: ${fmt(bar.value)}${escapeHtml(unit)}</title><text x="${LABEL_WIDTH - 8}" y="${y + 15}" text-anchor="end">${label}</text><rect x="${LABEL_WIDTH}" y="${y}" width="${width}" height="${ROW - 8}"/><text x="${LABEL_WIDTH + width + 6}" y="${y + 15}">${fmt(bar.value)}${escapeHtml(unit)}</text></g>`;
    })
    .join('');
  return svg(id, title, LABEL_WIDTH + BAR_AREA + 80, height, rows);
}

const COLUMN_AREA = 200;

/** Vertical columns over an ordered axis (meetings per month, relationships per health band). */
export function columnChart(id: string, title: string, columns: readonly Bar[]): string {
  const max = Math.max(1, ...columns.map((c) => c.value));
  const step = Math.max(24, Math.min(60, Math.floor(560 / Math.max(1, columns.length))));
  const marks = columns
    .map((column, i) => {
      const x = 40 + i * step;
      const height = Math.round((column.value / max) * COLUMN_AREA);
      const label = escapeHtml(column.label);
      return `<g class="mark" data-label="${label}" data-value="${fmt(column.value)}"><title>${label}: ${fmt(column.value)}</title><rect x="${x}" y="${20 + COLUMN_AREA - height}" width="${step - 6}" height="${height}"/><text x="${x + (step - 6) / 2}" y="${COLUMN_AREA + 36}" text-anchor="middle" font-size="10">${label}</text><text x="${x + (step - 6) / 2}" y="${16 + COLUMN_AREA - height}" text-anchor="middle" font-size="10">${fmt(column.value)}</text></g>`;
    })
    .join('');
  return svg(id, title, 60 + columns.length * step, COLUMN_AREA + 50, marks);
}

export interface Interval {
  label: string;
  mean: number;
  low: number;
  high: number;
  n: number;
}

/** A mean with its confidence interval per row, on one axis through zero (pre/post change per item). */
export function intervalChart(id: string, title: string, rows: readonly Interval[]): string {
  const extent = Math.max(0.5, ...rows.flatMap((r) => [Math.abs(r.low), Math.abs(r.high)]));
  const x = (value: number) => LABEL_WIDTH + BAR_AREA / 2 + (value / extent) * (BAR_AREA / 2);
  const height = rows.length * ROW + 30;
  const marks = rows
    .map((row, i) => {
      const y = i * ROW + 18;
      const label = escapeHtml(row.label);
      return `<g class="mark" data-label="${label}" data-value="${fmt(row.mean)}" data-low="${fmt(row.low)}" data-high="${fmt(row.high)}" data-n="${row.n}"><title>${label}: ${fmt(row.mean)} (95% CI ${fmt(row.low)} to ${fmt(row.high)}, n = ${row.n})</title><text x="${LABEL_WIDTH - 8}" y="${y + 4}" text-anchor="end">${label}</text><line x1="${x(row.low)}" x2="${x(row.high)}" y1="${y}" y2="${y}" stroke-width="2"/><circle cx="${x(row.mean)}" cy="${y}" r="5"/></g>`;
    })
    .join('');
  const axis = `<line class="zero" x1="${x(0)}" x2="${x(0)}" y1="4" y2="${height - 14}" stroke-dasharray="3 3"/><text x="${x(0)}" y="${height - 2}" text-anchor="middle" font-size="10">0</text>`;
  return svg(id, title, LABEL_WIDTH + BAR_AREA + 40, height, axis + marks);
}

function svg(id: string, title: string, width: number, height: number, body: string): string {
  const heading = escapeHtml(title);
  return `<svg id="${escapeHtml(id)}" class="chart" role="img" aria-labelledby="${escapeHtml(id)}-title" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" xmlns="http://www.w3.org/2000/svg"><title id="${escapeHtml(id)}-title">${heading}</title>${body}</svg>`;
}
