/** `report-lost`: the operator's lost report through the API (same auth, checks and audit). */
import { CliError, stringOption, type CliCommand } from '../cli/command';

export const reportLostCommand: CliCommand = {
  name: 'report-lost',
  summary: 'Report a phone lost: revoke its wallet, hotlist it, queue lock and wipe notices',
  usage: '(--wallet <walletIdHex> | --account <accountId>) [--stolen]',
  options: {
    wallet: { type: 'string' },
    account: { type: 'string' },
    stolen: { type: 'boolean' },
  },
  async run(ctx) {
    const walletId = stringOption(ctx, 'wallet');
    const accountId = stringOption(ctx, 'account');
    if ((walletId === undefined) === (accountId === undefined)) {
      throw new CliError('name exactly one of --wallet or --account', 2);
    }
    const result = await ctx.remote().call('POST', '/v1/lost-reports', {
      ...(walletId === undefined ? {} : { walletId: walletId.toLowerCase() }),
      ...(accountId === undefined ? {} : { accountId }),
      reason: ctx.values.stolen === true ? 'stolen' : 'lost',
    });
    ctx.out(JSON.stringify(result, null, 2));
    return undefined;
  },
};
