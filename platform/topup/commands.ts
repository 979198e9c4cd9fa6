/** `top-up <walletIdHex> --amount <minor units>`: an operator top-up through the API. */
import { CliError, stringOption, type CliCommand } from '../cli/command';

export const topUpCommand: CliCommand = {
  name: 'top-up',
  summary: "load e-cash from the user's account onto their active wallet",
  usage: '<walletIdHex> --amount <minor units>',
  options: { amount: { type: 'string' } },
  async run(ctx) {
    const walletId = ctx.positionals[0]?.toLowerCase();
    if (walletId === undefined || !/^[0-9a-f]{32}$/.test(walletId)) {
      throw new CliError('give the wallet id as 32 hex digits', 2);
    }
    const amountText = stringOption(ctx, 'amount', true);
    if (!/^[1-9][0-9]{0,14}$/.test(amountText)) throw new CliError('--amount must be > 0', 2);
    const result = await ctx
      .remote()
      .call<{ balance: number; sequence: number | null }>(
        'POST',
        `/v1/wallets/${walletId}/top-up`,
        {
          amount: Number(amountText),
        },
      );
    ctx.out(`wallet ${walletId} balance ${result.balance} (notice ${result.sequence ?? '-'})`);
    return undefined;
  },
};
