// The layering of ARCHITECTURE.md, held by a tool rather than by memory (npm test runs it).
module.exports = {
  forbidden: [
    {
      name: 'core-stays-plain-node',
      comment: 'src-main/core runs in plain Node: no electron, no transport, no renderer.',
      severity: 'error',
      from: { path: '^src-main/core/' },
      to: { path: '^(src-main/(electron|host|cli)/|src-renderer/)|^electron$|node_modules/electron/' },
    },
    {
      name: 'contract-is-pure',
      comment: 'The contract is pure TypeScript shared by every side: no node:, no electron, no DOM, no services.',
      severity: 'error',
      from: { path: '^src-main/contract/' },
      to: { path: '^(src-main/(core|electron|host|cli)/|src-renderer/)|^electron$|node_modules/electron/', dependencyTypesNot: ['npm'] },
    },
    {
      name: 'contract-uses-no-node-builtins',
      severity: 'error',
      from: { path: '^src-main/contract/' },
      to: { dependencyTypes: ['core'] },
    },
    {
      name: 'host-is-not-electron',
      severity: 'error',
      from: { path: '^src-main/host/' },
      to: { path: '^src-main/electron/|^electron$|node_modules/electron/' },
    },
    {
      name: 'renderer-reaches-main-only-through-contract-types',
      comment: 'The renderer imports the contract with `import type` only, and nothing else of src-main.',
      severity: 'error',
      from: { path: '^src-renderer/' },
      to: { path: '^src-main/', dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'renderer-imports-only-the-contract',
      severity: 'error',
      from: { path: '^src-renderer/' },
      to: { path: '^src-main/(?!contract/)' },
    },
    {
      name: 'renderer-has-no-node',
      severity: 'error',
      from: { path: '^src-renderer/' },
      to: { dependencyTypes: ['core'] },
    },
    {
      name: 'platform-is-a-separate-service',
      comment:
        'src-platform is the central side, a separate service that a city may replace: it shares no code with the console (at most the contract, as types).',
      severity: 'error',
      from: { path: '^src-platform/' },
      to: { path: '^(src-main/(core|electron|host|cli)/|src-renderer/)|^electron$|node_modules/electron/' },
    },
    {
      name: 'platform-uses-the-contract-as-types-only',
      severity: 'error',
      from: { path: '^src-platform/' },
      to: { path: '^src-main/contract/', dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'console-does-not-import-the-platform',
      comment: 'The console reaches the platform over HTTP only, as it would a city\'s own platform.',
      severity: 'error',
      from: { path: '^(src-main|src-renderer)/' },
      to: { path: '^src-platform/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.node.json' },
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default', 'types'] },
  },
};
