import { redirect } from "next/navigation";
import { requireUser } from "@/lib/auth/guard.server";

export default async function HomePage() {
  await requireUser();
  redirect("/monitor");
}
