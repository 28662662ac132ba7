// Lint: typescript-eslint for all TypeScript, eslint-plugin-vue for the dashboard,
// and the folder rules of STYLE.md (core/ stays free of I/O and Node built-ins).
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';
import vue from 'eslint-plugin-vue';

/**
 * A `Record<string, …>` born as `{}` is a map with a prototype: a key a client
 * controls (`constructor`, `toString`, `__proto__`) finds Object's members
 * (issue 18). Use `new Map()`, or `Object.create(null)` where JSON needs an
 * object. Syntax cannot tell every record from a struct, so
 * collector/test/hostile.test.ts also feeds those names through every route.
 */
const RECORD_AS_MAP = [
  {
    selector:
      "VariableDeclarator[id.typeAnnotation.typeAnnotation.typeName.name='Record'][id.typeAnnotation.typeAnnotation.typeArguments.params.0.type='TSStringKeyword'][init.type='ObjectExpression']",
    message: "A Record<string, …> built from {} has a prototype: use new Map() or Object.create(null) (keys like 'constructor').",
  },
  {
    selector:
      "TSAsExpression[expression.type='ObjectExpression'][typeAnnotation.typeName.name='Record'][typeAnnotation.typeArguments.params.0.type='TSStringKeyword']",
    message: "A Record<string, …> built from {} has a prototype: use new Map() or Object.create(null) (keys like 'constructor').",
  },
];

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
        ...RECORD_AS_MAP,
        { selector: "CallExpression[callee.object.name='Date'][callee.property.name='now']", message: 'core/ takes the clock as a parameter.' },
        { selector: "NewExpression[callee.name='Date'][arguments.length=0]", message: 'core/ takes the clock as a parameter.' },
      ],
      'no-restricted-properties': ['error', { object: 'Math', property: 'random', message: 'core/ takes randomness as a parameter.' }],
    },
  },
  {
    files: ['collector/**/*.ts'],
    ignores: ['collector/**/*.test.ts', 'collector/test/**'],
    rules: { 'no-restricted-syntax': ['error', ...RECORD_AS_MAP] },
  },
  {
    files: ['dashboard/**/*.{ts,vue}'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ group: ['*/collector/*', '@influxdata/*'], message: 'The dashboard never talks to InfluxDB or imports the collector.' }] }],
    },
  },
);
