// What a hostile page in the same browser can do to the terminal: nothing. A page of another
// origin (another local port) cannot open the RPC socket even with the token, a socket without
// the token is refused, the terminal cannot be framed, and a socket that sends oversized or
// malformed messages is answered (typed errors, or closed as too big) while the terminal keeps
// serving its cashier. test/app/browser-host.test.ts covers the same at the protocol level.
import type { Page } from '@playwright/test';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect, test, type Host } from './fixtures';
import { sell } from './steps';

/** A page's script that opens `url` and writes what became of it into the page's text. */
function socketProbe(url: string, send?: string): string {
  return `
    const out = (text) => { document.body.dataset.result = text; document.body.textContent = text; };
    const socket = new WebSocket(${JSON.stringify(url)});
    socket.onopen = () => ${send === undefined ? "out('open')" : `socket.send(${send})`};
    socket.onmessage = (m) => out('message ' + m.data);
    socket.onclose = (e) => { if (!document.body.dataset.result) out('closed ' + e.code); };
  `;
}

/** Serves pages on another local port: another origin than the terminal's. */
async function foreignSite(
  pages: Record<string, string>,
): Promise<{ origin: string; server: Server }> {
  const server = createServer((request, response) => {
    const body = pages[request.url ?? ''];
    response.writeHead(body === undefined ? 404 : 200, { 'content-type': 'text/html' });
    response.end(body ?? 'not here');
  });
  await new Promise<void>((resolveListen) => server.listen(0, '127.0.0.1', resolveListen));
  return { origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}

const rpcUrl = (host: Host, token: string | null) =>
  `ws://127.0.0.1:${host.port}/rpc${token === null ? '' : `?token=${token}`}`;

/** Runs a socket probe in `page` (on whatever origin the page is) and returns its outcome. */
async function probe(page: Page, url: string, send?: string): Promise<string> {
  await page.evaluate(socketProbe(url, send));
  await expect(page.locator('body[data-result]')).toBeAttached();
  return (await page.locator('body').getAttribute('data-result')) ?? '';
}

test('another origin cannot open the RPC socket, even with the token', async ({ host, page }) => {
  const foreign = await foreignSite({
    '/steal': `<!doctype html><title>elsewhere</title><body><script>${socketProbe(rpcUrl(host, host.token))}</script>`,
  });
  try {
    await page.goto(`${foreign.origin}/steal`);
    await expect(page.locator('body')).toHaveText('closed 1006'); // refused at the handshake
  } finally {
    foreign.server.close();
  }
  // The same script on the terminal's own origin is let in: the refusal was the origin's.
  await page.goto(`${host.origin}/nothing-here`);
  expect(await probe(page, rpcUrl(host, host.token))).toBe('open');
});

test('a socket without the token, or with another, is refused', async ({ host, page }) => {
  await page.goto(`${host.origin}/nothing-here`);
  expect(await probe(page, rpcUrl(host, null))).toBe('closed 1006');
  await page.goto(`${host.origin}/nothing-here`);
  expect(await probe(page, rpcUrl(host, `${host.token.slice(1)}x`))).toBe('closed 1006');
});

test('a page of another origin cannot frame the terminal', async ({ host, page }) => {
  const foreign = await foreignSite({
    '/frame': `<!doctype html><title>framing</title><body><iframe src="${host.url}"></iframe>`,
  });
  try {
    const refused = page.waitForEvent('console', (message) =>
      /frame-ancestors|X-Frame-Options/.test(message.text()),
    );
    await page.goto(`${foreign.origin}/frame`);
    await refused;
    const frame = page.frames().find((f) => f !== page.mainFrame());
    expect(frame).toBeDefined();
    expect(await frame!.locator('[role="tab"]').count()).toBe(0);
  } finally {
    foreign.server.close();
  }
});

test('malformed and oversized messages get typed answers; the cashier keeps selling', async ({
  host,
  terminal,
  rpc,
  context,
}) => {
  const attacker = await context.newPage();
  const url = rpcUrl(host, host.token);
  await attacker.goto(`${host.origin}/nothing-here`);
  const badJson = await probe(attacker, url, "'{not json'");
  expect(JSON.parse(badJson.slice('message '.length))).toMatchObject({
    id: null,
    ok: false,
    error: { code: 'bad_json' },
  });

  await attacker.goto(`${host.origin}/nothing-here`);
  const unknown = await probe(attacker, url, `JSON.stringify({ id: 1, method: 'ledger.drop' })`);
  expect(JSON.parse(unknown.slice('message '.length))).toMatchObject({
    id: 1,
    ok: false,
    error: { code: 'unknown_method' },
  });

  await attacker.goto(`${host.origin}/nothing-here`);
  const badParams = await probe(
    attacker,
    url,
    `JSON.stringify({ id: 2, method: 'checkout.start', params: { amount: -5 } })`,
  );
  expect(JSON.parse(badParams.slice('message '.length))).toMatchObject({
    id: 2,
    ok: false,
    error: { code: 'invalid_params' },
  });

  // Over 64 KiB: a typed answer; over 1 MiB the host stops reading and closes (1009).
  await attacker.goto(`${host.origin}/nothing-here`);
  const large = await probe(attacker, url, `'x'.repeat(100 * 1024)`);
  expect(JSON.parse(large.slice('message '.length))).toMatchObject({
    id: null,
    ok: false,
    error: { code: 'bad_request' },
  });
  await attacker.goto(`${host.origin}/nothing-here`);
  expect(await probe(attacker, url, `'x'.repeat(1024 * 1024 + 1)`)).toBe('closed 1009');
  await attacker.close();

  // The terminal's own page never noticed: a whole sale still goes through.
  await terminal.bringToFront();
  await sell(terminal, rpc, '777');
});
