/** The CLI commands of the platform core; units add theirs through PlatformUnit.commands. */
import { audit } from '../audit';
import {
  createOperatorToken,
  revokeOperatorToken,
  type NewOperatorToken,
} from '../auth/operator-tokens';
import { DatabaseSetupError } from '../errors';
import type { PlatformState } from '../context';
import { platformStatus, type PlatformStatus } from '../status';
import { CliError, stringOption, type CliCommand, type CliContext } from './command';

const CLI_ACTOR = { kind: 'system', id: 'cli' } as const;

/**
 * The database, or a CliError saying how to reach a running platform instead when a server
 * holds the PGlite folder.
 */
async function localOrHint(ctx: CliContext): Promise<PlatformState> {
  try {
    return await ctx.local();
  } catch (error) {
    if (!(error instanceof DatabaseSetupError && error.code === 'data_dir_in_use')) throw error;
    throw new CliError(
      `${error.message}.\nWhile it runs, set TAPSAFE_OPERATOR_TOKEN (an operator token, or the bootstrap ` +
        'token the platform printed at start) and this command goes through its API.',
    );
  }
}

async function createLocally(ctx: CliContext, label: string): Promise<NewOperatorToken> {
  const { db, clock } = await localOrHint(ctx);
  const at = clock.now();
  return db.transaction().execute(async (trx) => {
    const created = await createOperatorToken(trx, { label, at });
    await audit(trx, {
      actor: CLI_ACTOR,
      action: 'operator_token.create',
      subject: `operator_token:${created.tokenId}`,
      outcome: 'ok',
      detail: { label },
      at,
    });
    return created;
  });
}

export const createOperatorTokenCommand: CliCommand = {
  name: 'create-operator-token',
  summary:
    'create an operator token and print it (once: only its hash is stored); with ' +
    'TAPSAFE_OPERATOR_TOKEN set (an operator or the bootstrap token) through the running platform',
  usage: '--label <who it is for>',
  options: { label: { type: 'string' } },
  async run(ctx) {
    const label = stringOption(ctx, 'label', true);
    const remote = ctx.remote();
    const { token, tokenId } =
      remote.token === undefined
        ? await createLocally(ctx, label)
        : await remote.call<NewOperatorToken>('POST', '/v1/operator/tokens', { label });
    ctx.note(
      `operator token ${tokenId} for "${label}", shown only now (only its hash is stored). ` +
        `Use it: export TAPSAFE_OPERATOR_TOKEN=<the tsop.${tokenId}.… line>`,
    );
    ctx.out(token);
    return undefined;
  },
};

export const revokeOperatorTokenCommand: CliCommand = {
  name: 'revoke-operator-token',
  summary:
    'revoke an operator token by its id (the part after "tsop."); through the running platform when TAPSAFE_OPERATOR_TOKEN is set',
  usage: '<tokenId>',
  async run(ctx) {
    const tokenId = ctx.positionals[0];
    if (tokenId === undefined || !/^[0-9a-f]{16}$/.test(tokenId))
      throw new CliError('give the 16-hex token id', 2);
    const remote = ctx.remote();
    if (remote.token !== undefined) {
      await remote.call('POST', `/v1/operator/tokens/${tokenId}/revoke`, {});
      ctx.out(`revoked ${tokenId}`);
      return undefined;
    }
    const { db, clock } = await localOrHint(ctx);
    if (!(await revokeOperatorToken(db, tokenId, clock.now())))
      throw new CliError(`no live token ${tokenId}`);
    await audit(db, {
      actor: CLI_ACTOR,
      action: 'operator_token.revoke',
      subject: `operator_token:${tokenId}`,
      outcome: 'ok',
      at: clock.now(),
    });
    ctx.out(`revoked ${tokenId}`);
    return undefined;
  },
};

export const rotateKeysCommand: CliCommand = {
  name: 'rotate-keys',
  summary: 'make a new issuer key active; the old one verifies until it retires',
  usage: '[--retire-after-days <days, default 400>]',
  options: { 'retire-after-days': { type: 'string' } },
  async run(ctx) {
    const daysText = stringOption(ctx, 'retire-after-days');
    const days = daysText === undefined ? undefined : Number(daysText);
    if (days !== undefined && !(Number.isInteger(days) && days >= 0)) {
      throw new CliError('--retire-after-days must be a whole number >= 0', 2);
    }
    const { db, keys, clock } = await ctx.local();
    const { active, retired } = await keys.rotate(
      days === undefined ? {} : { retireOldAfterSeconds: days * 86_400 },
    );
    await audit(db, {
      actor: CLI_ACTOR,
      action: 'keys.rotate',
      subject: `issuer_key:${active.keyIdHex}`,
      outcome: 'ok',
      detail: {
        previous: retired?.keyIdHex ?? null,
        previousRetiresAt: retired?.retiredAt ?? null,
      },
      at: clock.now(),
    });
    ctx.out(`active issuer key ${active.keyIdHex}`);
    if (retired)
      ctx.out(
        `previous key ${retired.keyIdHex} verifies until ${new Date((retired.retiredAt ?? 0) * 1000).toISOString()}`,
      );
    return undefined;
  },
};

export const statusCommand: CliCommand = {
  name: 'status',
  summary: 'database, schema version, issuer keys and counts (as JSON)',
  usage: '[--remote: ask the running platform instead of opening the database]',
  options: { remote: { type: 'boolean' } },
  async run(ctx) {
    const status =
      ctx.values.remote === true
        ? await ctx.remote().call<PlatformStatus>('GET', '/v1/operator/status')
        : await ctx.local().then(({ db, keys }) => platformStatus(db, keys));
    ctx.out(JSON.stringify(status, null, 2));
    return undefined;
  },
};

export const CORE_COMMANDS: readonly CliCommand[] = [
  createOperatorTokenCommand,
  revokeOperatorTokenCommand,
  rotateKeysCommand,
  statusCommand,
];
