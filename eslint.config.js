// Lint rules, including the layering of ARCHITECTURE.md: each folder may import only the
// layers below it, so a wrong dependency fails `npm run lint` instead of a code review.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import importX from 'eslint-plugin-import-x';
import { createTypeScriptImportResolver } from 'eslint-import-resolver-typescript';
import globals from 'globals';

const ours = ['protocol', 'handset', 'platform', 'main', 'preload', 'renderer', 'db'];
const except = (...allowed) =>
  ours.filter((layer) => !allowed.includes(layer)).map((l) => `./${l}`);

/** target may import nothing of ours but the `allowed` folders (and itself). */
const zone = (target, allowed, message) => ({ target, from: except(...allowed), message });

const layering = [
  zone('./protocol', ['protocol'], 'protocol/ imports nothing of ours.'),
  zone('./handset', ['handset', 'protocol'], 'handset/ may import protocol/ only.'),
  zone('./platform', ['platform', 'protocol'], 'platform/ may import protocol/ only.'),
  zone('./db', ['db', 'protocol'], 'db/ may import protocol/ only.'),
  {
    target: './main/terminal',
    from: [
      ...except('main', 'protocol', 'db', 'preload'),
      './main/host',
      './main/electron',
      './main/demo',
    ],
    message: 'main/terminal may import protocol/, db/ and preload/contract only.',
  },
  {
    target: './main/terminal',
    from: './preload',
    except: ['./contract'],
    message: 'main/terminal may import the shared contract (preload/contract) only of preload/.',
  },
  {
    target: './main/demo',
    from: [
      ...except('main', 'protocol', 'db', 'preload', 'handset', 'platform'),
      './main/host',
      './main/electron',
    ],
    message: 'main/demo may import main/terminal, handset/, platform/, protocol/ and db/ only.',
  },
  {
    target: './main/host',
    from: [...except('main', 'preload'), './main/electron'],
    message: 'main/host may import main/terminal, main/demo and preload/ contract types only.',
  },
  {
    target: './main/electron',
    from: [...except('main', 'preload'), './main/host'],
    message: 'main/electron may import main/terminal, main/demo and preload/ contract types only.',
  },
  zone('./preload', ['preload'], 'preload/ imports nothing of ours.'),
  {
    target: './preload/contract',
    from: './preload',
    except: ['./contract'],
    message: 'preload/contract is shared by every side: it imports only itself.',
  },
  zone('./renderer', ['renderer', 'preload'], 'renderer/ may import preload/api types only.'),
];

// Inside platform/ (docs/architecture.md, "Inside platform/"): leaf types → db/ →
// infrastructure (auth, http, keys, ...) → units' code and surfaces → unit descriptors
// (index.ts, routes, commands) → composition (units.ts, app.ts, start.ts, jobs/) → server,
// embedded, cli/. test/architecture/import-cycles.test.ts also fails on any import cycle,
// type imports included (import-x/no-cycle skips them).
const units = [
  'accounts',
  'activation',
  'lost',
  'migration',
  'notifications',
  'operator',
  'settlement',
  'sync',
  'terminals',
  'topup',
  'verification',
];
const composition = ['app.ts', 'units.ts', 'start.ts', 'server.ts', 'embedded.ts', 'jobs', 'cli'];
const platformPath = (p) => `./platform/${p}`;
const infrastructure = [
  'auth',
  'http',
  'keys',
  'ledger',
  'security',
  'audit.ts',
  'errors.ts',
  'clock.ts',
  'status.ts',
];

const platformLayers = [
  {
    target: './platform/db',
    from: './platform',
    except: ['./db', './errors.ts'],
    message:
      'platform/db imports only db/ and errors.ts: the units and their migrations are passed in.',
  },
  {
    target: './platform/context.ts',
    from: './platform',
    except: [
      './clock.ts',
      './db/schema.ts',
      './keys',
      './activation/policy.ts',
      './notifications/hub.ts',
      './settlement/certificate-cache.ts',
    ],
    message:
      'platform/context.ts is a leaf: it imports types of leaf modules only, no unit implementation.',
  },
  ...infrastructure.map((layer) => ({
    target: platformPath(layer),
    from: [...units, ...composition, 'unit.ts'].map(platformPath),
    message: `platform/${layer} is below the units: it may not import a unit, the app or the CLI.`,
  })),
  {
    target: './platform/config.ts',
    from: [...units.filter((u) => u !== 'activation'), ...composition].map(platformPath),
    message: 'platform/config.ts reads settings: it may not import units, the app or the CLI.',
  },
  {
    target: './platform/config.ts',
    from: './platform/activation',
    except: ['./policy.ts'],
    message: 'platform/config.ts may import the wallet policy only of the activation unit.',
  },
  ...units.flatMap((unit) => [
    {
      target: platformPath(unit),
      from: composition.filter((c) => c !== 'cli').map(platformPath),
      message: `platform/${unit} is a unit: it may not import the unit list, the app, its start, the jobs or the server.`,
    },
    {
      target: platformPath(unit),
      from: './platform/cli',
      except: ['./command.ts', './errors.ts'],
      message: `platform/${unit} may import only the CLI's seam (cli/command.ts), not the CLI.`,
    },
    {
      target: platformPath(unit),
      from: units
        .filter((other) => other !== unit)
        .flatMap((other) => ['index.ts', 'routes.ts', 'commands.ts'].map((f) => `${other}/${f}`))
        .map(platformPath),
      message: `platform/${unit} calls other units through their surface.ts, never their descriptor, routes or commands.`,
    },
  ]),
  {
    target: ['./platform/app.ts', './platform/units.ts', './platform/start.ts', './platform/jobs'],
    from: ['server.ts', 'embedded.ts', 'cli'].map(platformPath),
    message:
      'The composition (app, units, start, jobs) may not import the server, the demo or the CLI.',
  },
];

const nodeBuiltins = [
  'assert',
  'buffer',
  'child_process',
  'crypto',
  'events',
  'fs',
  'fs/promises',
  'http',
  'https',
  'net',
  'os',
  'path',
  'process',
  'stream',
  'tls',
  'url',
  'util',
  'worker_threads',
  'zlib',
];

export default tseslint.config(
  {
    ignores: [
      'node_modules/',
      'out/',
      'dist/',
      'coverage/',
      'tmp/',
      'test/vectors/',
      'test/fixtures/',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
      globals: { ...globals.node },
    },
    plugins: { 'import-x': importX },
    settings: {
      'import-x/resolver-next': [
        createTypeScriptImportResolver({
          project: ['tsconfig.json', 'tsconfig.web.json'],
          noWarnOnMultipleProjects: true,
        }),
      ],
    },
    rules: {
      'import-x/no-restricted-paths': ['error', { zones: [...layering, ...platformLayers] }],
      'import-x/no-cycle': 'error',
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
      eqeqeq: ['error', 'always'],
      'no-restricted-imports': [
        'error',
        { paths: [{ name: 'electron', message: 'Only main/electron may import electron.' }] },
      ],
    },
  },
  {
    // main/electron wires the window and IPC; preload/index.ts holds the contextBridge.
    files: ['main/electron/**/*.ts', 'preload/index.ts'],
    rules: { 'no-restricted-imports': 'off' },
  },
  {
    files: ['renderer/**/*.{ts,tsx}', 'test/renderer/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            { name: 'electron', message: 'The renderer never imports electron.' },
            ...nodeBuiltins.map((name) => ({ name, message: 'The renderer never imports Node.' })),
          ],
          patterns: [{ regex: '^node:', message: 'The renderer never imports node:*.' }],
        },
      ],
    },
  },
  {
    files: ['preload/api.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            { regex: '.*', allowTypeImports: true, message: 'preload/api.ts holds types only.' },
          ],
        },
      ],
    },
  },
  {
    files: ['**/*.js'],
    ...tseslint.configs.disableTypeChecked,
  },
);
