/** Operator CLI commands of the enrollment unit; all go through the API. */
import { stringOption, CliError, type CliCommand } from '../cli/command';

export const createEnrollmentCodeCommand: CliCommand = {
  name: 'create-enrollment-code',
  summary: 'Create a single-use enrollment code for a terminal (printed once)',
  usage: '--merchant <id> --terminal <id> [--merchant-name <name>] [--ttl-hours <h>]',
  options: {
    merchant: { type: 'string' },
    terminal: { type: 'string' },
    'merchant-name': { type: 'string' },
    'ttl-hours': { type: 'string' },
  },
  async run(ctx) {
    const ttlText = stringOption(ctx, 'ttl-hours');
    const ttlHours = ttlText === undefined ? undefined : Number(ttlText);
    if (ttlHours !== undefined && !(Number.isInteger(ttlHours) && ttlHours >= 1 && ttlHours <= 720))
      throw new CliError('--ttl-hours must be a whole number 1..720', 2);
    const merchantName = stringOption(ctx, 'merchant-name');
    const result = await ctx
      .remote()
      .call<{ code: string; expiresAt: number }>('POST', '/v1/enrollment-codes', {
        merchantId: stringOption(ctx, 'merchant', true),
        terminalId: stringOption(ctx, 'terminal', true),
        ...(merchantName === undefined ? {} : { merchantName }),
        ...(ttlHours === undefined ? {} : { ttlSeconds: ttlHours * 3600 }),
      });
    ctx.out(result.code);
    ctx.note(`expires at ${new Date(result.expiresAt * 1000).toISOString()}; shown only now`);
    return undefined;
  },
};

function statusCommand(action: 'suspend' | 'resume'): CliCommand {
  return {
    name: `${action}-terminal`,
    summary: action === 'suspend' ? 'Suspend a terminal' : 'Resume a suspended terminal',
    usage: '--terminal <id> [--note <text>]',
    options: { terminal: { type: 'string' }, note: { type: 'string' } },
    async run(ctx) {
      const terminalId = stringOption(ctx, 'terminal', true);
      const note = stringOption(ctx, 'note');
      const result = await ctx
        .remote()
        .call(
          'POST',
          `/v1/terminals/${encodeURIComponent(terminalId)}/${action}`,
          note === undefined ? {} : { note },
        );
      ctx.out(JSON.stringify(result));
      return undefined;
    },
  };
}

export const suspendTerminalCommand = statusCommand('suspend');
export const resumeTerminalCommand = statusCommand('resume');
