/**
 * Prints what a synthesized stack contains: its resources counted by type, and its outputs.
 * Usage: ts-node print-template-summary.ts <cdk.out directory> <stack name>
 */
import { readFileSync } from 'fs';
import * as path from 'path';

const [outdir, stackName] = process.argv.slice(2);
const templatePath = path.join(outdir, `${stackName}.template.json`);
const template = JSON.parse(readFileSync(templatePath, 'utf8'));

const countsByType = new Map<string, number>();
for (const resource of Object.values<{ Type: string }>(template.Resources ?? {})) {
  countsByType.set(resource.Type, (countsByType.get(resource.Type) ?? 0) + 1);
}
const total = [...countsByType.values()].reduce((sum, count) => sum + count, 0);

console.log(`${stackName}: ${total} resources in ${path.relative(process.cwd(), templatePath)}`);
for (const [type, count] of [...countsByType].sort(([a], [b]) => a.localeCompare(b))) {
  console.log(`  ${String(count).padStart(3)}  ${type}`);
}
console.log('Outputs:');
for (const [name, output] of Object.entries<{ Value: unknown }>(template.Outputs ?? {})) {
  console.log(`  ${name} = ${JSON.stringify(output.Value)}`);
}
