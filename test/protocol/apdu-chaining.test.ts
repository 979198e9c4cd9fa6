import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  classifyCommandBytes,
  encodeCommandApdu,
  encodeResponse,
  getResponseCommand,
  parseCommandApdu,
  parseResponse,
  ProtocolError,
  readCertificateCommand,
  readLogCommand,
  ResponseChunker,
  SW,
  transceiveAll,
} from '../../protocol';

const toHex = (b: Uint8Array): string => Buffer.from(b).toString('hex').toUpperCase();
const payload = (n: number, seed = 1): Uint8Array =>
  Uint8Array.from({ length: n }, (_, i) => (i * 31 + seed) & 0xff);

/**
 * A fake phone: classifies each command, answers reads with `answer`, and chains through
 * a ResponseChunker exactly as the applet will. Records every exchange.
 */
function fakeApplet(answer: Uint8Array, finalSw: number = SW.ok) {
  const chunker = new ResponseChunker();
  const log: { command: Uint8Array; response: Uint8Array }[] = [];
  const transmit = (command: Uint8Array): Promise<Uint8Array> => {
    const { command: parsed, classified } = classifyCommandBytes(command);
    let response: Uint8Array;
    if (classified.kind === 'get_response') response = chunker.getResponse(classified.le);
    else if (classified.kind === 'refused')
      response = chunker.respond(parsed, new Uint8Array(0), classified.sw);
    else response = chunker.respond(parsed, answer, finalSw);
    log.push({ command, response });
    return Promise.resolve(response);
  };
  return { transmit, log, chunker };
}

async function expectProtocolError(promise: Promise<unknown>): Promise<ProtocolError> {
  const error: unknown = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ProtocolError);
  expect((error as ProtocolError).code).toBe('bad_apdu');
  return error as ProtocolError;
}

describe('ResponseChunker + transceiveAll', () => {
  it('reassembles a 1,000-byte answer chained as 256 + 256 + 256 + 232', async () => {
    const answer = payload(1000);
    const applet = fakeApplet(answer);
    const result = await transceiveAll(applet.transmit, readCertificateCommand());
    expect(Buffer.from(result.data).equals(answer)).toBe(true);
    expect(result.sw).toBe(SW.ok);

    const sws = applet.log.map(({ response }) => parseResponse(response).sw.toString(16));
    expect(sws).toEqual(['6100', '6100', '61e8', '9000']);
    expect(applet.log.map(({ response }) => response.length)).toEqual([258, 258, 258, 234]);
    const getResponses = applet.log.slice(1).map(({ command }) => toHex(command));
    expect(getResponses).toEqual(['00C0000000', '00C0000000', '00C00000E8']);
    expect(applet.chunker.pending).toBe(false);
  });

  it('answers an extended-Le command whole, unchained', async () => {
    const answer = payload(1000, 7);
    const applet = fakeApplet(answer);
    const result = await transceiveAll(applet.transmit, readCertificateCommand({ extended: true }));
    expect(Buffer.from(result.data).equals(answer)).toBe(true);
    expect(applet.log.length).toBe(1);
  });

  it('accepts an unchained long answer to a short command (vpcd passes it through)', async () => {
    const answer = payload(1000, 3);
    const result = await transceiveAll(
      () => Promise.resolve(encodeResponse(answer, SW.ok)),
      readLogCommand(16),
    );
    expect(Buffer.from(result.data).equals(answer)).toBe(true);
  });

  it('follows a bare 61xx (no data in the first answer, as T=0 readers give it)', async () => {
    const answer = payload(40);
    const sent: string[] = [];
    const transmit = (command: Uint8Array): Promise<Uint8Array> => {
      sent.push(toHex(command));
      return Promise.resolve(
        sent.length === 1
          ? encodeResponse(new Uint8Array(0), 0x6128)
          : encodeResponse(answer, SW.ok),
      );
    };
    const result = await transceiveAll(transmit, readCertificateCommand());
    expect(Buffer.from(result.data).equals(answer)).toBe(true);
    expect(sent).toEqual(['80CA000100', '00C0000028']);
  });

  it('keeps a refusal status word after chained data', async () => {
    const applet = fakeApplet(payload(300), SW.certificate_expired);
    const result = await transceiveAll(applet.transmit, readCertificateCommand());
    expect(result.sw).toBe(SW.certificate_expired);
    expect(result.data.length).toBe(300);
  });

  it('reassembles any size under any short Le (property)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 0, max: 5000 }),
        fc.integer({ min: 1, max: 256 }),
        async (size, le) => {
          const answer = payload(size, size);
          const applet = fakeApplet(answer);
          const command = encodeCommandApdu({ cla: 0x80, ins: 0xca, p1: 0, p2: 1, le });
          const result = await transceiveAll(applet.transmit, command);
          expect(Buffer.from(result.data).equals(answer)).toBe(true);
          expect(result.sw).toBe(SW.ok);
          for (const { response } of applet.log) expect(response.length).toBeLessThanOrEqual(258);
          expect(applet.log.length).toBe(size <= le ? 1 : 1 + Math.ceil((size - le) / 256));
        },
      ),
      { numRuns: 200 },
    );
  });
});

describe('6Cxx: wrong Le', () => {
  it('resends the same command with Le = xx', async () => {
    const answer = payload(0x20);
    const sent: string[] = [];
    const transmit = (command: Uint8Array): Promise<Uint8Array> => {
      sent.push(toHex(command));
      const le = parseCommandApdu(command).le;
      return Promise.resolve(
        le === 0x20 ? encodeResponse(answer, SW.ok) : encodeResponse(new Uint8Array(0), 0x6c20),
      );
    };
    const result = await transceiveAll(transmit, readLogCommand(2));
    expect(Buffer.from(result.data).equals(answer)).toBe(true);
    expect(sent).toEqual(['80B2020000', '80B2020020']);
  });

  it('handles 6Cxx on a GET RESPONSE in the middle of a chain', async () => {
    const first = payload(256, 1);
    const second = payload(16, 2);
    const sent: string[] = [];
    const transmit = (command: Uint8Array): Promise<Uint8Array> => {
      sent.push(toHex(command));
      if (sent.length === 1) return Promise.resolve(encodeResponse(first, 0x6100));
      if (sent.length === 2) return Promise.resolve(encodeResponse(new Uint8Array(0), 0x6c10));
      return Promise.resolve(encodeResponse(second, SW.ok));
    };
    const result = await transceiveAll(transmit, readCertificateCommand());
    expect(Buffer.from(result.data).equals(Buffer.concat([first, second]))).toBe(true);
    expect(sent).toEqual(['80CA000100', '00C0000000', '00C0000010']);
  });

  it('treats 6C00 as Le 256', async () => {
    const sent: string[] = [];
    const transmit = (command: Uint8Array): Promise<Uint8Array> => {
      sent.push(toHex(command));
      return Promise.resolve(
        sent.length === 1
          ? encodeResponse(new Uint8Array(0), 0x6c00)
          : encodeResponse(payload(3), SW.ok),
      );
    };
    await transceiveAll(transmit, readCertificateCommand({ extended: true }));
    expect(sent).toEqual(['80CA0001000000', '80CA000100']);
  });
});

describe('transceiveAll is bounded', () => {
  it('cuts off a card that answers 61 00 with 256 bytes forever (size bound)', async () => {
    let calls = 0;
    const transmit = (): Promise<Uint8Array> => {
      calls++;
      return Promise.resolve(encodeResponse(payload(256), 0x6100));
    };
    await expectProtocolError(transceiveAll(transmit, readCertificateCommand()));
    expect(calls).toBe(64 * 4 + 1);
  });

  it('cuts off a card that answers a bare 61xx forever (exchange bound)', async () => {
    let calls = 0;
    const transmit = (): Promise<Uint8Array> => {
      calls++;
      return Promise.resolve(encodeResponse(new Uint8Array(0), 0x6105));
    };
    await expectProtocolError(
      transceiveAll(transmit, readCertificateCommand(), { maxExchanges: 50 }),
    );
    expect(calls).toBe(50);
  });

  it('cuts off a card that answers 6Cxx forever', async () => {
    const transmit = (): Promise<Uint8Array> =>
      Promise.resolve(encodeResponse(new Uint8Array(0), 0x6c10));
    await expectProtocolError(transceiveAll(transmit, readCertificateCommand()));
  });

  it('refuses a response shorter than SW1 SW2', async () => {
    await expectProtocolError(
      transceiveAll(() => Promise.resolve(Uint8Array.of(0x90)), readCertificateCommand()),
    );
  });

  it('lets transmit errors (card removed) through unchanged', async () => {
    const removed = new Error('card removed');
    const error: unknown = await transceiveAll(
      () => Promise.reject(removed),
      readCertificateCommand(),
    ).catch((e: unknown) => e);
    expect(error).toBe(removed);
  });
});

describe('ResponseChunker on its own', () => {
  const shortRead = parseCommandApdu(readCertificateCommand());

  it('answers GET RESPONSE with nothing pending with 6985', () => {
    const chunker = new ResponseChunker();
    expect(parseResponse(chunker.getResponse(256))).toEqual({
      data: new Uint8Array(0),
      sw: SW.conditions_not_satisfied,
    });
  });

  it('drops a pending remainder when another command arrives', () => {
    const chunker = new ResponseChunker();
    expect(parseResponse(chunker.respond(shortRead, payload(600))).sw).toBe(0x6100);
    expect(chunker.pending).toBe(true);
    expect(parseResponse(chunker.respond(shortRead, payload(10))).sw).toBe(SW.ok);
    expect(chunker.pending).toBe(false);
    expect(parseResponse(chunker.getResponse(256)).sw).toBe(SW.conditions_not_satisfied);
  });

  it('honours a short Le below 256 and a GET RESPONSE Le smaller than announced', () => {
    const chunker = new ResponseChunker();
    const data = payload(100);
    const first = parseResponse(chunker.respond({ ...shortRead, le: 16 }, data));
    expect(first.data).toEqual(data.subarray(0, 16));
    expect(first.sw).toBe(0x6154); // 84 bytes wait
    const second = parseResponse(chunker.getResponse(50));
    expect(second.data).toEqual(data.subarray(16, 66));
    expect(second.sw).toBe(0x6122); // 34 bytes wait
    const last = parseResponse(chunker.getResponse(256));
    expect(last.data).toEqual(data.subarray(66));
    expect(last.sw).toBe(SW.ok);
  });

  it('copies the answer, so the caller may reuse its buffer', () => {
    const chunker = new ResponseChunker();
    const data = payload(300);
    const expected = Uint8Array.from(data);
    chunker.respond(shortRead, data);
    data.fill(0);
    expect(parseResponse(chunker.getResponse(256)).data).toEqual(expected.subarray(256));
  });

  it('answers an extended command whole even when its Le is smaller', () => {
    const chunker = new ResponseChunker();
    const extended = parseCommandApdu(
      encodeCommandApdu({ cla: 0x80, ins: 0xca, p1: 0, p2: 1, le: 300 }),
    );
    expect(extended.extended).toBe(true);
    const answer = parseResponse(chunker.respond(extended, payload(1000)));
    expect(answer.data.length).toBe(1000);
    expect(answer.sw).toBe(SW.ok);
    expect(chunker.pending).toBe(false);
  });

  it('holds a short command without Le to 256 bytes', () => {
    const chunker = new ResponseChunker();
    const noLe = parseCommandApdu(Uint8Array.of(0x80, 0xca, 0x00, 0x01));
    expect(parseResponse(chunker.respond(noLe, payload(300))).data.length).toBe(256);
    expect(toHex(getResponseCommand(44))).toBe('00C000002C');
    expect(parseResponse(chunker.getResponse(44)).data.length).toBe(44);
  });
});
