import type { z } from 'zod';

/** How an environment variable's text becomes a value of the config. */
export type EnvReading =
  | 'text'
  /** A number when the text is one; otherwise the text, so the schema says what is wrong. */
  | 'number'
  /** true/false, yes/no, on/off, 1/0; otherwise the text. */
  | 'flag'
  /** Comma-separated, blanks dropped. */
  | 'list'
  | ((text: string) => unknown);

export interface EnvBinding {
  /** Where the value goes inside the section: dot-separated, '' for the section itself. */
  path: string;
  read?: EnvReading;
}

/**
 * One top-level key of the configuration, owned by whoever reads it (the relay, an app, the
 * console). The platform's loader knows nothing else about a section: it merges the file's
 * value with the environment's, validates it with the schema and reports what is wrong.
 */
export interface ConfigSection<Key extends string = string, Value = unknown> {
  readonly key: Key;
  /** Validates the merged value; use strict objects, so unknown keys are flagged. */
  readonly schema: z.ZodType<Value>;
  /** Environment variables that set keys of this section; they win over the file. */
  readonly env: Readonly<Record<string, string | EnvBinding>>;
  /** Paths never printed: masked in the effective config, never echoed in a problem. `*` matches any key or index. */
  readonly secrets?: readonly string[];
}

/** Typed sections without repeating the type parameters. */
export function defineSection<Key extends string, Value>(
  section: ConfigSection<Key, Value>,
): ConfigSection<Key, Value> {
  return section;
}

/** The validated configuration a list of sections describes: one typed value per key. */
export type ConfigOf<Sections extends readonly ConfigSection[]> = {
  [Section in Sections[number] as Section['key']]: Section extends ConfigSection<
    string,
    infer Value
  >
    ? Value
    : never;
};
