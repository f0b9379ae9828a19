import type { ReportDocument } from '../domain/report.js';
import { csvCell } from './cells.js';
import { cellText, reportHeading, reportSections } from './report-table.js';

// One section per table, separated by a blank line: a title row, a header row, then the data.
// RFC 4180: CRLF line ends, fields quoted when they hold a comma, quote or line break. A UTF-8
// byte-order mark first, or Excel and WPS show the Chinese unit names as mojibake. Every field goes
// through csvCell (src/ui/cells.ts): a unit named =HYPERLINK(...) stays text in the spreadsheet.

export function csvLine(fields: readonly string[]): string {
  return fields.map(csvCell).join(',');
}

export function renderReportCsv(r: ReportDocument): string {
  const { title, subtitle } = reportHeading(r);
  const blocks = [[csvLine([title]), csvLine([subtitle])].join('\r\n')];
  for (const section of reportSections(r)) {
    const lines = [csvLine([section.title]), csvLine(section.head), ...section.rows.map((row) => csvLine(row.map(cellText)))];
    blocks.push(lines.join('\r\n'));
  }
  return `\uFEFF${blocks.join('\r\n\r\n')}\r\n`;
}
