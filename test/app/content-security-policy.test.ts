// The renderer's policies: production stays strict (in the built page and in Electron's
// session), and the dev server's policy differs from it only by what `npm run dev` needs.
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import react from '@vitejs/plugin-react';
import { build } from 'vite';
import { afterAll, describe, expect, it } from 'vitest';
import { hardenSession } from '../../main/electron/security';
import {
  contentSecurityPolicy,
  devServerContentSecurityPolicy,
  metaContentSecurityPolicy,
  reactRefreshPreambleSource,
} from '../../main/terminal/content-security-policy';
import { rendererConfig } from '../../renderer.vite.config';

/** A policy as directive name → its sources, to compare directive by directive. */
const parse = (policy: string): Map<string, string[]> =>
  new Map(
    policy.split(';').map((directive) => {
      const [name = '', ...sources] = directive.trim().split(/\s+/);
      return [name, sources];
    }),
  );

const STRICT = {
  'default-src': ["'self'"],
  'script-src': ["'self'"],
  'object-src': ["'none'"],
  'base-uri': ["'none'"],
  'frame-ancestors': ["'none'"],
  'form-action': ["'none'"],
  'connect-src': ["'self'", 'ws://127.0.0.1:*'],
};

describe('the production policy', () => {
  const outDir = mkdtempSync(join(tmpdir(), 'tapsafe-csp-build-'));
  afterAll(() => rmSync(outDir, { recursive: true, force: true }));

  it('is strict: no inline script or style, no eval, no hash or nonce', () => {
    expect(Object.fromEntries(parse(contentSecurityPolicy))).toEqual(STRICT);
    // frame-ancestors is ignored in a <meta> tag: the headers carry it.
    const meta = Object.entries(STRICT).filter(([name]) => name !== 'frame-ancestors');
    expect(Object.fromEntries(parse(metaContentSecurityPolicy))).toEqual(Object.fromEntries(meta));
  });

  it('is what the built page carries, and the page has no inline script', async () => {
    await build({
      ...rendererConfig,
      configFile: false,
      logLevel: 'silent',
      build: { ...rendererConfig.build, outDir, emptyOutDir: true },
    });
    const html = readFileSync(join(outDir, 'index.html'), 'utf8');
    const metas = [...html.matchAll(/http-equiv="Content-Security-Policy" content="([^"]*)"/g)];
    expect(metas.map((m) => m[1]?.replaceAll('&#39;', "'"))).toEqual([metaContentSecurityPolicy]);
    expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
  }, 60_000);
});

describe('the dev server policy', () => {
  it("adds only the Fast Refresh preamble's hash and the dev server's <style> elements", () => {
    const dev = parse(devServerContentSecurityPolicy);
    expect(Object.fromEntries(dev)).toEqual({
      ...STRICT,
      'script-src': ["'self'", reactRefreshPreambleSource],
      'style-src': ["'self'", "'unsafe-inline'"],
    });
    expect(devServerContentSecurityPolicy).not.toContain('unsafe-eval');
  });

  it("names @vitejs/plugin-react's preamble exactly, as the dev server (base /) inlines it", () => {
    const preamble = react.preambleCode.replace('__BASE__', '/');
    const hash = createHash('sha256').update(preamble).digest('base64');
    expect(reactRefreshPreambleSource).toBe(`'sha256-${hash}'`);
  });

  it('is the header of the dev server only, not of a build', () => {
    expect(rendererConfig.server?.headers).toEqual({
      'Content-Security-Policy': devServerContentSecurityPolicy,
    });
  });
});

describe("Electron's session", () => {
  type Listener = (
    details: { responseHeaders?: Record<string, string[]> },
    callback: (response: { responseHeaders: Record<string, string[]> }) => void,
  ) => void;

  function policyApplied(isDevServer: boolean): Record<string, string[]> {
    let listener: Listener | undefined;
    const session = {
      webRequest: { onHeadersReceived: (l: Listener) => (listener = l) },
      setPermissionRequestHandler: () => undefined,
      setPermissionCheckHandler: () => undefined,
      setDevicePermissionHandler: () => undefined,
    } as unknown as Parameters<typeof hardenSession>[0];
    hardenSession(session, isDevServer);
    let headers: Record<string, string[]> = {};
    listener?.(
      { responseHeaders: { 'content-security-policy': ["script-src 'unsafe-inline'"] } },
      (response) => (headers = response.responseHeaders),
    );
    return headers;
  }

  it("enforces the strict policy, replacing the response's own; the dev policy in dev only", () => {
    expect(policyApplied(false)).toEqual({ 'Content-Security-Policy': [contentSecurityPolicy] });
    expect(policyApplied(true)).toEqual({
      'Content-Security-Policy': [devServerContentSecurityPolicy],
    });
  });
});
