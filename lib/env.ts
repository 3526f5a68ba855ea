import { resolveAuthSecret } from "@/lib/auth/secret";
import { z } from "zod";

const schema = z.object({
  DATABASE_URL: z
    .string({ error: "DATABASE_URL is required (npm start sets it to the embedded database when unset)" })
    .regex(/^postgres(ql)?:\/\//, "DATABASE_URL must be a postgresql:// URL"),
  NEXTAUTH_SECRET: z.string().min(16, "NEXTAUTH_SECRET must be at least 16 characters").optional(),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  DEMO_MODE: z.enum(["0", "1"]).default("1"),
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  /** Mail transport for invitations and reset links (lib/mail); unset: the admin is shown the link instead */
  SMTP_URL: z.string().regex(/^smtps?:\/\/[^\s]+$/, "SMTP_URL must be an smtp:// or smtps:// URL").optional(),
  SMTP_FROM: z.string().min(3).default("Tokenhedge <no-reply@tokenhedge.localhost>"),
  /** Self-service sign-up (app/sign-up): closed unless set to open */
  SIGNUP: z.enum(["open", "closed"]).default("closed"),
  /** Key for secrets stored encrypted at rest (SSO client secrets); derived from the session secret when unset */
  DATA_ENCRYPTION_KEY: z.string().min(32, "DATA_ENCRYPTION_KEY must be at least 32 characters").optional(),
});

export type Env = z.infer<typeof schema>;

let cached: Env | undefined;

/** Validates process.env once; a bad value stops start-up with every problem listed. */
export function env(): Env {
  if (cached) return cached;
  const parsed = schema.safeParse(process.env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join(".")}: ${i.message}`).join("\n");
    throw new Error(`Invalid environment:\n${lines}`);
  }
  cached = parsed.data;
  return cached;
}

/** The session-signing secret (see lib/auth/secret.ts: NEXTAUTH_SECRET, or a random one kept in .data/). */
export function authSecret(): string {
  return (cachedSecret ??= resolveAuthSecret());
}
let cachedSecret: string | undefined;
