/**
 * Runs `load` now, or once more right after the run in progress: however often it is asked
 * for, one request at a time, and the last ask always sees fresh data.
 */
export function reloader(load: () => Promise<void>): () => void {
  let running = false;
  let again = false;
  const run = (): void => {
    if (running) {
      again = true;
      return;
    }
    running = true;
    load()
      .catch((error: unknown) => console.warn('comfyrelay console: could not reload', error))
      .finally(() => {
        running = false;
        if (!again) return;
        again = false;
        run();
      });
  };
  return run;
}
