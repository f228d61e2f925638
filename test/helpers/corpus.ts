import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** Short documents on distinct topics, so a query has one right answer. */
export const TOPICS = {
  'plants.md':
    '# Photosynthesis\n\nPlants capture energy from sunlight with chlorophyll in their green leaves. Light turns water and carbon dioxide into sugar and oxygen.\n',
  'taxes.txt':
    'Income tax law sets the rates that citizens and companies pay on their earnings. The government collects revenue through deductions, audits and annual filings.\n',
  'football.txt':
    'The football team scored two goals in the second half and won the championship match in front of a cheering stadium crowd.\n',
  'cooking.md':
    '# Baking bread\n\nMix flour, water, salt and yeast into a dough, let it rise for an hour, then bake it in a hot oven until the crust is golden brown.\n',
} as const;

export function writeFiles(root: string, files: Record<string, string | Uint8Array>): string[] {
  return Object.entries(files).map(([rel, content]) => {
    const path = join(root, rel);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, content);
    return path;
  });
}
