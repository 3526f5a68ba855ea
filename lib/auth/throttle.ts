import { prisma } from "@/lib/db/client";

/** Failures of one account from one address before that pair is refused for the rest of the window. */
export const MAX_FAILED_PER_ACCOUNT_IP = 10;
/** Failures from one address across all accounts (password spraying) before the address is refused. */
export const MAX_FAILED_PER_IP = 30;
/** Failures of one account from anywhere after which every further attempt must wait (progressive delay). */
export const ACCOUNT_DELAY_AFTER = 10;
export const MAX_ACCOUNT_DELAY_MS = 60_000;
export const THROTTLE_WINDOW_MS = 15 * 60 * 1000;

export type ThrottleDecision =
  | { allowed: true; attemptId: bigint }
  | { allowed: false; reason: "account-ip" | "ip" | "account-delay"; retryAfterMs: number };

/** Delay an account must wait after its n-th recent failure: none up to ACCOUNT_DELAY_AFTER, then doubling from 1 s, capped. */
export function accountDelayMs(failures: number): number {
  if (failures < ACCOUNT_DELAY_AFTER) return 0;
  return Math.min(1000 * 2 ** (failures - ACCOUNT_DELAY_AFTER), MAX_ACCOUNT_DELAY_MS);
}

/**
 * Decides and records a sign-in attempt atomically: the account's and the address's advisory locks
 * serialize concurrent attempts, the counts are taken under them, and an allowed attempt is recorded as
 * a failure before the password is checked (settleAttempt marks it a success). So 40 concurrent guesses
 * get exactly the limit through, never more.
 *
 * The owner is never locked out by someone else: the hard limit is per account × address, and what a
 * guesser from many addresses causes for the account is a delay (at most MAX_ACCOUNT_DELAY_MS between
 * attempts), not a lock.
 */
export async function beginAttempt(email: string, ip: string, now = new Date()): Promise<ThrottleDecision> {
  const since = new Date(now.getTime() - THROTTLE_WINDOW_MS);
  return prisma.$transaction(async (tx) => {
    // fixed order (account, then address) so two attempts never wait on each other crosswise
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${`login-account:${email}`}))`;
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${`login-ip:${ip}`}))`;
    const [row] = await tx.$queryRaw<{ pair: bigint; by_ip: bigint; account: bigint; last_account: Date | null }[]>`
      SELECT count(*) FILTER (WHERE email = ${email} AND ip = ${ip}) AS pair,
             count(*) FILTER (WHERE ip = ${ip}) AS by_ip,
             count(*) FILTER (WHERE email = ${email}) AS account,
             max("createdAt") FILTER (WHERE email = ${email}) AS last_account
        FROM "LoginAttempt"
       WHERE success = false AND "createdAt" >= ${since} AND (email = ${email} OR ip = ${ip})`;
    const windowLeft = (t: Date | null) => Math.max(1000, (t ?? now).getTime() + THROTTLE_WINDOW_MS - now.getTime());
    if (Number(row.pair) >= MAX_FAILED_PER_ACCOUNT_IP) return { allowed: false, reason: "account-ip", retryAfterMs: windowLeft(row.last_account) } as const;
    if (Number(row.by_ip) >= MAX_FAILED_PER_IP) return { allowed: false, reason: "ip", retryAfterMs: THROTTLE_WINDOW_MS } as const;
    const wait = accountDelayMs(Number(row.account));
    if (wait > 0 && row.last_account && now.getTime() - row.last_account.getTime() < wait) {
      return { allowed: false, reason: "account-delay", retryAfterMs: wait - (now.getTime() - row.last_account.getTime()) } as const;
    }
    const a = await tx.loginAttempt.create({ data: { email, ip, success: false, createdAt: now }, select: { id: true } });
    return { allowed: true, attemptId: a.id } as const;
  });
}

export async function settleAttempt(attemptId: bigint, success: boolean) {
  if (success) await prisma.loginAttempt.update({ where: { id: attemptId }, data: { success: true } });
}
