// Lint: typescript-eslint for all TypeScript, eslint-plugin-vue for the dashboard,
// and the folder rules of STYLE.md (core/ stays free of I/O and Node built-ins).
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';
import vue from 'eslint-plugin-vue';

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', '.taktline/**', 'docs/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  ...vue.configs['flat/recommended'],
  {
    files: ['**/*.vue'],
    languageOptions: { parserOptions: { parser: tseslint.parser } },
  },
  {
    languageOptions: { globals: { ...globals.node, ...globals.browser } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'vue/multi-word-component-names': 'off',
      'vue/max-attributes-per-line': 'off',
      'vue/singleline-html-element-content-newline': 'off',
      'vue/html-self-closing': 'off',
    },
  },
  {
    files: ['core/**/*.ts'],
    ignores: ['core/**/*.test.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [{ group: ['node:*', 'fs', 'path', 'http', 'os', 'vue', 'pinia', '*/collector/*', '*/dashboard/*', '*/simulator/*'], message: 'core/ is pure: no I/O, no Node built-ins, no Vue.' }] },
      ],
      'no-restricted-syntax': [
        'error',
        { selector: "CallExpression[callee.object.name='Date'][callee.property.name='now']", message: 'core/ takes the clock as a parameter.' },
        { selector: "NewExpression[callee.name='Date'][arguments.length=0]", message: 'core/ takes the clock as a parameter.' },
      ],
      'no-restricted-properties': ['error', { object: 'Math', property: 'random', message: 'core/ takes randomness as a parameter.' }],
    },
  },
  {
    files: ['dashboard/**/*.{ts,vue}'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ group: ['*/collector/*', '@influxdata/*'], message: 'The dashboard never talks to InfluxDB or imports the collector.' }] }],
    },
  },
);
