// Light and dark themes are CSS variables in style.css, chosen by <html data-theme>; "system"
// follows the operating system's preference through a media query.
import type { Theme } from '../../preload/api';

export const THEMES: readonly Theme[] = ['light', 'dark', 'system'];

export function applyTheme(theme: Theme, root: HTMLElement = document.documentElement): void {
  root.dataset['theme'] = theme;
}
