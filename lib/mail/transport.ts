import nodemailer, { type Transporter } from "nodemailer";
import { log } from "@/lib/log";

/**
 * The mail transport configured by SMTP_URL (smtp://user:pass@host:587, smtps://host:465; nodemailer's URL
 * options such as ?tls.rejectUnauthorized=false apply), or null when none is configured — then the admin is
 * shown each one-time link to pass on. Read at call time, so a changed environment is seen without a restart
 * of this module; one transport (and its connection pool) per URL.
 */
export function mailTransport(url = process.env.SMTP_URL): Transporter | null {
  if (!url) return null;
  if (cached?.url !== url) cached = { url, transport: nodemailer.createTransport(url) };
  return cached.transport;
}
let cached: { url: string; transport: Transporter } | undefined;

export const mailFrom = () => process.env.SMTP_FROM || "Tokenhedge <no-reply@tokenhedge.localhost>";

export type Mail = { to: string; subject: string; text: string; html: string };

/**
 * Sends one message. Returns false when no transport is configured or the server refused it (logged), so the
 * caller can fall back to showing the link; the link itself is never logged.
 */
export async function sendMail(mail: Mail): Promise<boolean> {
  const transport = mailTransport();
  if (!transport) return false;
  try {
    const info = await transport.sendMail({ from: mailFrom(), ...mail });
    log.info({ messageId: info.messageId, subject: mail.subject }, "mail sent");
    return true;
  } catch (err) {
    log.error({ err: { message: (err as Error).message, code: (err as { code?: string }).code }, subject: mail.subject }, "mail not sent");
    return false;
  }
}
