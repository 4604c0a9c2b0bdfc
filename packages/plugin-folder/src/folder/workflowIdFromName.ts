/** What may follow `custom.` in an id: what every chat platform accepts in a command name. */
const ID_SLUG = /^[a-z0-9][a-z0-9_-]*$/;

export function isWorkflowIdSlug(text: string): boolean {
  return ID_SLUG.test(text);
}

/** `custom.<name>` from a file name: lowercase letters, digits, "-" and "_" only, so every chat platform can use it. */
export function workflowIdFromName(name: string): string {
  const slug = name
    .toLowerCase()
    .replace(/[^a-z0-9_-]+/g, '-')
    .replace(/^-+|-+$/g, '');
  return `custom.${slug || 'workflow'}`;
}
