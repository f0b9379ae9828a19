import type { ReportDocument } from '../domain/report.js';
import { t } from '../messages/index.js';
import { markdownCell as mdCell } from './cells.js';
import { CODE_NAMES, markedText, reportHeading, reportSections, type ReportNames } from './report-table.js';

// GitHub-flavoured Markdown tables, for a wiki page or an email. Every piece of text, headings
// included, goes through markdownCell (src/ui/cells.ts): a unit name cannot end a cell or open a tag.

export function renderReportMarkdown(r: ReportDocument, names: ReportNames = CODE_NAMES): string {
  const { title, subtitle } = reportHeading(r);
  const out = [`# ${mdCell(title)}`, '', mdCell(subtitle), ''];
  for (const section of reportSections(r, names)) {
    out.push(`## ${mdCell(section.title)}`, '');
    if (section.rows.length === 0) {
      out.push(section.key === 'flagged_units' ? t('report_no_flagged') : t('none'), '');
      continue;
    }
    out.push(`| ${section.head.map(mdCell).join(' | ')} |`);
    out.push(`|${section.head.map((_, i) => (section.numeric.includes(i) ? ' ---: ' : ' --- ')).join('|')}|`);
    for (const row of section.rows) out.push(`| ${row.map((cell) => mdCell(markedText(cell))).join(' | ')} |`);
    out.push('');
  }
  return out.join('\n').trimEnd() + '\n';
}
