/**
 * Stored free text (names, notes) follows one rule (platform/http/text.ts): NUL and other
 * control characters, unpaired surrogates and bidi overrides are a 400 naming the field,
 * never a 500 from the database.
 */
import { describe, expect, it } from 'vitest';
import { UNITS } from '../../platform/units';
import { backends, useTestDatabases } from './support/databases';
import { insertTerminal } from './support/fixtures';
import { testPlatform } from './support/platform';
import { errorOf } from './support/requests';
import { callers } from './support/units';

const BAD_TEXT: Readonly<Record<string, string>> = {
  nul: 'Shop\u0000Name',
  c1: 'Shop\u0085Name',
  newline: 'Shop\nName',
  loneSurrogate: 'Shop\ud800Name',
  bidiOverride: 'Shop\u202eemaN',
  bidiIsolate: 'Shop\u2067Name',
};

describe.each(backends())('stored text on %s', (backend) => {
  const databases = useTestDatabases(backend);

  it('refuses bad characters in every stored free-text field with 400 naming it', async () => {
    const platform = await testPlatform(await databases.fresh(), { units: UNITS });
    const { app, db } = platform;
    const as = await callers(platform);
    const terminal = await insertTerminal(db);
    let n = 0;
    const cases = (text: string) => {
      n += 1;
      return [
        {
          field: 'name',
          request: as.operator('POST', '/v1/accounts', {
            accountId: `acct-${n}`,
            name: text,
            password: 'long enough pw',
          }),
        },
        {
          field: 'name',
          request: as.operator('POST', '/v1/merchants', { merchantId: `M-${n}`, name: text }),
        },
        {
          field: 'merchantName',
          request: as.operator('POST', '/v1/enrollment-codes', {
            merchantId: `M-new-${n}`,
            terminalId: `T-new-${n}`,
            merchantName: text,
          }),
        },
        {
          field: 'note',
          request: as.operator('POST', `/v1/terminals/${terminal.terminalId}/suspend`, {
            note: text,
          }),
        },
      ];
    };
    const got: string[] = [];
    for (const [what, text] of Object.entries(BAD_TEXT)) {
      for (const { field, request } of cases(text)) {
        const response = await app.inject(request);
        const error = response.statusCode === 400 ? errorOf(response) : undefined;
        got.push(`${what} ${field}: ${response.statusCode} ${error?.field}`);
        expect(response.statusCode === 400 && error?.field === field, got.at(-1)).toBe(true);
      }
    }
    // Nothing was stored, and ordinary text (accents, emoji, right-to-left) still is.
    const merchants = await db.selectFrom('merchants').select('name').execute();
    expect(merchants.map((m) => m.name)).toEqual([`Shop ${terminal.merchantId}`]);
    const fine = await app.inject(
      as.operator('POST', '/v1/merchants', { merchantId: 'M-fine', name: 'Café 🍰 مقهى' }),
    );
    expect(fine.statusCode).toBe(201);
    await app.close();
  });
});
