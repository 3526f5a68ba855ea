import { conflict } from "@/lib/errors";

/** Turns a unique-constraint violation into a 409 with a message the user can act on. */
export async function onUnique<T>(p: Promise<T>, message: string): Promise<T> {
  try {
    return await p;
  } catch (e) {
    if ((e as { code?: string })?.code === "P2002") throw conflict(message);
    throw e;
  }
}
