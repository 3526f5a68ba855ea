import type { Mail } from "./transport";

const esc = (s: string) => s.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);
const utc = (d: Date) => `${d.toISOString().slice(0, 16).replace("T", " ")} UTC`;

function linkMail(to: string, subject: string, lines: string[], link: string, after: string): Mail {
  const text = [...lines, "", link, "", after, ""].join("\n");
  const html = `${lines.map((l) => `<p>${esc(l)}</p>`).join("")}<p><a href="${esc(link)}">${esc(link)}</a></p><p>${esc(after)}</p>`;
  return { to, subject, text, html };
}

export function invitationMail(a: { to: string; orgName: string; role: string; invitedBy: string; link: string; expiresAt: Date }): Mail {
  return linkMail(
    a.to,
    `You are invited to ${a.orgName} on Tokenhedge`,
    [`${a.invitedBy} invited you to join ${a.orgName} on Tokenhedge as ${a.role.toLowerCase().replace("_", " ")}.`, "Open this link to choose your name and password:"],
    a.link,
    `The link works once, until ${utc(a.expiresAt)}. If you did not expect it, ignore this message.`,
  );
}

export function resetMail(a: { to: string; orgName: string; issuedBy: string; link: string; expiresAt: Date }): Mail {
  return linkMail(
    a.to,
    "Set a new Tokenhedge password",
    [`${a.issuedBy}, an admin of ${a.orgName}, issued a password reset link for your Tokenhedge account.`, "Open this link to set a new password:"],
    a.link,
    `The link works once, until ${utc(a.expiresAt)}. Setting a password signs you out everywhere.`,
  );
}
