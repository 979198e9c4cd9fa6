/** The CLI's HTTP client for a running platform, authenticated with an operator token. */
import { CliError } from './errors';

export class OperatorClient {
  constructor(
    readonly baseUrl: string,
    readonly token: string | undefined,
  ) {}

  /** Calls the API; returns the JSON body, or throws CliError naming the typed error. */
  async call<T>(method: string, path: string, body?: unknown): Promise<T> {
    if (this.token === undefined) {
      throw new CliError(
        'set TAPSAFE_OPERATOR_TOKEN to an operator token (the first one: TAPSAFE_OPERATOR_TOKEN=<the ' +
          'bootstrap token the platform printed at start> npm run platform -- create-operator-token --label <who>)',
      );
    }
    let response: Response;
    try {
      response = await fetch(new URL(path, this.baseUrl), {
        method,
        headers: {
          authorization: `Bearer ${this.token}`,
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
    } catch (error) {
      throw new CliError(
        `cannot reach the platform at ${this.baseUrl}: ${(error as Error).message}`,
      );
    }
    const text = await response.text();
    const parsed: unknown = text === '' ? undefined : JSON.parse(text);
    if (!response.ok) {
      const failure = (parsed as { error?: { code?: string; message?: string } } | undefined)
        ?.error;
      throw new CliError(
        `${response.status} ${failure?.code ?? 'error'}: ${failure?.message ?? text}`,
      );
    }
    return parsed as T;
  }
}
