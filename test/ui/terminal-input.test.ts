import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { TerminalInput } from '../../src/ui/prompts.js';

// What reaches a text prompt from the terminal (issue 9 item 9): keys one at a time, as typed;
// a run of plain characters that arrives together (a paste) in one piece, in order with the keys.

function terminal(): { source: PassThrough; input: TerminalInput; seen: string[] } {
  const source = new PassThrough() as PassThrough & { setRawMode?: (mode: boolean) => void; isRaw?: boolean };
  source.setRawMode = () => {};
  const input = new TerminalInput(source as unknown as NodeJS.ReadStream);
  const seen: string[] = [];
  input.on('data', (chunk: Buffer) => seen.push(`key ${JSON.stringify(chunk.toString('utf8'))}`));
  input.onText = (text) => seen.push(`text ${JSON.stringify(text)}`);
  return { source, input, seen };
}

describe('the terminal in front of a text prompt', () => {
  it('passes a typed character, Enter, Backspace and arrow keys on as keys', () => {
    const { input, seen } = terminal();
    input.split('a');
    input.split('\x7f');
    input.split('\x1b[D');
    input.split('\x1bOA');
    input.split('\r');
    expect(seen).toEqual(['key "a"', `key ${JSON.stringify('\x7f')}`, 'key "\\u001b[D"', 'key "\\u001bOA"', 'key "\\r"']);
  });

  it('hands a pasted run over in one piece, keeping its place among the keys', () => {
    const { input, seen } = terminal();
    input.split('\x1b[200~包裹延误两周 late\rno\x1b[201~');
    expect(seen).toEqual(['key "\\u001b[200~"', 'text "包裹延误两周 late"', 'key "\\r"', 'text "no"', 'key "\\u001b[201~"']);
  });

  it('reassembles characters split across reads', async () => {
    const { source, seen } = terminal();
    const bytes = Buffer.from('说话', 'utf8');
    source.write(bytes.subarray(0, 2));
    source.write(bytes.subarray(2));
    await new Promise((resolve) => setImmediate(resolve));
    expect(seen.join('')).not.toContain('\ufffd');
    expect(seen).toEqual(['text "说话"']);
  });

  it('stops listening when detached', async () => {
    const { source, input, seen } = terminal();
    input.detach();
    source.write('typed ahead');
    await new Promise((resolve) => setImmediate(resolve));
    expect(seen).toEqual([]);
  });
});
