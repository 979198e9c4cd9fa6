// Where the browser host keeps the terminal's data: TAPSAFE_DATA_DIR, else the user's
// application-data folder of the system (the same place Electron's userData would be), never
// inside the project.
import { homedir } from 'node:os';
import { isAbsolute, join, resolve } from 'node:path';

export function appDataDirFromEnvironment(
  env: NodeJS.ProcessEnv = process.env,
  platform: NodeJS.Platform = process.platform,
  home: string = homedir(),
): string {
  const chosen = env['TAPSAFE_DATA_DIR']?.trim();
  if (chosen !== undefined && chosen !== '') {
    return isAbsolute(chosen) ? chosen : resolve(chosen);
  }
  if (platform === 'darwin') return join(home, 'Library', 'Application Support', 'Tapsafe');
  if (platform === 'win32') {
    return join(env['APPDATA'] ?? join(home, 'AppData', 'Roaming'), 'Tapsafe');
  }
  const xdg = env['XDG_DATA_HOME']?.trim();
  return join(xdg !== undefined && xdg !== '' ? xdg : join(home, '.local', 'share'), 'tapsafe');
}
