// `npm run docs`: the API reference of everything src/index.ts, mpl-sdk/qom, mpl-sdk/server and
// mpl-sdk/server/node export, with the README as its front page, into docs/api/ (git-ignored). Fails on any warning, and on an export
// (or a method of one) without documentation. test/docs runs it.
import { OptionDefaults } from 'typedoc';

/** @type {Partial<import('typedoc').TypeDocOptions>} */
export default {
  entryPoints: ['src/index.ts', 'src/qom.ts', 'src/server/index.ts', 'src/server/node.ts'],
  tsconfig: 'tsconfig.docs.json',
  out: 'docs/api',
  readme: 'README.md',
  name: 'mpl-sdk',
  excludePrivate: true,
  excludeInternal: true,
  treatWarningsAsErrors: true,
  // No source links: they need a git remote of a public host, which a clone (CI's included) may not have.
  disableSources: true,
  validation: { notExported: true, invalidLink: true, notDocumented: true },
  requiredToBeDocumented: ['Enum', 'Variable', 'Function', 'Class', 'Interface', 'TypeAlias', 'Method', 'Accessor'],
  // Internals a public type mentions: the metric table behind QomMetricName, the constructor token of MplEnvelope,
  // the six metrics' value slots of QomReport, the conditional types behind Client.call's parameters and CallArgs.
  intentionallyNotExported: ['METRICS', 'CHECKED', 'KnownQomMetrics', 'NotGiven', 'CallRest', 'CallData', 'JsonObject', 'ObjectPayload'],
  // The generated payload types carry json-schema-to-typescript's array bounds.
  blockTags: [...OptionDefaults.blockTags, '@minItems', '@maxItems'],
  // The README's Worker example shows its wrangler.toml.
  highlightLanguages: [...OptionDefaults.highlightLanguages, 'toml'],
};
