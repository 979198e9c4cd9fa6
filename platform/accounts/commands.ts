/**
 * Operator CLI commands of the accounts unit. They call the API (ctx.remote()), so they
 * pass the same auth, validation and audit as any caller. Secrets never go on the command
 * line (shell history, `ps`): the password and ID number come from the environment.
 */
import { CliError, stringOption, type CliCommand } from '../cli/command';

const integer = (text: string | undefined, what: string): number | undefined => {
  if (text === undefined) return undefined;
  if (!/^[0-9]{1,15}$/.test(text)) throw new CliError(`${what} must be a whole number`, 2);
  return Number(text);
};

export const addUserCommand: CliCommand = {
  name: 'add-user',
  summary:
    'register a user; password from TAPSAFE_USER_PASSWORD, ID number from TAPSAFE_USER_ID_NUMBER',
  usage: '--account <id> --name <name> [--phone <number>] [--balance <minor units>]',
  options: {
    account: { type: 'string' },
    name: { type: 'string' },
    phone: { type: 'string' },
    balance: { type: 'string' },
  },
  async run(ctx) {
    const password = process.env.TAPSAFE_USER_PASSWORD;
    if (password === undefined || password === '') {
      throw new CliError('set TAPSAFE_USER_PASSWORD to the new user’s password', 2);
    }
    const idNumber = process.env.TAPSAFE_USER_ID_NUMBER;
    const phone = stringOption(ctx, 'phone');
    const balance = integer(stringOption(ctx, 'balance'), '--balance');
    const result = await ctx
      .remote()
      .call<{ accountId: string; balance: number }>('POST', '/v1/accounts', {
        accountId: stringOption(ctx, 'account', true),
        name: stringOption(ctx, 'name', true),
        password,
        ...(idNumber ? { idNumber } : {}),
        ...(phone === undefined ? {} : { phoneNumber: phone }),
        ...(balance === undefined ? {} : { balance }),
      });
    ctx.out(`account ${result.accountId} registered, e-cash ${result.balance}`);
    return undefined;
  },
};

export const loadAccountCommand: CliCommand = {
  name: 'load-account',
  summary: 'load e-cash onto a user account (minor units)',
  usage: '<accountId> --amount <minor units>',
  options: { amount: { type: 'string' } },
  async run(ctx) {
    const accountId = ctx.positionals[0];
    if (accountId === undefined) throw new CliError('give the account id', 2);
    const amount = integer(stringOption(ctx, 'amount', true), '--amount');
    const result = await ctx
      .remote()
      .call<{ balance: number }>('POST', `/v1/accounts/${encodeURIComponent(accountId)}/load`, {
        amount,
      });
    ctx.out(`account ${accountId} e-cash ${result.balance}`);
    return undefined;
  },
};

export const showAccountCommand: CliCommand = {
  name: 'show-account',
  summary: 'an account: details, e-cash balance and wallets (JSON)',
  usage: '<accountId>',
  async run(ctx) {
    const accountId = ctx.positionals[0];
    if (accountId === undefined) throw new CliError('give the account id', 2);
    const view = await ctx
      .remote()
      .call<unknown>('GET', `/v1/accounts/${encodeURIComponent(accountId)}`);
    ctx.out(JSON.stringify(view, null, 2));
    return undefined;
  },
};

export const showWalletCommand: CliCommand = {
  name: 'show-wallet',
  summary: 'a wallet: status, balance, certificate serial, pending notices (JSON)',
  usage: '<walletIdHex>',
  async run(ctx) {
    const walletId = ctx.positionals[0]?.toLowerCase();
    if (walletId === undefined || !/^[0-9a-f]{32}$/.test(walletId)) {
      throw new CliError('give the wallet id as 32 hex digits', 2);
    }
    ctx.out(
      JSON.stringify(await ctx.remote().call<unknown>('GET', `/v1/wallets/${walletId}`), null, 2),
    );
    return undefined;
  },
};
