/** The CLI's way to the platform: the HTTP client of handset/platform-client. */
import type { PlatformLink } from '../wallet/platform-link';

export function platformLink(baseUrl: string): PlatformLink {
  throw new Error(`no platform client yet for ${baseUrl}`);
}
