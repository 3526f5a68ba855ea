/**
 * Cancelling a request's queries when its client leaves (README "Read path": statement timeouts cap what an
 * abandoned request can cost; this stops it as soon as the client is gone).
 *
 * The web server runs each request in a QueryScope (scripts/web-server.ts) and aborts it when the response is
 * closed before it finished. The pools of the app (lib/db/client.ts, lib/db/pg.ts) are made `cancellable`: a
 * query asked inside a scope runs on a client the scope knows of, and when the scope aborts:
 *  - every query it has running is cancelled with `pg_cancel_backend` (PostgreSQL's own cancel; the driver's
 *    cancel message needs internals, this needs only the backend's pid);
 *  - every client it cancelled is closed when it is released, never handed to another request: a cancel that
 *    arrives late can then only hit the abandoned request's own work;
 *  - its further queries fail at once instead of running.
 *
 * Work shared by several requests (one cached read computed for everyone waiting for it, lib/services/
 * read-cache.ts) runs in its own scope, which aborts only when every request waiting for it has left; work that
 * a caller without a scope waits for (a job, a CLI) is never cancelled.
 */
import { AsyncLocalStorage } from "node:async_hooks";
import type pg from "pg";

export class QueryAbandonedError extends Error {
  constructor() {
    super("the request was abandoned by its client; its queries were cancelled");
    this.name = "QueryAbandonedError";
  }
}

export class QueryScope {
  private abortedFlag = false;
  /** clients checked out in this scope, with how many of its queries each is running */
  private readonly clients = new Map<pg.PoolClient, number>();
  /** clients cancelled by this scope: closed on release */
  readonly cancelled = new WeakSet<pg.PoolClient>();
  private readonly listeners = new Set<() => void>();

  constructor(private readonly cancelBackend: (pid: number) => Promise<unknown>) {}

  get aborted(): boolean {
    return this.abortedFlag;
  }

  checkedOut(client: pg.PoolClient): void {
    if (!this.clients.has(client)) this.clients.set(client, 0);
  }
  released(client: pg.PoolClient): void {
    this.clients.delete(client);
  }
  started(client: pg.PoolClient): void {
    this.clients.set(client, (this.clients.get(client) ?? 0) + 1);
  }
  finished(client: pg.PoolClient): void {
    const n = this.clients.get(client);
    if (n !== undefined) this.clients.set(client, Math.max(0, n - 1));
  }

  /** Runs `fn` when the scope aborts (at once when it already has). */
  onAbort(fn: () => void): void {
    if (this.abortedFlag) fn();
    else this.listeners.add(fn);
  }

  abort(): void {
    if (this.abortedFlag) return;
    this.abortedFlag = true;
    for (const [client, running] of this.clients) {
      // a client in a transaction between two queries has nothing to cancel, but is closed all the same
      this.cancelled.add(client);
      const pid = (client as unknown as { processID: number | null }).processID;
      if (running > 0 && pid) void this.cancelBackend(pid).catch(() => undefined);
    }
    for (const fn of [...this.listeners]) fn();
    this.listeners.clear();
  }
}

// one store per process: the web server (run by tsx) and Next's server bundles each load their own copy of this
// module, and the server's scope must be the one the bundles' pools read
const g = globalThis as unknown as { __queryScopes?: AsyncLocalStorage<QueryScope> };
const als = (g.__queryScopes ??= new AsyncLocalStorage<QueryScope>());
export const currentQueryScope = (): QueryScope | undefined => als.getStore();
export function runInQueryScope<T>(scope: QueryScope, fn: () => T): T {
  return als.run(scope, fn);
}

/**
 * `fn` run in a scope of its own, shared by every caller that `join`s it: aborted when all joined callers have
 * aborted (never, once a caller without a scope joined). For work several requests wait for.
 */
export function sharedWork<T>(cancelBackend: (pid: number) => Promise<unknown>, fn: () => Promise<T>): { value: Promise<T>; join: (caller: QueryScope | undefined) => void; readonly aborted: boolean } {
  const scope = new QueryScope(cancelBackend);
  let waiting = 0;
  let kept = false;
  let settled = false;
  const value = runInQueryScope(scope, fn);
  value.then(
    () => (settled = true),
    () => (settled = true),
  );
  return {
    value,
    get aborted() {
      return scope.aborted;
    },
    join(caller) {
      if (settled || kept) return;
      if (!caller) {
        kept = true;
        return;
      }
      waiting++;
      caller.onAbort(() => {
        if (--waiting === 0 && !kept && !settled) scope.abort();
      });
    },
  };
}

type QueryFn = (...args: unknown[]) => Promise<unknown>;

/**
 * The pool, with queries asked inside a QueryScope tracked so the scope can cancel them (see above). Outside a
 * scope the pool behaves exactly as before. Callback-style calls and submittables (streams) are passed through
 * untracked (the app's code and Prisma's adapter use promises).
 */
export function cancellable(pool: pg.Pool, cancelBackend: (pid: number) => Promise<unknown>): pg.Pool {
  const connect = pool.connect.bind(pool) as () => Promise<pg.PoolClient>;
  const query = pool.query.bind(pool) as unknown as QueryFn;

  /** A checkout inside `scope`: its queries are counted, and a cancelled client is closed on release. */
  async function checkout(scope: QueryScope): Promise<pg.PoolClient> {
    if (scope.aborted) throw new QueryAbandonedError();
    const client = await connect();
    if (scope.aborted) {
      client.release(true);
      throw new QueryAbandonedError();
    }
    scope.checkedOut(client);
    const release = client.release.bind(client);
    const clientQuery = client.query;
    client.release = ((err?: Error | boolean) => {
      scope.released(client);
      client.query = clientQuery;
      client.release = release;
      return release(scope.cancelled.has(client) ? true : err);
    }) as typeof client.release;
    client.query = ((...args: unknown[]) => {
      // callbacks and submittables (a COPY or cursor stream) are passed through as they are
      if (typeof args.at(-1) === "function" || typeof (args[0] as { submit?: unknown } | null)?.submit === "function") return (clientQuery as unknown as QueryFn).apply(client, args);
      if (scope.aborted) return Promise.reject(new QueryAbandonedError());
      scope.started(client);
      const p = (clientQuery as unknown as QueryFn).apply(client, args);
      const done = () => scope.finished(client);
      p.then(done, done);
      return p;
    }) as typeof client.query;
    return client;
  }

  pool.connect = ((cb?: unknown) => {
    const scope = currentQueryScope();
    if (typeof cb === "function" || !scope) return (connect as (c?: unknown) => unknown)(cb);
    return checkout(scope);
  }) as typeof pool.connect;

  pool.query = ((...args: unknown[]) => {
    const scope = currentQueryScope();
    if (typeof args.at(-1) === "function" || typeof (args[0] as { submit?: unknown } | null)?.submit === "function" || !scope) return query(...args);
    return (async () => {
      const client = await checkout(scope);
      let failed: Error | undefined;
      try {
        return await (client.query as unknown as QueryFn)(...args);
      } catch (e) {
        failed = e as Error;
        throw e;
      } finally {
        // as pg-pool's own query does: a client whose query failed is not reused
        client.release(failed);
      }
    })();
  }) as typeof pool.query;
  return pool;
}
