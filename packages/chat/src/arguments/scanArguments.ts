/** One `--name value` of a command line. */
export interface ScannedFlag {
  /** As typed, with its dashes: what an error message quotes. */
  typed: string;
  /** Lower case, without dashes. */
  name: string;
  /** Everything up to the next flag, trimmed and unquoted; '' when nothing follows. */
  value: string;
}

export interface ScannedArguments {
  /** The text before the first flag, trimmed and unquoted. */
  free: string;
  flags: ScannedFlag[];
}

/** Opening quote → its closing quote ("…", '…', “…”, „…“, «…», ‘…’). */
const QUOTES: ReadonlyMap<string, string> = new Map([
  ['"', '"'],
  ["'", "'"],
  ['“', '”'],
  ['”', '”'],
  ['„', '“'],
  ['«', '»'],
  ['‘', '’'],
]);

// `--name`, or `—name` / `–name`: phones turn a typed `--` into a dash.
const FLAG = /^(?:--|[—–])([A-Za-z][\w-]*)(?=\s|$)/;

/**
 * Splits `a red fox --ar 16:9 --no "blurry, text"` into free text and flags. A flag starts a
 * word; its value runs to the next flag. Quotes open only at the start of a word and close only
 * at the end of one, so apostrophes (fox's) are just letters, and a quoted value may contain
 * `--`; a quote that never closes is a letter too.
 */
export function scanArguments(text: string): ScannedArguments {
  const parts: { typed?: string; name?: string; text: string }[] = [{ text: '' }];
  let i = 0;
  while (i < text.length) {
    const current = parts[parts.length - 1]!;
    const wordStart = i === 0 || /\s/.test(text[i - 1]!);
    if (wordStart) {
      const flag = FLAG.exec(text.slice(i));
      if (flag) {
        parts.push({ typed: flag[0], name: flag[1]!.toLowerCase(), text: '' });
        i += flag[0].length;
        continue;
      }
      const end = closingQuote(text, i);
      if (end !== undefined) {
        current.text += text.slice(i, end + 1);
        i = end + 1;
        continue;
      }
    }
    current.text += text[i];
    i++;
  }
  const [free, ...flags] = parts;
  return {
    free: unquote(free!.text.trim()),
    flags: flags.map((part) => ({
      typed: part.typed!,
      name: part.name!,
      value: unquote(part.text.trim()),
    })),
  };
}

/** Index of the quote closing the one at `start`, if it closes at the end of a word. */
function closingQuote(text: string, start: number): number | undefined {
  const closer = QUOTES.get(text[start]!);
  if (closer === undefined) return undefined;
  for (let j = start + 1; j < text.length; j++) {
    if (text[j] === closer && (j + 1 === text.length || /\s/.test(text[j + 1]!))) return j;
  }
  return undefined;
}

/** `"blurry, text"` → `blurry, text`, only when the quotes wrap the whole value. */
function unquote(value: string): string {
  if (value.length < 2) return value;
  const closer = QUOTES.get(value[0]!);
  if (closer === undefined || !value.endsWith(closer)) return value;
  return closingQuote(value, 0) === value.length - 1 ? value.slice(1, -1).trim() : value;
}
