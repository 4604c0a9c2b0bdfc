/**
 * The directory the user typed the command in, which relative paths are resolved against.
 * `pnpm comfyrelay …` (the repository's script) runs in the repository root; pnpm and npm keep
 * the directory it was typed in as INIT_CWD. Only that script is trusted with it: INIT_CWD is
 * inherited by every process a package script starts.
 */
export function userDirectory(env: Record<string, string | undefined>, cwd: string): string {
  const typedIn = env['INIT_CWD'];
  return env['npm_lifecycle_event'] === 'comfyrelay' && typedIn ? typedIn : cwd;
}
