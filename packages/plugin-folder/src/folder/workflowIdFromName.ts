/** `custom.<name>`: lowercase letters, digits, "-" and "_" only, so every chat platform can use it. */
export function workflowIdFromName(name: string): string {
  const slug = name
    .toLowerCase()
    .replace(/[^a-z0-9_-]+/g, '-')
    .replace(/^-+|-+$/g, '');
  return `custom.${slug || 'workflow'}`;
}
