import type { Metadata } from "next";
import "./globals.css";

// each page names itself: "Usage imports · Tokenhedge" (WCAG 2.4.2)
export const metadata: Metadata = { title: { default: "Tokenhedge", template: "%s · Tokenhedge" }, description: "Hedge your AI spend" };

export default function RootLayout({ children }: { children: React.ReactNode }) {
  return (
    <html lang="en">
      <body>{children}</body>
    </html>
  );
}
