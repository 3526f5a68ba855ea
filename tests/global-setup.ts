import type { TestProject } from "vitest/node";
import { createDb, dbUrl, dropDb, migrate, uniqueDbName } from "./pg";

declare module "vitest" {
  export interface ProvidedContext {
    databaseUrl: string;
  }
}

/** vitest: one fresh, migrated database per run, dropped afterwards. */
export default async function setup(project: TestProject) {
  const name = uniqueDbName("th_vitest");
  await createDb(name);
  const url = dbUrl(name);
  migrate(url);
  project.provide("databaseUrl", url);
  return async () => {
    await dropDb(name);
  };
}
