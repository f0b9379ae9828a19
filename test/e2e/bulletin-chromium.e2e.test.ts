import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { en } from '../../src/messages/en.js';
import { zhCN } from '../../src/messages/zh-CN.js';
import { logArgs, runOk, tempDbPath, tempDir } from '../support/cli.js';

// Issue 12 "done when": the monthly bulletin, printed by a real browser, reads as the office's
// 月度投诉质量通报 with Chinese headings (seed 000 §4: the supervisor's monthly notice). Chromium
// lays it out and prints it to PDF with the machine's CJK font; poppler reads the text back.

const PROGRAMS = { chromium: 'chromium', pdftotext: 'poppler-utils' } as const;

function has(program: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${program}`]).status === 0;
}

/** Installs what is missing from Debian, as CI's fresh machine needs (the test runs as root there). */
function ensurePrograms(): void {
  const missing = new Set<string>(Object.entries(PROGRAMS).filter(([p]) => !has(p)).map(([, pkg]) => pkg));
  if (!existsSync('/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc')) missing.add('fonts-noto-cjk');
  if (missing.size === 0) return;
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const update = spawnSync('apt-get', ['update', '-qq'], { env, encoding: 'utf8' });
  const install = spawnSync('apt-get', ['install', '-y', '-qq', ...missing], { env, encoding: 'utf8' });
  if (update.status !== 0 || install.status !== 0) {
    throw new Error(`could not install ${[...missing].join(' ')} (apt-get as root is needed once): ${install.stderr || update.stderr}`);
  }
}

const fill = (text: string, params: Record<string, string>): string => text.replace(/\{(\w+)\}/g, (_, name: string) => params[name] ?? `{${name}}`);

describe('the html bulletin in Chromium', () => {
  let pdfText = '';

  beforeAll(() => {
    ensurePrograms();
    const db = tempDbPath();
    const dir = tempDir();
    const zh = { LANG: 'zh_CN.UTF-8' };
    // A small October: two complaints, one closed and surveyed, so every section has a row.
    runOk([...logArgs({ unit: '物流部', channel: '电话', category: '配送' }), '--received-at', '2026-10-12 09:00', '--at', '2026-10-12 09:05'], { db, env: zh });
    runOk([...logArgs({ unit: '客服部', name: '李雷', phone: '13900000000', category: '服务', subject: '客服态度差' }), '--received-at', '2026-10-13 10:00', '--at', '2026-10-13 10:05'], { db, env: zh });
    runOk(['reply', 'C2026-00001', '--via', '电话', '--message', '已联系', '--at', '2026-10-12 11:00'], { db, env: zh });
    runOk(['close', 'C2026-00001', '--resolution', '已送达', '--at', '2026-10-14 16:00'], { db, env: zh });
    runOk(['survey', 'C2026-00001', '--score', '5', '--at', '2026-10-15 10:00'], { db, env: zh });
    const html = join(dir, 'bulletin.html');
    runOk(['report', '--month', '2026-10', '--as-of', '2026-11-02 09:00', '--format', 'html', '--output', html], { db, env: zh });
    const pdf = join(dir, 'bulletin.pdf');
    const print = spawnSync('chromium', [
      '--headless', '--no-sandbox', '--disable-gpu', '--no-pdf-header-footer', `--user-data-dir=${join(dir, 'profile')}`,
      `--print-to-pdf=${pdf}`, `file://${html}`,
    ], { encoding: 'utf8', timeout: 120_000 });
    if (!existsSync(pdf)) throw new Error(`chromium printed nothing (${print.status}): ${print.stderr}`);
    pdfText = spawnSync('pdftotext', ['-layout', pdf, '-'], { encoding: 'utf8' }).stdout;
    expect(readFileSync(html, 'utf8')).toContain('<html lang="zh-CN">');
  }, 600_000);

  it('is titled as the monthly complaint quality bulletin, in Chinese', () => {
    expect(pdfText).toContain(fill(zhCN.report_bulletin_month, { label: fill(zhCN.period_words_month, { year: '2026', month: '10' }) }));
    expect(pdfText).not.toContain(fill(en.report_bulletin_month, { label: '2026-10' }));
  });

  it('has every section heading in Chinese and none in English', () => {
    for (const key of ['report_section_by_unit', 'report_section_timeliness', 'report_section_by_category', 'report_section_by_channel', 'report_section_by_severity', 'report_section_trend'] as const) {
      expect(pdfText).toContain(zhCN[key]);
      expect(pdfText).not.toContain(en[key]);
    }
    expect(pdfText).toContain('物流部');
  });
});
