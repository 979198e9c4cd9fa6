/** Settings from the environment (config.ts): defaults, and each bad value a ConfigError naming it. */
import { randomBytes } from 'node:crypto';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_WALLET_POLICY } from '../../platform/activation/surface';
import { ConfigError, configFromEnv } from '../../platform/config';

describe('configFromEnv', () => {
  it('has defaults for everything, the periodic jobs included', () => {
    expect(configFromEnv({})).toEqual({
      host: '127.0.0.1',
      port: 8787,
      dataDir: resolve('./.tapsafe/platform'),
      databaseUrl: undefined,
      masterKeyHex: undefined,
      masterKeyFile: undefined,
      logLevel: 'info',
      trustProxy: false,
      jobs: { holdReleaseIntervalMs: 60_000, hotlistPruneIntervalMs: 86_400_000 },
      verifyThreads: undefined,
      terminalCertificateDays: 30,
      walletPolicy: DEFAULT_WALLET_POLICY,
    });
    // Empty or blank is unset, as for the other variables.
    expect(
      configFromEnv({
        HOLD_RELEASE_INTERVAL_SECONDS: '',
        HOTLIST_PRUNE_INTERVAL_SECONDS: '  ',
        PERIODIC_JOBS: '',
      }).jobs,
    ).toEqual({ holdReleaseIntervalMs: 60_000, hotlistPruneIntervalMs: 86_400_000 });
  });

  it('takes job intervals in whole seconds, 1 s to 7 days', () => {
    expect(
      configFromEnv({ HOLD_RELEASE_INTERVAL_SECONDS: '5', HOTLIST_PRUNE_INTERVAL_SECONDS: '3600' })
        .jobs,
    ).toEqual({ holdReleaseIntervalMs: 5_000, hotlistPruneIntervalMs: 3_600_000 });
    expect(
      configFromEnv({
        HOLD_RELEASE_INTERVAL_SECONDS: ' 1 ',
        HOTLIST_PRUNE_INTERVAL_SECONDS: '604800',
      }).jobs,
    ).toEqual({ holdReleaseIntervalMs: 1_000, hotlistPruneIntervalMs: 604_800_000 });
  });

  it('turns the periodic jobs off with PERIODIC_JOBS=off, on with on', () => {
    expect(configFromEnv({ PERIODIC_JOBS: 'off' }).jobs).toBe(false);
    expect(configFromEnv({ PERIODIC_JOBS: 'OFF' }).jobs).toBe(false);
    expect(configFromEnv({ PERIODIC_JOBS: 'on', HOLD_RELEASE_INTERVAL_SECONDS: '2' }).jobs).toEqual(
      { holdReleaseIntervalMs: 2_000, hotlistPruneIntervalMs: 86_400_000 },
    );
  });

  const refusedAs = (env: NodeJS.ProcessEnv): ConfigError => {
    try {
      configFromEnv(env);
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      return error as ConfigError;
    }
    throw new Error(`accepted ${JSON.stringify(env)}`);
  };

  describe.each(['HOLD_RELEASE_INTERVAL_SECONDS', 'HOTLIST_PRUNE_INTERVAL_SECONDS'])(
    '%s',
    (name) => {
      it.each([
        ['zero', '0'],
        ['negative', '-5'],
        ['a fraction', '1.5'],
        ['with a unit', '60s'],
        ['not a number', 'hourly'],
        ['in exponent form', '1e3'],
        ['longer than 7 days', '604801'],
        ['absurdly large', '99999999999999999999'],
      ])('refuses %s (%s) with a ConfigError naming it', (_what, value) => {
        const error = refusedAs({ [name]: value });
        expect(error.message).toBe(
          `${name} must be whole seconds, 1..604800 (7 days), got ${value}`,
        );
      });

      it('is checked even with the jobs off', () => {
        expect(refusedAs({ [name]: '0', PERIODIC_JOBS: 'off' }).message).toContain(name);
      });
    },
  );

  it('refuses a PERIODIC_JOBS that is neither on nor off', () => {
    for (const value of ['false', '0', 'no', 'disabled']) {
      expect(refusedAs({ PERIODIC_JOBS: value }).message).toBe(
        `PERIODIC_JOBS must be on or off, got ${value}`,
      );
    }
  });

  it('sizes the settlement verify pool with SETTLEMENT_VERIFY_THREADS, 1..64', () => {
    expect(configFromEnv({ SETTLEMENT_VERIFY_THREADS: '1' }).verifyThreads).toBe(1);
    expect(configFromEnv({ SETTLEMENT_VERIFY_THREADS: ' 64 ' }).verifyThreads).toBe(64);
    expect(configFromEnv({ SETTLEMENT_VERIFY_THREADS: '' }).verifyThreads).toBeUndefined();
    for (const value of ['0', '65', '-1', '1.5', 'all', '1000']) {
      expect(refusedAs({ SETTLEMENT_VERIFY_THREADS: value }).message).toBe(
        `SETTLEMENT_VERIFY_THREADS must be 1..64, got ${value}`,
      );
    }
  });

  it('sets the terminal certificate validity with TERMINAL_CERTIFICATE_DAYS, 1..365 days', () => {
    expect(configFromEnv({ TERMINAL_CERTIFICATE_DAYS: '1' }).terminalCertificateDays).toBe(1);
    expect(configFromEnv({ TERMINAL_CERTIFICATE_DAYS: ' 365 ' }).terminalCertificateDays).toBe(365);
    expect(configFromEnv({ TERMINAL_CERTIFICATE_DAYS: '' }).terminalCertificateDays).toBe(30);
    for (const value of ['0', '366', '-1', '7.5', '30d', 'month', '1e2']) {
      expect(refusedAs({ TERMINAL_CERTIFICATE_DAYS: value }).message).toBe(
        `TERMINAL_CERTIFICATE_DAYS must be whole days, 1..365, got ${value}`,
      );
    }
  });

  it('reads the wallet policy (WALLET_*) with the rest, each within what the schemas accept', () => {
    expect(
      configFromEnv({
        WALLET_T_SECONDS: '600',
        WALLET_T1_SECONDS: '300',
        WALLET_T2_SECONDS: '60',
        WALLET_CURRENCY: '840',
        WALLET_LIMIT_PER_PAYMENT: '100',
        WALLET_LIMIT_OFFLINE_AMOUNT: '1000',
        WALLET_LIMIT_OFFLINE_COUNT: '5',
        WALLET_CERTIFICATE_DAYS: '30',
      }).walletPolicy,
    ).toEqual({
      T: 600,
      T1: 300,
      T2: 60,
      currency: 840,
      limitPerPayment: 100,
      limitOfflineAmount: 1000,
      limitOfflineCount: 5,
      certificateSeconds: 30 * 86_400,
    });
    const refusals: [string, string][] = [
      ['WALLET_T2_SECONDS', '30'], // below a terminal's freshnessMaxAgeSeconds minimum
      ['WALLET_T2_SECONDS', String(366 * 86_400)],
      ['WALLET_T_SECONDS', '-5'],
      ['WALLET_T1_SECONDS', '1.5'],
      ['WALLET_CURRENCY', '1000'],
      ['WALLET_LIMIT_PER_PAYMENT', '0'],
      ['WALLET_LIMIT_OFFLINE_AMOUNT', '9007199254740992'],
      ['WALLET_LIMIT_OFFLINE_COUNT', '65536'],
      ['WALLET_CERTIFICATE_DAYS', 'a year'],
    ];
    for (const [name, value] of refusals) {
      expect(() => configFromEnv({ [name]: value }), `${name}=${value}`).toThrow(ConfigError);
      expect(() => configFromEnv({ [name]: value }), `${name}=${value}`).toThrow(name);
    }
    expect(() =>
      configFromEnv({ WALLET_LIMIT_PER_PAYMENT: '500', WALLET_LIMIT_OFFLINE_AMOUNT: '100' }),
    ).toThrow(/WALLET_LIMIT_PER_PAYMENT/);
  });

  describe('master key material', () => {
    const key = randomBytes(32);
    const hex = key.toString('hex');
    const postgres = { DATABASE_URL: 'postgres://db.example/tapsafe' };

    it('takes PLATFORM_MASTER_KEY in hex or base64, as hex', () => {
      expect(configFromEnv({ PLATFORM_MASTER_KEY: hex }).masterKeyHex).toBe(hex);
      expect(configFromEnv({ PLATFORM_MASTER_KEY: key.toString('base64') }).masterKeyHex).toBe(hex);
      expect(
        configFromEnv({ PLATFORM_MASTER_KEY: ` ${key.toString('base64url')} ` }).masterKeyHex,
      ).toBe(hex);
    });

    it('takes PLATFORM_MASTER_KEY_FILE as an absolute path, read when the platform opens', () => {
      expect(configFromEnv({ PLATFORM_MASTER_KEY_FILE: 'secrets/master.key' })).toMatchObject({
        masterKeyHex: undefined,
        masterKeyFile: resolve('secrets/master.key'),
      });
    });

    it('refuses a malformed PLATFORM_MASTER_KEY without echoing it', () => {
      for (const value of [
        hex.slice(2),
        `${hex}00`,
        randomBytes(31).toString('base64'),
        'x'.repeat(64),
      ]) {
        const message = refusedAs({ PLATFORM_MASTER_KEY: value }).message;
        expect(message).toMatch(/^PLATFORM_MASTER_KEY must be 32 bytes/);
        expect(message).not.toContain(value);
      }
    });

    it('refuses both PLATFORM_MASTER_KEY and PLATFORM_MASTER_KEY_FILE', () => {
      expect(
        refusedAs({ PLATFORM_MASTER_KEY: hex, PLATFORM_MASTER_KEY_FILE: '/run/secrets/key' })
          .message,
      ).toBe('set PLATFORM_MASTER_KEY or PLATFORM_MASTER_KEY_FILE, not both');
    });

    it('requires one with DATABASE_URL: API nodes share the key, not a folder', () => {
      expect(refusedAs(postgres).message).toMatch(
        /^DATABASE_URL is set: every API node needs the same master key, from PLATFORM_MASTER_KEY or PLATFORM_MASTER_KEY_FILE/,
      );
      expect(configFromEnv({ ...postgres, PLATFORM_MASTER_KEY: hex }).masterKeyHex).toBe(hex);
      expect(
        configFromEnv({ ...postgres, PLATFORM_MASTER_KEY_FILE: '/run/secrets/key' }).masterKeyFile,
      ).toBe('/run/secrets/key');
    });
  });

  it('still refuses a bad PORT', () => {
    expect(refusedAs({ PORT: '70000' }).message).toBe('PORT must be 0..65535, got 70000');
  });
});
