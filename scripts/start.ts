// What `npm start` runs (through scripts/run-start.js, which builds out/ first when needed and
// runs this file's bundle, out/start/start.js): opens the terminal in Electron. Where no
// Electron binary exists (it is downloaded lazily and some machines cannot), it says so in one
// line and serves the same terminal to a browser instead.
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { LaunchedTerminal } from '../main/demo/launch';
import { merchantTerminalExists } from '../main/demo/launch-mode';
import { portFromEnvironment, startBrowserHost } from '../main/host/browser-host';
import { appDataDirFromEnvironment } from '../main/host/data-dir';
import { createStartingTerminal } from '../main/terminal/api/starting';
import { readPackageVersion } from '../main/terminal/app/package-version';
import { pcscStack } from '../main/terminal/reader/pcsc/load';

const projectRoot = findProjectRoot(dirname(fileURLToPath(import.meta.url)));
const require = createRequire(import.meta.url);

/** The folder holding package.json: above scripts/ from source, above out/start/ bundled. */
function findProjectRoot(from: string): string {
  for (let dir = from; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json'))) return dir;
    if (dirname(dir) === dir) throw new Error(`no package.json above ${from}`);
  }
}

/**
 * The Electron executable, if it is on disk. Deliberately not `require('electron')`: that
 * starts a download when the binary is missing, which hangs or fails on an offline machine.
 * Mirrors node_modules/electron/index.js, including ELECTRON_OVERRIDE_DIST_PATH.
 */
function electronBinary(): string | undefined {
  let packageDir: string;
  try {
    packageDir = dirname(require.resolve('electron/package.json'));
  } catch {
    return undefined;
  }
  const pathFile = join(packageDir, 'path.txt');
  const relative = existsSync(pathFile) ? readFileSync(pathFile, 'utf8').trim() : undefined;
  const override = process.env['ELECTRON_OVERRIDE_DIST_PATH'];
  const candidate =
    override !== undefined && override !== ''
      ? join(override, relative ?? 'electron')
      : relative !== undefined && relative !== ''
        ? join(packageDir, 'dist', relative)
        : undefined;
  return candidate !== undefined && existsSync(candidate) ? candidate : undefined;
}

/** Runs Electron until it exits; resolves false if it could not be started at all. */
function runElectron(binary: string): Promise<boolean> {
  const env = { ...process.env };
  delete env['ELECTRON_RUN_AS_NODE']; // would make Electron behave as plain Node
  const child = spawn(binary, ['.'], { cwd: projectRoot, stdio: 'inherit', env });
  return new Promise((resolveStarted) => {
    child.once('error', (error) => {
      console.log(
        `Electron could not be started (${error.message}); serving to a browser instead.`,
      );
      resolveStarted(false);
    });
    child.once('spawn', () => {
      // Ctrl-C reaches Electron through the terminal too; this covers a plain `kill`.
      for (const signal of ['SIGINT', 'SIGTERM'] as const)
        process.on(signal, () => child.kill(signal));
      child.once('exit', (code) => process.exit(code ?? 0));
    });
  });
}

async function serveToBrowser(): Promise<void> {
  // The real readers need the optional PC/SC stack; without it the terminal still runs (demo
  // mode, emulated readers), so say once what is missing instead of failing.
  const pcsc = pcscStack();
  if (!pcsc.available) console.log(pcsc.notice);
  const appDataDir = appDataDirFromEnvironment();
  console.log(`Tapsafe data: ${appDataDir}`);
  // The page is served at once and shows "Starting…" until the terminal (the demo world takes
  // seconds) is ready; calls before then are answered not_ready.
  const mode = merchantTerminalExists(appDataDir) ? 'merchant' : 'demo';
  const starting = createStartingTerminal(mode, logOneLine);
  const host = await startBrowserHost({
    rendererDir: join(projectRoot, 'out', 'renderer'),
    handlers: starting.handlers,
    events: starting.events,
    port: portFromEnvironment(),
    logError: logOneLine,
  });
  console.log(`Tapsafe terminal: open ${host.url}`);
  let terminal: LaunchedTerminal | undefined;
  const stop = () => {
    // Never hang on exit: give the ledger and open connections a moment, then go regardless.
    setTimeout(() => process.exit(0), 4_000).unref();
    void host
      .close()
      .then(() => terminal?.close())
      .then(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  try {
    // Loaded only now: the demo world's modules (platform, PGlite, handsets) take a while to
    // load, and the page is already being served meanwhile.
    const { launchTerminal } = await import('../main/demo/launch');
    terminal = await launchTerminal({
      appDataDir,
      version: readPackageVersion(projectRoot),
      transport: 'websocket',
      logError: logOneLine,
    });
  } catch (error) {
    // The page gets no internals (paths, say): the console line below says what failed.
    starting.failed('the reason is in the console where npm start runs');
    await host.close();
    throw error;
  }
  starting.ready(terminal);
  console.log(
    terminal.mode() === 'demo'
      ? 'Demo mode: an embedded platform and emulated phones (enroll in Settings to leave it).'
      : 'Merchant mode: enrolled terminal.',
  );
}

/**
 * A merchant's console gets one line per problem, never a stack: a browser tab closing
 * (ECONNRESET) is routine and not worth a line at all.
 */
function logOneLine(error: unknown): void {
  const code = (error as { code?: unknown } | null)?.code;
  if (code === 'ECONNRESET' || code === 'EPIPE') return;
  const message = error instanceof Error ? error.message : String(error);
  console.error(`Tapsafe: ${message.split('\n', 1)[0] ?? ''}`);
}

async function main(): Promise<void> {
  const binary = electronBinary();
  if (binary !== undefined && (await runElectron(binary))) return;
  if (binary === undefined) {
    console.log(
      'The Electron binary is unavailable here (never downloaded); serving the terminal to a browser instead.',
    );
  }
  await serveToBrowser();
}

main().catch((error: unknown) => {
  // One readable line, no stack: this is what a merchant sees.
  console.error(
    `Tapsafe could not start: ${error instanceof Error ? error.message : String(error)}`,
  );
  process.exit(1);
});
