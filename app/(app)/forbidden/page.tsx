import Link from "next/link";

export const metadata = { title: "Not available" };

export default function Forbidden() {
  return (
    <main className="center-page">
      <h1>Not available for your role</h1>
      <p>This page belongs to another role. Your navigation shows what you can use.</p>
      <Link href="/">Back to your home page</Link>
    </main>
  );
}
