import nextVitals from "eslint-config-next/core-web-vitals";
import nextTs from "eslint-config-next/typescript";
import prettier from "eslint-config-prettier/flat";
import { askCiPlugin } from "./eslint/client-boundary.mjs";

// The simulators are programs of their own: the dashboard reaches them only over HTTP(S), as it
// reaches real clusters and GitLab (scripts and tests may start them).
const simulatorImports = {
  paths: [],
  patterns: [
    {
      group: ["@ask-ci/demo-*"],
      message: "The dashboard reaches the simulators over HTTP(S) only; start them from scripts/ or tests/.",
    },
    {
      regex: "(^|/)packages/",
      message: "Import workspace packages by name (@ask-ci/…), and never the simulators from the dashboard.",
    },
  ],
};

const componentImports = {
  paths: [],
  patterns: [
    ...simulatorImports.patterns,
    {
      regex: "\\.server$",
      allowTypeImports: true,
      message: "Components receive data as props or through routes; import only types from *.server modules.",
    },
    { group: ["@/app/api/*"], message: "Components call routes over HTTP, they do not import route handlers." },
  ],
};

// A package never imports the dashboard: it must run (and be tested) on its own.
const packageImports = {
  paths: [],
  patterns: [
    { group: ["@/*"], message: "Packages never import the dashboard." },
    {
      regex: "^(\\.\\./)+(app|components|lib|scripts|tests|e2e)(/|$)",
      message: "Packages never import the dashboard.",
    },
  ],
};

const config = [
  ...nextVitals,
  ...nextTs,
  // Formatting is Prettier's job (checked by `npm run lint`); this turns off the rules that would fight it.
  prettier,
  {
    plugins: { "ask-ci": askCiPlugin },
    rules: { "ask-ci/no-server-in-client": "error" },
  },
  {
    files: ["app/**", "lib/**", "proxy.ts", "instrumentation.ts"],
    rules: { "no-restricted-imports": ["error", simulatorImports] },
  },
  {
    files: ["components/**"],
    rules: { "no-restricted-imports": ["error", componentImports] },
  },
  {
    files: ["packages/**"],
    rules: { "no-restricted-imports": ["error", packageImports] },
  },
  {
    // next.config.js is CommonJS: the package is not "type": "module".
    files: ["next.config.js"],
    rules: { "@typescript-eslint/no-require-imports": "off" },
  },
  {
    ignores: [
      ".next/**",
      "node_modules/**",
      "lib/generated/**",
      "data/**",
      "test-results/**",
      "playwright-report/**",
      "next-env.d.ts",
      "reports/**",
      ".stryker-tmp/**",
    ],
  },
];

export default config;
