import type { Handler, Route } from '../api/route.js';

/** A route matched against a request: the handler and the path parameters. */
export interface RouteMatch {
  route: Route;
  handler: Handler;
  params: Record<string, string>;
}

type Segment =
  | { kind: 'literal'; text: string }
  | { kind: 'param'; name: string }
  | { kind: 'rest'; name: string };

interface CompiledRoute {
  route: Route;
  segments: Segment[];
  /** Routes with more literal segments and no `{name*}` win over looser ones. */
  rank: number;
}

/**
 * Matches method and path against `Route` patterns: `{id}` takes one segment, `{name*}` takes one
 * or more (image names contain slashes) and may be followed by literal segments
 * (`/images/{name*}/json`). Literal routes beat parameterized ones, so `/images/json` lists.
 */
export class Router {
  private readonly routes: CompiledRoute[] = [];

  constructor(routes: readonly Route[] = []) {
    for (const r of routes) this.add(r);
  }

  /** Adds a route; a second route with the same method and pattern is a programming error. */
  add(route: Route): void {
    if (this.routes.some((c) => c.route.method === route.method && c.route.path === route.path)) {
      throw new Error(`duplicate route ${route.method} ${route.path}`);
    }
    const segments = split(route.path).map(compileSegment);
    const literals = segments.filter((s) => s.kind === 'literal').length;
    const rest = segments.some((s) => s.kind === 'rest');
    this.routes.push({ route, segments, rank: literals * 2 + (rest ? 0 : 1) });
    this.routes.sort((a, b) => b.rank - a.rank);
  }

  /** Finds the route for a method and an unversioned path; HEAD falls back to GET. */
  match(method: string, path: string): RouteMatch | undefined {
    const parts = split(path);
    const found = this.find(method, parts) ?? (method === 'HEAD' ? this.find('GET', parts) : undefined);
    return found;
  }

  private find(method: string, parts: string[]): RouteMatch | undefined {
    for (const c of this.routes) {
      if (c.route.method !== method) continue;
      const params = matchSegments(c.segments, parts);
      if (params) return { route: c.route, handler: c.route.handler, params };
    }
    return undefined;
  }
}

function split(path: string): string[] {
  return path.split('/').filter((p) => p !== '');
}

function compileSegment(text: string): Segment {
  const m = /^\{(\w+)(\*?)\}$/.exec(text);
  if (!m) return { kind: 'literal', text };
  return m[2] ? { kind: 'rest', name: m[1]! } : { kind: 'param', name: m[1]! };
}

function matchSegments(segments: Segment[], parts: string[]): Record<string, string> | undefined {
  const params: Record<string, string> = {};
  const restAt = segments.findIndex((s) => s.kind === 'rest');
  if (restAt < 0) {
    if (segments.length !== parts.length) return undefined;
    return matchFixed(segments, parts, params) ? params : undefined;
  }
  const tail = segments.length - restAt - 1;
  const restLen = parts.length - restAt - tail;
  if (restLen < 1) return undefined;
  if (!matchFixed(segments.slice(0, restAt), parts.slice(0, restAt), params)) return undefined;
  if (!matchFixed(segments.slice(restAt + 1), parts.slice(parts.length - tail), params)) return undefined;
  const restParts = parts.slice(restAt, restAt + restLen);
  params[(segments[restAt] as { name: string }).name] = restParts.map(decode).join('/');
  return params;
}

function matchFixed(segments: Segment[], parts: string[], params: Record<string, string>): boolean {
  return segments.every((s, i) => {
    const part = parts[i]!;
    if (s.kind === 'literal') return s.text === part;
    params[s.name] = decode(part);
    return true;
  });
}

function decode(part: string): string {
  try {
    return decodeURIComponent(part);
  } catch {
    return part;
  }
}
