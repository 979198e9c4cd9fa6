/** The routes a platform app serves, read from Fastify's own listing (printRoutes). */
import type { PlatformApp } from '../../../platform/context';

/** The routes of a printRoutes tree ({ commonPrefix: false }): full path and methods. */
function parseRouteTree(text: string): { path: string; methods: string[] }[] {
  const routes: { path: string; methods: string[] }[] = [];
  const stack: string[] = [];
  for (const line of text.split('\n')) {
    const match = /^((?:│ {3}| {4})*)[├└]── (\S+)(?: \(([A-Z, ]+)\))?$/.exec(line);
    if (match === null) {
      if (!['', '(empty tree)'].includes(line.trim()))
        throw new Error(`unexpected printRoutes line: ${line}`);
      continue;
    }
    stack.length = [...(match[1] ?? '')].length / 4;
    const path = stack.join('') + (match[2] ?? '');
    stack.push(match[2] ?? '');
    const methods = (match[3] ?? '').split(', ').filter((m) => m !== '');
    if (methods.length > 0) routes.push({ path, methods });
  }
  return routes;
}

/**
 * "METHOD /path" of every route Fastify serves, from printRoutes (the only public listing
 * that includes hidden routes such as /openapi.json and the WebSocket). One tree per
 * method, so parameter names are exact. HEAD routes Fastify adds for each GET are left
 * out; a HEAD route of its own stays in.
 */
export function registeredRoutes(app: PlatformApp): string[] {
  const methods = new Set(
    parseRouteTree(app.printRoutes({ commonPrefix: false })).flatMap((route) => route.methods),
  );
  const pathsOf = (method: string) =>
    parseRouteTree(app.printRoutes({ commonPrefix: false, method })).map((route) => route.path);
  const gets = new Set(pathsOf('GET'));
  return [...methods]
    .flatMap((method) =>
      pathsOf(method)
        .filter((path) => method !== 'HEAD' || !gets.has(path))
        .map((path) => `${method} ${path}`),
    )
    .sort();
}

/**
 * Whether a printed route names `route`. Where routes give one path position different
 * parameter names, find-my-way prints them all (`:id|:terminalId`): any of them matches.
 */
export function names(printed: string, route: string): boolean {
  const pattern = printed
    .split(/(:[\w|:]+)/)
    .map((part, i) =>
      i % 2 === 1
        ? `(?:${part.split('|').join('|')})`
        : part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'),
    )
    .join('');
  return new RegExp(`^${pattern}$`).test(route);
}
