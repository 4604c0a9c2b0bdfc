/** Reads already validated primitive inputs, falling back to the Python default argument. */
export function numberInput(
  inputs: Record<string, unknown>,
  name: string,
  fallback: number,
): number {
  const value = inputs[name];
  return typeof value === 'number' && Number.isFinite(value) ? value : fallback;
}

export function stringInput(
  inputs: Record<string, unknown>,
  name: string,
  fallback: string,
): string {
  const value = inputs[name];
  return typeof value === 'string' ? value : fallback;
}

export function booleanInput(
  inputs: Record<string, unknown>,
  name: string,
  fallback: boolean,
): boolean {
  const value = inputs[name];
  return typeof value === 'boolean' ? value : fallback;
}
