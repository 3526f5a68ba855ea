import { AppError } from "@/lib/errors";
import { beginAttempt, settleAttempt } from "./throttle";

/** Error code of a link that is unknown, used, revoked or expired: counted as a guess. */
export const INVALID_LINK = "invalid_link";

/**
 * Public one-time links (invitation, password reset) are throttled with the sign-in counters (lib/auth/throttle.ts):
 * a request whose token turns out invalid counts as a failure under the key `<kind>-link:<address>`, so an
 * address gets 10 invalid links per 15 minutes (and counts towards its 30 failures across sign-in), and a
 * guesser slows only itself. Tokens carry 256 bits, so this is defence in depth, not what makes them unguessable.
 */
export async function throttledLinkUse<T>(kind: "invite" | "reset", ip: string, use: () => Promise<T>): Promise<T> {
  const attempt = await beginAttempt(`${kind}-link:${ip}`, ip);
  if (!attempt.allowed) throw new AppError(429, "throttled", `Too many invalid links from your address. Try again in ${Math.ceil(attempt.retryAfterMs / 60_000)} minutes.`);
  try {
    const result = await use();
    await settleAttempt(attempt.attemptId, true);
    return result;
  } catch (e) {
    if (!(e instanceof AppError && e.code === INVALID_LINK)) await settleAttempt(attempt.attemptId, true);
    throw e;
  }
}
