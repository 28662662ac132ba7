/**
 * A small router: exact paths and methods, handlers that throw HttpProblem
 * for errors. Features register their routes in their own files.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { HttpProblem } from './problem';

export interface RouteContext {
  req: IncomingMessage;
  res: ServerResponse;
  url: URL;
}

export type RouteHandler = (ctx: RouteContext) => Promise<void> | void;

export class Router {
  private readonly routes = new Map<string, Map<string, RouteHandler>>();

  /** Registers `handler` for `method` on the exact `path`. */
  on(method: 'GET' | 'POST' | 'PUT' | 'DELETE', path: string, handler: RouteHandler): this {
    let byMethod = this.routes.get(path);
    if (!byMethod) {
      byMethod = new Map();
      this.routes.set(path, byMethod);
    }
    byMethod.set(method, handler);
    return this;
  }

  /** Every registered route, in registration order. */
  list(): { method: string; path: string }[] {
    return [...this.routes].flatMap(([path, byMethod]) => [...byMethod.keys()].map((method) => ({ method, path })));
  }

  /** Handles the request if a route matches its path; false when none does. */
  async handle(ctx: RouteContext): Promise<boolean> {
    const byMethod = this.routes.get(ctx.url.pathname);
    if (!byMethod) return false;
    const method = ctx.req.method === 'HEAD' ? 'GET' : (ctx.req.method ?? 'GET');
    const handler = byMethod.get(method);
    if (!handler) {
      const allow = [...byMethod.keys()].join(', ');
      throw new HttpProblem(405, 'method_not_allowed', `use ${allow} for ${ctx.url.pathname}`, { allow });
    }
    await handler(ctx);
    return true;
  }
}
