// One definition of the renderer's security policy, used by the Electron session, the browser
// host and the build (as a <meta> tag, because Electron does not reliably apply response
// headers to file:// pages). No 'unsafe-inline' or 'unsafe-eval' anywhere: the renderer has no
// inline scripts or styles.

const directives: readonly string[] = [
  "default-src 'self'",
  "script-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
  "form-action 'none'",
  "connect-src 'self' ws://127.0.0.1:*",
];

export const contentSecurityPolicy = directives.join('; ');

/**
 * For `electron-vite dev` only (never a packaged app): the dev server injects the stylesheet
 * as inline <style> elements, which the strict policy blocks.
 */
export const devServerContentSecurityPolicy = `${contentSecurityPolicy}; style-src 'self' 'unsafe-inline'`;

/** frame-ancestors is ignored (with a console warning) when delivered in a <meta> tag. */
export const metaContentSecurityPolicy = directives
  .filter((directive) => !directive.startsWith('frame-ancestors'))
  .join('; ');

/** Headers every response of the browser host carries, besides Content-Type. */
export const securityHeaders: Readonly<Record<string, string>> = {
  'Content-Security-Policy': contentSecurityPolicy,
  'X-Content-Type-Options': 'nosniff',
  'X-Frame-Options': 'DENY',
  'Referrer-Policy': 'no-referrer',
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Resource-Policy': 'same-origin',
  'Permissions-Policy': 'camera=(), microphone=(), geolocation=(), usb=(), serial=(), hid=()',
  // The bundles change with every build; a stale cached screen would be worse than a reload.
  'Cache-Control': 'no-store',
};
