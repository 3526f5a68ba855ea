import Link from "next/link";

export const metadata = { title: "Not available" };

/** Where a page refused for the user's role sends them: inside the app, so the navigation shows what they can use. */
export default function Forbidden() {
  return (
    <div className="panel">
      <h1>Not available for your role</h1>
      <p>The page you opened belongs to another role, so nothing of it was shown. The navigation lists the pages your role can use.</p>
      <Link href="/">Back to your home page</Link>
    </div>
  );
}
