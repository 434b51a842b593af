/**
 * `ask-ci/no-server-in-client`: a file marked "use client" may import a `*.server` module only for
 * its types. A value import would pull server-only code (Prisma, credentials) towards the browser
 * bundle; Next.js would fail late and with a less helpful message.
 */
const isServerModule = (source) => /\.server(\.tsx?)?$/.test(source);

const noServerInClient = {
  meta: {
    type: "problem",
    docs: { description: "client components import *.server modules for types only" },
    messages: {
      serverImport:
        "'{{source}}' is server-only; a \"use client\" file may only `import type` from it (pass data as props or through a route).",
    },
    schema: [],
  },
  create(context) {
    let isClient = false;
    return {
      Program(node) {
        isClient = node.body.some(
          (statement) => statement.type === "ExpressionStatement" && statement.directive === "use client",
        );
      },
      ImportDeclaration(node) {
        if (!isClient || !isServerModule(String(node.source.value))) return;
        if (node.importKind === "type") return;
        const valueSpecifiers = node.specifiers.filter((s) => s.type !== "ImportSpecifier" || s.importKind !== "type");
        if (node.specifiers.length > 0 && valueSpecifiers.length === 0) return;
        context.report({ node, messageId: "serverImport", data: { source: String(node.source.value) } });
      },
    };
  },
};

export const askCiPlugin = { rules: { "no-server-in-client": noServerInClient } };
