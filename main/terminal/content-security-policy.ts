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
 * The one inline script of the dev server's page: @vitejs/plugin-react's Fast Refresh preamble,
 * by its SHA-256 (test/app/content-security-policy.test.ts recomputes it from the plugin, so an
 * upgrade that changes the preamble fails there, not silently in a developer's window).
 */
export const reactRefreshPreambleSource = "'sha256-Z2/iFzh9VMlVkEOar1f/oSHWwQk3ve1qk/C2WdsC4Xk='";

/**
 * For `npm run dev` (electron-vite dev) only, never a packaged app or a build. The page comes
 * from the dev server, so 'self' is its origin (scripts, and its HMR WebSocket); besides that,
 * the preamble by its hash, and the stylesheets the dev server injects as <style> elements
 * (their text changes on every edit, so no hash can name them).
 */
export const devServerContentSecurityPolicy = [
  ...directives.map((directive) =>
    directive === "script-src 'self'" ? `${directive} ${reactRefreshPreambleSource}` : directive,
  ),
  "style-src 'self' 'unsafe-inline'",
].join('; ');

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
