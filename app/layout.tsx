import type { Metadata } from "next";
import { connection } from "next/server";
import "./globals.css";

// each page names itself: "Usage imports · Tokenhedge" (WCAG 2.4.2)
export const metadata: Metadata = { title: { default: "Tokenhedge", template: "%s · Tokenhedge" }, description: "Hedge your AI spend" };

// Every page is rendered per request: its scripts carry that request's CSP nonce (lib/security/csp.ts), which a
// page prerendered at build time could not.
export default async function RootLayout({ children }: { children: React.ReactNode }) {
  await connection();
  return (
    <html lang="en">
      <body>{children}</body>
    </html>
  );
}
