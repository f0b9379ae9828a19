// The only importer of @inquirer/prompts; loaded only when a command has to ask. Tests drive the
// real prompts through a pseudo-terminal, or hand a command another Prompter.

export interface Choice<T extends string> {
  value: T;
  name: string;
}

export interface Prompter {
  input(message: string, options?: { default?: string; validate?: (value: string) => string | true }): Promise<string>;
  select<T extends string>(message: string, choices: readonly Choice<T>[], defaultValue?: T): Promise<T>;
  confirm(message: string, defaultValue: boolean): Promise<boolean>;
}

export async function inquirerPrompter(): Promise<Prompter> {
  const { input, select, confirm } = await import('@inquirer/prompts');
  return {
    input: (message, options = {}) =>
      input({ message, ...(options.default !== undefined ? { default: options.default } : {}), ...(options.validate ? { validate: options.validate } : {}) }),
    select: (message, choices, defaultValue) =>
      select({ message, choices: choices.map((c) => ({ value: c.value, name: c.name })), ...(defaultValue ? { default: defaultValue } : {}), pageSize: 10 }),
    confirm: (message, defaultValue) => confirm({ message, default: defaultValue }),
  };
}

/** Ctrl-C at a prompt: inquirer rejects with this; the command cancels and saves nothing. */
export function isPromptCancelled(e: unknown): boolean {
  return e instanceof Error && (e.name === 'ExitPromptError' || e.name === 'AbortPromptError');
}
