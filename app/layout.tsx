import type { Metadata } from "next";
import "./globals.css";

export const metadata: Metadata = { title: "Tokenhedge", description: "Hedge your AI spend" };

export default function RootLayout({ children }: { children: React.ReactNode }) {
  return (
    <html lang="en">
      <body>{children}</body>
    </html>
  );
}
