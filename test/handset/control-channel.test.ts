/**
 * The local control channel of `handset run` when things go wrong: a request that is not
 * JSON, a handler that throws, an over-long line with no newline, a client that hangs up,
 * nothing listening, and a server that dies before answering. Each gets a clear answer or
 * a clear error, and the server keeps serving.
 */
import { createConnection, createServer } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import {
  controlPath,
  sendControl,
  serveControl,
  type ControlAnswer,
} from '../../handset/cli/control';
import type { PhoneCommand } from '../../handset/cli/commands';
import { removeTempDirs, tempDir } from './support/setup';

afterEach(removeTempDirs);

const status: PhoneCommand = { name: 'status' };

/** Sends raw text and resolves with whatever comes back before the server closes. */
function raw(folder: string, text: string): Promise<string> {
  return new Promise((done, fail) => {
    const socket = createConnection(controlPath(folder));
    let answer = '';
    socket.setEncoding('utf8');
    socket.on('connect', () => socket.write(text));
    socket.on('data', (chunk: string) => (answer += chunk));
    socket.on('close', () => done(answer));
    socket.on('error', fail);
  });
}

describe('the control channel', () => {
  it('answers a line that is not JSON with a typed refusal, then keeps serving', async () => {
    const folder = tempDir();
    const server = await serveControl(folder, () =>
      Promise.resolve<ControlAnswer>({ ok: true, output: 'fine' }),
    );
    try {
      expect(JSON.parse(await raw(folder, 'not json\n'))).toEqual({
        ok: false,
        error: 'the request is not JSON',
      });
      expect(await sendControl(folder, status)).toEqual({ ok: true, output: 'fine' });
    } finally {
      server.close();
    }
  });

  it('turns a handler that throws (an unknown command) into an error answer', async () => {
    const folder = tempDir();
    const server = await serveControl(folder, () => Promise.reject(new Error('unknown command x')));
    try {
      expect(await sendControl(folder, status)).toEqual({ ok: false, error: 'unknown command x' });
    } finally {
      server.close();
    }
  });

  it('drops a client that sends an over-long line without a newline', async () => {
    const folder = tempDir();
    let handled = 0;
    const server = await serveControl(folder, () => {
      handled += 1;
      return Promise.resolve<ControlAnswer>({ ok: true, output: '' });
    });
    try {
      expect(await raw(folder, 'x'.repeat(70 * 1024))).toBe('');
      expect(handled).toBe(0);
      expect(await sendControl(folder, status)).toEqual({ ok: true, output: '' });
    } finally {
      server.close();
    }
  });

  it('survives a client that hangs up before the answer', async () => {
    const folder = tempDir();
    let release: () => void = () => undefined;
    let calls = 0;
    const server = await serveControl(folder, () => {
      calls += 1;
      if (calls > 1) return Promise.resolve<ControlAnswer>({ ok: true, output: 'next' });
      return new Promise<ControlAnswer>((done) => {
        release = () => done({ ok: true, output: 'late' });
      });
    });
    try {
      const socket = createConnection(controlPath(folder));
      await new Promise((done) => socket.on('connect', done));
      socket.write(`${JSON.stringify(status)}\n`);
      await new Promise((done) => setTimeout(done, 20));
      socket.destroy();
      release(); // the answer goes to a socket that is gone
      expect(await sendControl(folder, status)).toEqual({ ok: true, output: 'next' });
    } finally {
      server.close();
    }
  });

  it('says nobody listens when no run owns the folder', async () => {
    expect(await sendControl(tempDir(), status)).toBeUndefined();
  });

  it('fails clearly when the running phone dies before answering', async () => {
    const folder = tempDir();
    // An owner killed mid-request: the kernel closes its end, with no answer written.
    const dying = createServer((socket) => socket.once('data', () => socket.end()));
    await new Promise<void>((done) => dying.listen(controlPath(folder), done));
    try {
      await expect(sendControl(folder, status)).rejects.toThrow(/not JSON/);
    } finally {
      dying.close();
    }
  });
});
