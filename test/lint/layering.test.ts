import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../core/config/sourcePaths';

/** The layering rules must fire: lint virtual files placed in each folder. */
const eslint = new ESLint({ cwd: REPO_ROOT });

async function ruleIds(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: `${REPO_ROOT}/${filePath}` });
  return (result?.messages ?? []).map((m) => m.ruleId ?? m.message);
}

describe('layering lint rules', () => {
  it('core/ may not import electron, react or the app shells', async () => {
    expect(await ruleIds('core/x.ts', "import { app } from 'electron';\nexport const a = app;\n")).toContain('no-restricted-imports');
    expect(await ruleIds('core/x.ts', "import { useState } from 'react';\nexport const a = useState;\n")).toContain('no-restricted-imports');
    expect(await ruleIds('core/x.ts', "import { a } from '../renderer/src/main';\nexport const b = a;\n")).toContain('no-restricted-imports');
    expect(await ruleIds('core/x.ts', "import { join } from 'node:path';\nexport const j = join;\n")).toEqual([]);
  });

  it('renderer/ may take only types from core/', async () => {
    expect(await ruleIds('renderer/src/x.ts', "import { kbContract } from '../../core/api/contract';\nexport const c = kbContract;\n")).toContain(
      '@typescript-eslint/no-restricted-imports',
    );
    expect(await ruleIds('renderer/src/x.ts', "import type { KbClient } from '../../core/api/contract';\nexport type C = KbClient;\n")).toEqual([]);
    expect(await ruleIds('renderer/src/x.ts', "import { ipcRenderer } from 'electron';\nexport const i = ipcRenderer;\n")).toContain(
      '@typescript-eslint/no-restricted-imports',
    );
  });
});
