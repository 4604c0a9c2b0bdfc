import { readFileSync, readdirSync } from 'node:fs';
import { it } from 'vitest';
import { detectWorkflowJson } from '../src/workflow/detect/detectWorkflowJson.js';
const dir = new URL('./fixtures/workflows/', import.meta.url).pathname;
const objectInfo = JSON.parse(readFileSync(dir + 'object-info/object_info.json', 'utf8'));
it('prints', () => {
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.json'))) {
    const r = detectWorkflowJson(readFileSync(dir + file, 'utf8'), { objectInfo });
    console.log(`\n=== ${file} usable=${!!r.definition}`);
    for (const d of r.detected) console.log(`  ${d.parameter} ${d.type} ${d.bind.map((b) => `${b.node}.${b.input}`).join(',')} default=${JSON.stringify(d.default)}${d.note ? ' NOTE ' + d.note : ''}`);
    for (const p of r.parameters) if (p.min !== undefined || p.choices) console.log(`    ${p.name}: ${JSON.stringify({ min: p.min, max: p.max, m: p.multipleOf, c: p.choices })}`);
    console.log('  outputs', JSON.stringify(r.outputs));
    for (const m of r.missing) console.log('  missing:', m);
    for (const p of r.problems) console.log(`  ${p.severity} ${p.code}: ${p.message}`);
  }
});
