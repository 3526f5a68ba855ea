import { redirect } from "next/navigation";
import { pageCtx } from "@/lib/auth/page";
import { HOME } from "@/lib/auth/nav";

export default async function Home() {
  const ctx = await pageCtx();
  redirect(HOME[ctx.role]);
}
