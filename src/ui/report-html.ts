import { meetsTarget, type ReportDocument, type TrendMonth } from '../domain/report.js';
import { language, t } from '../messages/index.js';
import { htmlText } from './cells.js';
import {
  CODE_NAMES, hoursText, markedText, money, percent, reportHeading, reportSections, type Cell, type ReportNames, type Section,
} from './report-table.js';

// The monthly quality bulletin (seed 000 §4): one standalone file, no network, inline CSS and SVG,
// laid out for A4 paper. Every piece of text from the database goes through esc().

// Text and double-quoted attribute values alike; every other interpolation is a number or a constant.
const esc = htmlText;

const CSS = `
@page { size: A4; margin: 12mm; }
* { box-sizing: border-box; }
body { margin: 0 auto; max-width: 186mm; padding: 6mm 0; font: 10pt/1.35 "Noto Sans CJK SC", "Source Han Sans SC", "PingFang SC", "Microsoft YaHei", "Helvetica Neue", Arial, sans-serif; color: #1f2933; }
h1 { font-size: 18pt; margin: 0 0 2pt; }
h2 { font-size: 11.5pt; margin: 12pt 0 4pt; border-bottom: 1.5pt solid #1f4e79; padding-bottom: 2pt; color: #1f4e79; }
.sub { color: #52606d; margin: 0 0 8pt; }
.cards { display: grid; grid-template-columns: repeat(4, 1fr); gap: 5pt; }
.card { border: 1pt solid #cbd2d9; border-radius: 4pt; padding: 5pt 7pt; break-inside: avoid; }
.card .k { color: #52606d; font-size: 8.5pt; }
.card .v { font-size: 16pt; font-weight: 700; }
.card .p { color: #7b8794; font-size: 8pt; }
.card.good { border-color: #2f855a; background: #f0fff4; }
.card.bad { border-color: #c53030; background: #fff5f5; }
.good .v, td.good { color: #2f855a; }
.bad .v, td.bad { color: #c53030; }
.charts { display: grid; grid-template-columns: 1fr 1fr; gap: 8pt; break-inside: avoid; }
.chart h3 { font-size: 9.5pt; margin: 6pt 0 2pt; color: #323f4b; }
svg { width: 100%; height: auto; display: block; }
svg text { font-size: 9px; fill: #52606d; }
table { border-collapse: collapse; width: 100%; font-size: 8.5pt; break-inside: auto; }
th, td { border-bottom: 0.5pt solid #d9e2ec; padding: 2pt 3pt; text-align: left; white-space: nowrap; }
th { background: #f0f4f8; font-weight: 600; white-space: normal; vertical-align: bottom; font-size: 7.5pt; }
td.n, th.n { text-align: right; font-variant-numeric: tabular-nums; }
tr { break-inside: avoid; }
section { break-inside: avoid; }
.flagged { border: 1pt solid #c53030; background: #fff5f5; padding: 4pt 7pt; border-radius: 4pt; }
.none { color: #52606d; }
.legend { font-size: 8pt; color: #52606d; }
.swatch { display: inline-block; width: 8pt; height: 8pt; margin: 0 3pt 0 8pt; vertical-align: -1pt; }
footer { margin-top: 10pt; font-size: 7.5pt; color: #7b8794; }
`;

function card(label: string, value: string, previous: string, state: boolean | null = null, note = ''): string {
  const cls = state === null ? 'card' : state ? 'card good' : 'card bad';
  const mark = state === null ? '' : state ? ' ✓' : ' ✗';
  return `<div class="${cls}"><div class="k">${esc(label)}</div><div class="v">${esc(value + mark)}</div>` +
    `<div class="p">${esc(t('report_html_previous', { value: previous }))}${note ? ` · ${esc(note)}` : ''}</div></div>`;
}

function table(section: Section): string {
  if (section.rows.length === 0) return `<p class="none">${esc(section.key === 'flagged_units' ? t('report_no_flagged') : t('none'))}</p>`;
  const cls = (i: number, cell?: Cell): string => {
    const classes = [section.numeric.includes(i) ? 'n' : '', cell && typeof cell !== 'string' && cell.target !== null ? (cell.target ? 'good' : 'bad') : '']
      .filter(Boolean).join(' ');
    return classes ? ` class="${classes}"` : '';
  };
  const head = section.head.map((h, i) => `<th${cls(i)}>${esc(h)}</th>`).join('');
  const rows = section.rows.map((row) => `<tr>${row.map((cell, i) => `<td${cls(i, cell)}>${esc(markedText(cell))}</td>`).join('')}</tr>`).join('\n');
  return `<table><thead><tr>${head}</tr></thead><tbody>\n${rows}\n</tbody></table>`;
}

const W = 360;
const H = 170;
const PAD = { left: 34, right: 8, top: 10, bottom: 28 };

/** Grouped bars: received and closed per month. */
function volumeChart(trend: readonly TrendMonth[]): string {
  const max = niceMax(Math.max(1, ...trend.map((m) => Math.max(m.received, m.closed))));
  const plotW = W - PAD.left - PAD.right;
  const plotH = H - PAD.top - PAD.bottom;
  const slot = plotW / trend.length;
  const bar = Math.max(2, slot * 0.36);
  const y = (v: number): number => PAD.top + plotH - (v / max) * plotH;
  const parts: string[] = [];
  for (let i = 0; i <= 4; i++) {
    const v = (max / 4) * i;
    parts.push(`<line x1="${PAD.left}" x2="${W - PAD.right}" y1="${y(v).toFixed(1)}" y2="${y(v).toFixed(1)}" stroke="#e4e7eb" stroke-width="0.6"/>`);
    parts.push(`<text x="${PAD.left - 4}" y="${(y(v) + 3).toFixed(1)}" text-anchor="end">${esc(String(Math.round(v)))}</text>`);
  }
  trend.forEach((m, i) => {
    const x = PAD.left + i * slot + slot / 2;
    parts.push(`<rect x="${(x - bar).toFixed(1)}" y="${y(m.received).toFixed(1)}" width="${bar.toFixed(1)}" height="${(PAD.top + plotH - y(m.received)).toFixed(1)}" fill="#1f4e79"><title>${esc(`${m.month} ${t('report_received')} ${m.received}`)}</title></rect>`);
    parts.push(`<rect x="${x.toFixed(1)}" y="${y(m.closed).toFixed(1)}" width="${bar.toFixed(1)}" height="${(PAD.top + plotH - y(m.closed)).toFixed(1)}" fill="#8fb8de"><title>${esc(`${m.month} ${t('report_closed')} ${m.closed}`)}</title></rect>`);
    parts.push(`<text x="${x.toFixed(1)}" y="${H - PAD.bottom + 11}" text-anchor="middle">${esc(m.month.slice(5))}</text>`);
    if (i === 0 || m.month.endsWith('-01')) parts.push(`<text x="${x.toFixed(1)}" y="${H - PAD.bottom + 21}" text-anchor="middle">${esc(m.month.slice(0, 4))}</text>`);
  });
  parts.push(`<line x1="${PAD.left}" x2="${W - PAD.right}" y1="${PAD.top + plotH}" y2="${PAD.top + plotH}" stroke="#9aa5b1" stroke-width="0.8"/>`);
  return `<svg viewBox="0 0 ${W} ${H}" xmlns="http://www.w3.org/2000/svg" role="img">${parts.join('')}</svg>`;
}

/** Lines: satisfaction and first-reply timeliness per month, with their targets dashed. */
function ratesChart(trend: readonly TrendMonth[], targets: { satisfaction: number; first_reply_timeliness: number }): string {
  const values = trend.flatMap((m) => [m.satisfaction_rate, m.first_reply_rate]).filter((v): v is number => v !== null);
  const low = Math.max(0, Math.floor((Math.min(0.8, ...values) - 0.02) * 10) / 10);
  // Gridlines on round percentages: every 5% for a narrow band, else every 10%.
  const step = 1 - low <= 0.3 ? 0.05 : 0.1;
  const plotW = W - PAD.left - PAD.right;
  const plotH = H - PAD.top - PAD.bottom;
  const slot = plotW / trend.length;
  const x = (i: number): number => PAD.left + i * slot + slot / 2;
  const y = (v: number): number => PAD.top + plotH - ((v - low) / (1 - low)) * plotH;
  const parts: string[] = [];
  for (let v = low; v <= 1.0001; v += step) {
    parts.push(`<line x1="${PAD.left}" x2="${W - PAD.right}" y1="${y(v).toFixed(1)}" y2="${y(v).toFixed(1)}" stroke="#e4e7eb" stroke-width="0.6"/>`);
    parts.push(`<text x="${PAD.left - 4}" y="${(y(v) + 3).toFixed(1)}" text-anchor="end">${esc(`${Math.round(v * 100)}%`)}</text>`);
  }
  const target = (v: number, colour: string): string =>
    `<line x1="${PAD.left}" x2="${W - PAD.right}" y1="${y(v).toFixed(1)}" y2="${y(v).toFixed(1)}" stroke="${colour}" stroke-width="0.9" stroke-dasharray="4 3"/>`;
  parts.push(target(targets.satisfaction, '#2f855a'), target(targets.first_reply_timeliness, '#b7791f'));
  const line = (pick: (m: TrendMonth) => number | null, colour: string, label: string): void => {
    // A month with nothing to measure breaks the line rather than dropping it to zero.
    let d = '';
    let pen = false;
    trend.forEach((m, i) => {
      const v = pick(m);
      if (v === null) {
        pen = false;
        return;
      }
      d += `${pen ? 'L' : 'M'}${x(i).toFixed(1)} ${y(v).toFixed(1)} `;
      pen = true;
      parts.push(`<circle cx="${x(i).toFixed(1)}" cy="${y(v).toFixed(1)}" r="2" fill="${colour}"><title>${esc(`${m.month} ${label} ${percent(v)}`)}</title></circle>`);
    });
    if (d) parts.push(`<path d="${d.trim()}" fill="none" stroke="${colour}" stroke-width="1.6"/>`);
  };
  line((m) => m.satisfaction_rate, '#2f855a', t('report_satisfaction'));
  line((m) => m.first_reply_rate, '#b7791f', t('report_first_reply'));
  trend.forEach((m, i) => {
    parts.push(`<text x="${x(i).toFixed(1)}" y="${H - PAD.bottom + 11}" text-anchor="middle">${esc(m.month.slice(5))}</text>`);
    if (i === 0 || m.month.endsWith('-01')) parts.push(`<text x="${x(i).toFixed(1)}" y="${H - PAD.bottom + 21}" text-anchor="middle">${esc(m.month.slice(0, 4))}</text>`);
  });
  parts.push(`<line x1="${PAD.left}" x2="${W - PAD.right}" y1="${PAD.top + plotH}" y2="${PAD.top + plotH}" stroke="#9aa5b1" stroke-width="0.8"/>`);
  return `<svg viewBox="0 0 ${W} ${H}" xmlns="http://www.w3.org/2000/svg" role="img">${parts.join('')}</svg>`;
}

function niceMax(v: number): number {
  const step = 10 ** Math.floor(Math.log10(v));
  for (const m of [1, 2, 2.5, 5, 10]) if (m * step >= v) return m * step;
  return 10 * step;
}

/**
 * The printed page is the office's bulletin (seed 000 §4: the monthly complaint quality notice),
 * titled with the office's name when it has one.
 */
function bulletinTitle(r: ReportDocument, office: string | null): string {
  const period = t(`report_bulletin_${r.period.kind}`, { label: periodInWords(r.period.kind, r.period.label) });
  const titled = office ? t('report_bulletin_office', { office, title: period }) : period;
  return r.unit === null ? titled : `${titled}  ·  ${t('report_unit_only', { unit: r.unit })}`;
}

/** A calendar period as the reader writes it (2026年10月, 2026年第47周); a range keeps its label. */
function periodInWords(kind: string, label: string): string {
  const m = /^(\d{4})(?:-(?:(\d{2})|W(\d{2})|Q(\d)))?$/.exec(label);
  if (m === null || kind === 'range') return label;
  const [, year, month, week, quarter] = m;
  if (month !== undefined) return t('period_words_month', { year: year!, month });
  if (week !== undefined) return t('period_words_week', { year: year!, week: Number(week) });
  if (quarter !== undefined) return t('period_words_quarter', { year: year!, quarter: Number(quarter) });
  return t('period_words_year', { year: year! });
}

export function renderReportHtml(r: ReportDocument, names: ReportNames = CODE_NAMES, office: string | null = null): string {
  const { subtitle } = reportHeading(r);
  const title = bulletinTitle(r, office);
  const p = r.previous;
  const sections = new Map(reportSections(r, names).map((s) => [s.key, s]));
  const fr = r.timeliness.first_reply.rate;
  const cards = [
    card(t('report_received'), String(r.received), String(p.received)),
    card(t('report_closed'), String(r.closed), String(p.closed)),
    card(t('report_closure_rate'), percent(r.closure_rate), percent(p.closure_rate)),
    card(t('report_open_at_end'), String(r.open_at_end), String(p.open_at_end)),
    card(t('report_satisfaction'), percent(r.satisfaction.rate), percent(p.satisfaction.rate), meetsTarget(r.satisfaction.rate, r.targets.satisfaction),
      `${t('report_target_at_least', { value: percent(r.targets.satisfaction) })}, n=${r.satisfaction.surveyed}`),
    card(t('report_first_reply'), percent(fr), percent(p.timeliness.first_reply.rate), meetsTarget(fr, r.targets.first_reply_timeliness),
      `${t('report_target_at_least', { value: percent(r.targets.first_reply_timeliness) })}, n=${r.timeliness.first_reply.due}`),
    card(t('report_callback_rate'), percent(r.callback_rate), percent(p.callback_rate), null, `${t('report_unreachable')}: ${r.unreachable_attempts}`),
    card(t('report_reopened'), String(r.reopened), String(p.reopened)),
    card(t('report_compensation'), money(r.compensation_total), money(p.compensation_total)),
    card(t('report_resolution_mean'), hoursText(r.resolution_hours.mean), hoursText(p.resolution_hours.mean)),
    card(t('report_resolution_median'), hoursText(r.resolution_hours.median), hoursText(p.resolution_hours.median)),
  ].join('\n');
  const section = (key: string, extraClass = ''): string => {
    const s = sections.get(key);
    if (!s) return '';
    return `<section${extraClass ? ` class="${extraClass}"` : ''}><h2>${esc(s.title)}</h2>\n${table(s)}</section>`;
  };
  // Sections a report has only sometimes (asked for, or with activity), each on its own line when there.
  const sometimes = (key: string): string => (sections.has(key) ? `\n${section(key)}` : '');
  const charts = r.trend.length === 0 ? '' : `<section><h2>${esc(t('report_section_trend'))}</h2>
<div class="charts">
<div class="chart"><h3>${esc(t('report_html_volume'))}</h3>${volumeChart(r.trend)}
<div class="legend"><span class="swatch" style="background:#1f4e79"></span>${esc(t('report_received'))}<span class="swatch" style="background:#8fb8de"></span>${esc(t('report_closed'))}</div></div>
<div class="chart"><h3>${esc(t('report_html_rates'))}</h3>${ratesChart(r.trend, r.targets)}
<div class="legend"><span class="swatch" style="background:#2f855a"></span>${esc(t('report_satisfaction'))}<span class="swatch" style="background:#b7791f"></span>${esc(t('report_first_reply'))} <span>(- - ${esc(t('report_col_target'))})</span></div></div>
</div></section>`;
  const flagged = sections.get('flagged_units')!;
  return `<!DOCTYPE html>
<html lang="${language()}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(title)}</title>
<style>${CSS}</style>
</head>
<body>
<header>
<h1>${esc(title)}</h1>
<p class="sub">${esc(subtitle)} · ${esc(t('report_html_targets', { first_reply: percent(r.targets.first_reply_timeliness), satisfaction: percent(r.targets.satisfaction) }))}</p>
</header>
<section><div class="cards">
${cards}
</div></section>
${charts}
<section class="${flagged.rows.length > 0 ? 'flagged' : ''}"><h2>${esc(flagged.title)}</h2>
${table(flagged)}</section>
${section('by_unit')}${sometimes('by_person')}
${section('timeliness')}
${section('by_category')}
${section('by_channel')}
${section('by_severity')}${sometimes('approvals')}
<footer>${esc(t('report_html_generated'))}</footer>
</body>
</html>
`;
}
