/** Operator CLI commands of the migration unit; all go through the API. */
import { stringOption, type CliCommand } from '../cli/command';

export const releaseHoldCommand: CliCommand = {
  name: 'release-hold',
  summary: "Release a migrated wallet's risk hold (or, without --wallet, every due hold)",
  usage: '[--wallet <oldWalletIdHex>]',
  options: { wallet: { type: 'string' } },
  async run(ctx) {
    const wallet = stringOption(ctx, 'wallet');
    const result =
      wallet === undefined
        ? await ctx.remote().call('POST', '/v1/migrations/release-due', {})
        : await ctx
            .remote()
            .call('POST', `/v1/migrations/${encodeURIComponent(wallet.toLowerCase())}/release`, {});
    ctx.out(JSON.stringify(result, null, 2));
    return undefined;
  },
};

export const migrateWalletCommand: CliCommand = {
  name: 'migrate-wallet',
  summary: "Move an old wallet's e-cash to the account's new wallet, minus the risk hold",
  usage: '--from <oldWalletIdHex> --to <newWalletIdHex>',
  options: { from: { type: 'string' }, to: { type: 'string' } },
  async run(ctx) {
    const result = await ctx.remote().call('POST', '/v1/migrations', {
      oldWalletId: stringOption(ctx, 'from', true).toLowerCase(),
      newWalletId: stringOption(ctx, 'to', true).toLowerCase(),
    });
    ctx.out(JSON.stringify(result, null, 2));
    return undefined;
  },
};
