import { byId } from './dom.js';

/** One polite live region for what screen-reader users should hear (not every progress tick). */
export function announce(message: string): void {
  const region = byId('announcer');
  // Replacing the text node makes the same sentence twice be read twice.
  region.textContent = '';
  region.append(document.createTextNode(message));
}
