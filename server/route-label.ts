/**
 * The route pattern a request path belongs to, for metric labels: `/api/monitor/pods/[namespace]/[name]`
 * rather than every pod's path, so the number of label values stays bounded. Patterns come from
 * Next.js's routes manifest (.next/routes-manifest.json), written by `next build`.
 */
export interface RoutesManifest {
  staticRoutes?: Array<{ page: string; regex: string }>;
  dynamicRoutes?: Array<{ page: string; regex: string }>;
}

export type RouteMatcher = (pathname: string) => string;

export function routeMatcher(manifest: RoutesManifest): RouteMatcher {
  const statics = new Set((manifest.staticRoutes ?? []).map((route) => route.page));
  const dynamics = (manifest.dynamicRoutes ?? []).map((route) => ({
    page: route.page,
    regex: new RegExp(route.regex),
  }));
  return (pathname) => {
    const path = pathname.length > 1 && pathname.endsWith("/") ? pathname.slice(0, -1) : pathname;
    if (statics.has(path)) return path;
    if (path.startsWith("/_next/")) return path.startsWith("/_next/static/") ? "/_next/static" : "/_next";
    for (const route of dynamics) if (route.regex.test(path)) return route.page;
    return "(unmatched)";
  };
}
