// `npm start`. Plain JavaScript, so that nothing is compiled at launch: it builds out/ when it
// is missing or older than the sources (`npm run build`: the app's bundles and the start
// script's, out/start/start.js), then runs out/start/start.js, which is scripts/start.ts
// bundled. TAPSAFE_NO_BUILD=1 (tests) takes out/ as it is; where the start bundle is then
// missing or older than the sources, scripts/start.ts runs from source through tsx instead.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const projectRoot = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const startBundle = join(projectRoot, 'out', 'start', 'start.js');

const appOutputs = ['out/main/index.js', 'out/preload/index.cjs', 'out/renderer/index.html'];
/** Everything the bundles are built from (the start bundle holds the demo world too). */
const buildInputs = [
  'main',
  'preload',
  'renderer',
  'protocol',
  'db',
  'handset',
  'platform',
  'scripts/start.ts',
  'electron.vite.config.ts',
  'vite.start.config.ts',
  'package.json',
];

/** @param {string} path */
function newestChange(path) {
  if (!existsSync(path)) return 0;
  const info = statSync(path);
  if (!info.isDirectory()) return info.mtimeMs;
  let newest = info.mtimeMs;
  for (const entry of readdirSync(path)) newest = Math.max(newest, newestChange(join(path, entry)));
  return newest;
}

/** @param {string[]} outputs paths under the project */
function isCurrent(outputs) {
  const paths = outputs.map((output) => join(projectRoot, output));
  if (!paths.every((path) => existsSync(path))) return false;
  const oldestOutput = Math.min(...paths.map((path) => statSync(path).mtimeMs));
  return (
    Math.max(...buildInputs.map((input) => newestChange(join(projectRoot, input)))) <= oldestOutput
  );
}

/**
 * `npm run build`, without npm: each build tool's own CLI.
 * @param {string} pkg @param {string} bin @param {string[]} args
 */
function runBuildTool(pkg, bin, args) {
  const cli = join(dirname(require.resolve(`${pkg}/package.json`)), 'bin', bin);
  const result = spawnSync(process.execPath, [cli, ...args], {
    cwd: projectRoot,
    encoding: 'utf8',
  });
  if (result.status !== 0) {
    // Show the build's own report: it names the file and line that failed.
    process.stderr.write(result.stdout + result.stderr);
    console.error(
      'Tapsafe could not start: the build failed (see above); fix it, then run "npm start" again',
    );
    process.exit(1);
  }
}

if (process.env['TAPSAFE_NO_BUILD'] !== '1' && !isCurrent([...appOutputs, 'out/start/start.js'])) {
  console.log('Building the terminal (out/ is missing or older than the sources)…');
  runBuildTool('electron-vite', 'electron-vite.js', ['build']);
  runBuildTool('vite', 'vite.js', ['build', '--config', 'vite.start.config.ts']);
}

if (isCurrent(['out/start/start.js'])) {
  await import(pathToFileURL(startBundle).href);
} else {
  // Never run a start bundle older than the sources: it would be another terminal.
  const { tsImport } = await import('tsx/esm/api');
  await tsImport('./start.ts', import.meta.url);
}
