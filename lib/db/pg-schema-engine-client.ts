import pg from "pg";

// Type OIDs @prisma/adapter-pg 6.19 maps (scalars and their arrays); user types (>= 10000) map to text too.
const MAPPED_TYPE_OIDS = new Set([
  16, 17, 20, 21, 23, 25, 26, 114, 700, 701, 790, 1042, 1043, 1082, 1083, 1114, 1184, 1266, 1560, 1562, 1700, 2950,
  3802, 869, 650, 142, 1000, 1001, 1005, 1007, 1016, 1021, 1022, 1028, 1014, 1015, 1040, 1041, 1115, 1182, 1183, 1185,
  1231, 1270, 1561, 1563, 199, 3807, 143, 2951, 791, 1002,
]);
const TEXT_OID = 25;

type QueryResultLike = { fields?: Array<{ dataTypeID: number }> };

function mapCatalogTypesToText(result: unknown): unknown {
  for (const one of (Array.isArray(result) ? result : [result]) as QueryResultLike[]) {
    for (const field of one?.fields ?? []) {
      if (field.dataTypeID < 10_000 && !MAPPED_TYPE_OIDS.has(field.dataTypeID)) field.dataTypeID = TEXT_OID;
    }
  }
  return result;
}

/**
 * A node-postgres client for the Prisma CLI only. Prisma's JS schema engine reads the catalog
 * (information_schema, pg_class), whose columns have types such as `name` (OID 19) and `"char"`
 * that @prisma/adapter-pg 6.19 rejects ("Column type 'name' could not be deserialized"), so
 * migrate deploy, db pull and migrate diff fail on PostgreSQL. node-postgres already parsed those
 * values as strings; this relabels their columns as text. The app's own queries never need it.
 */
export class SchemaEngineClient extends pg.Client {
  // Overloads of pg's query are many; every promise-returning form passes through here.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  query(...args: any[]): any {
    const callback = typeof args[args.length - 1] === "function" ? args.pop() : undefined;
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    const result = (super.query as any)(...args);
    if (!result || typeof result.then !== "function") return result;
    const mapped = result.then(mapCatalogTypesToText);
    if (callback) mapped.then((value: unknown) => callback(null, value), callback);
    return mapped;
  }
}
