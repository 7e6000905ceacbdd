import type { Express, RequestHandler } from "express";
import { HttpError } from "./errors";

interface RouterLayer {
  match(path: string): unknown;
  /** Mounted at "/" (`app.use(router)`): its routes see the whole path. */
  slash?: boolean;
  route?: { methods: Record<string, boolean> };
  handle?: { stack?: RouterLayer[] };
}

/**
 * After every route: a path that some route serves, asked with a method none of them takes, is
 * `405 Method Not Allowed` with `Allow` (RFC 9110 §15.5.6), not a 404 that says the path does not exist.
 * The methods come from the app's own route table (Express 5's router: `route.methods`, routers mounted
 * with `app.use(router)` carry theirs in `handle.stack`), so the answer follows the routes as they are.
 */
export function methodNotAllowed(app: Express): RequestHandler {
  return (req, _res, next) => {
    const allowed = methodsServed(app, req.path);
    if (allowed.size === 0 || allowed.has(req.method) || allowed.has(ANY)) {
      next();
      return;
    }
    const allow = [...allowed].sort().join(", ");
    next(new HttpError(405, "method_not_allowed", `${req.method} is not allowed on ${req.path}; allowed: ${allow}`, [{ field: "method", message: `allowed: ${allow}` }], { Allow: allow }));
  };
}

const ANY = "*";

/** The methods the app's own routes take on a path ("*" for `router.all`), read from its route table. */
export function methodsServed(app: Express, path: string): ReadonlySet<string> {
  return allowedMethods((app as unknown as { router: { stack: RouterLayer[] } }).router.stack, path);
}

function allowedMethods(stack: readonly RouterLayer[], path: string, into = new Set<string>()): Set<string> {
  for (const layer of stack) {
    if (layer.route) {
      if (!layer.match(path)) continue;
      for (const [method, on] of Object.entries(layer.route.methods)) {
        if (!on) continue;
        // `router.all` matches every method: such a path has no method to refuse.
        into.add(method === "_all" ? ANY : method.toUpperCase());
      }
      if (into.has("GET")) into.add("HEAD");
    } else if (layer.handle?.stack && layer.slash) {
      allowedMethods(layer.handle.stack, path, into);
    }
  }
  return into;
}
