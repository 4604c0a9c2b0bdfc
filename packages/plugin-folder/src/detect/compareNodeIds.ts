/** Node ids in a human order: "2" < "10" < "12:3" < "12:10" (ids are strings, often numbers, sometimes grouped). */
export function compareNodeIds(a: string, b: string): number {
  return a.localeCompare(b, 'en', { numeric: true });
}
