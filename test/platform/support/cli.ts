/**
 * The operator CLI against a served embedded platform, for the CLI test suites: one
 * platform and operator token per suite, `run(...argv)` capturing what the CLI prints.
 */
import { afterAll, beforeAll } from 'vitest';
import { runCli } from '../../../platform/cli/run';
import { startEmbeddedPlatform, type EmbeddedPlatform } from '../../../platform/embedded';

export interface CliRun {
  code: number;
  out: string;
  err: string;
}

export interface CliHarness {
  /** The served platform; set once beforeAll has run. */
  platform(): EmbeddedPlatform;
  run(...argv: string[]): Promise<CliRun>;
}

export function useCliPlatform(): CliHarness {
  let platform: EmbeddedPlatform | undefined;
  let env: NodeJS.ProcessEnv = {};
  beforeAll(async () => {
    platform = await startEmbeddedPlatform();
    const token = await platform.createOperatorToken('cli test');
    env = { TAPSAFE_PLATFORM_URL: platform.url, TAPSAFE_OPERATOR_TOKEN: token };
  });
  afterAll(() => platform?.close());

  return {
    platform() {
      if (!platform) throw new Error('the CLI platform starts in beforeAll');
      return platform;
    },
    async run(...argv) {
      const out: string[] = [];
      const err: string[] = [];
      const code = await runCli(argv, { env, out: (l) => out.push(l), err: (l) => err.push(l) });
      return { code, out: out.join('\n'), err: err.join('\n') };
    },
  };
}
