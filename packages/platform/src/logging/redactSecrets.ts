/** What a secret is replaced with in every log line. */
export const REDACTED = '[redacted]';

/**
 * A function that hides every occurrence of the given secrets in a piece of text, raw or as it
 * looks inside a JSON string. Secrets shorter than 6 characters are not hunted (they would
 * blank out ordinary words); the config never accepts tokens that short.
 */
export function secretHider(secrets: readonly string[]): (text: string) => string {
  const forms = new Set<string>();
  for (const secret of secrets) {
    if (secret.length < 6) continue;
    forms.add(secret);
    forms.add(JSON.stringify(secret).slice(1, -1));
    forms.add(encodeURIComponent(secret));
  }
  const ordered = [...forms].sort((a, b) => b.length - a.length);
  if (ordered.length === 0) return (text) => text;
  return (text) => {
    let hidden = text;
    for (const form of ordered)
      if (hidden.includes(form)) hidden = hidden.split(form).join(REDACTED);
    return hidden;
  };
}
