// Layering you can see and lint (design practice 2): core/ is plain Node, the renderer talks to
// the core only through window.kb and may take nothing but types from core/api.
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

const electronOrReact = [
  { name: 'electron', message: 'core/ runs in plain Node: no Electron imports.' },
  { name: 'react', message: 'core/ has no UI: no React imports.' },
  { name: 'react-dom', message: 'core/ has no UI: no React imports.' },
];

export default tseslint.config(
  { ignores: ['out/**', 'node_modules/**', '.scratch/**', 'test-results/**', 'resources/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['core/**/*.{ts,tsx,mjs}'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: electronOrReact,
          patterns: [
            { group: ['electron/*', 'react/*', 'react-dom/*'], message: 'core/ runs in plain Node.' },
            { group: ['**/renderer/**', '**/electron/**'], message: 'core/ must not import the app shells.' },
          ],
        },
      ],
    },
  },
  {
    files: ['renderer/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['**/core/**', '**/core'],
              allowTypeImports: true,
              message: 'The renderer talks to the core only through window.kb; import types only (import type …).',
            },
            { group: ['**/electron/**', 'electron'], message: 'The renderer never imports Electron: use window.kb.' },
          ],
        },
      ],
    },
  },
  {
    // The settings form validates as the user types with the contract's own schemas, profiles and
    // connection-string parser: pure modules (zod at most), so they may be imported as values.
    files: ['renderer/src/logic/settingsForm.ts', 'renderer/src/logic/settingsForm.test.ts'],
    rules: { '@typescript-eslint/no-restricted-imports': 'off' },
  },
  {
    files: ['core/api/settings.ts', 'core/api/profiles.ts', 'core/api/postgresUrl.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [{ group: ['node:*', '../*'], message: 'The renderer imports this module: keep it pure (zod and ./ siblings only).' }] },
      ],
    },
  },
);
