import { createHash } from 'node:crypto';

/** What both platforms accept as a command or option name. */
export const NAME_PATTERN = /^[a-z0-9_]{1,32}$/;

export const MAX_NAME_LENGTH = 32;

/** Workflows whose commands users know by heart (Midjourney's `/imagine`). */
export const WELL_KNOWN_COMMAND_NAMES: Readonly<Record<string, string>> = {
  'image.txt2img': 'imagine',
  'video.text-to-video': 'video',
};

/**
 * Text as a name: lower case, accents dropped, every run of other characters one `_`, at most
 * `max` characters; '' when nothing is left.
 */
export function sanitiseName(text: string, max = MAX_NAME_LENGTH): string {
  return text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '')
    .slice(0, max)
    .replace(/_+$/, '');
}

/** Six hex digits of the id's hash: what tells colliding names apart, from the id alone. */
export function idHash(id: string): string {
  return createHash('sha256').update(id).digest('hex').slice(0, 6);
}

/** `base_1a2b3c`, within the length limit. */
export function hashedName(base: string, id: string): string {
  const hash = idHash(id);
  const room = MAX_NAME_LENGTH - hash.length - 1;
  const head = base.slice(0, room).replace(/_+$/, '');
  return head === '' ? `w_${hash}` : `${head}_${hash}`;
}

/**
 * A command name for every workflow id, derived from the id alone: the well-known name, else
 * the sanitised id (`custom.My Portrait` → `custom_my_portrait`). Ids that sanitise alike, or to
 * a reserved or well-known name, each get a suffix hashed from their own id, so no order of
 * registration matters and adding a workflow renames none but one that sanitises to the very
 * same name.
 */
export function assignCommandNames(
  ids: readonly string[],
  options: { wellKnown?: Readonly<Record<string, string>>; reserved?: Iterable<string> } = {},
): Map<string, string> {
  const wellKnown = options.wellKnown ?? WELL_KNOWN_COMMAND_NAMES;
  for (const [id, name] of Object.entries(wellKnown)) {
    if (!NAME_PATTERN.test(name))
      throw new TypeError(`The command name "${name}" for ${id} is not [a-z0-9_]{1,32}`);
  }
  // Well-known names stay taken whether or not their workflow is registered: a workflow added
  // later must not take a name a well-known one will claim.
  const taken = new Set([...(options.reserved ?? []), ...Object.values(wellKnown)]);
  const names = new Map<string, string>();
  const byBase = new Map<string, string[]>();
  for (const id of ids) {
    const known = wellKnown[id];
    if (known !== undefined) {
      names.set(id, known);
      continue;
    }
    const base = sanitiseName(id);
    byBase.set(base, [...(byBase.get(base) ?? []), id]);
  }
  for (const [base, group] of byBase) {
    const alone = group.length === 1 && base !== '' && !taken.has(base);
    for (const id of group) names.set(id, alone ? base : hashedName(base, id));
  }
  return names;
}
