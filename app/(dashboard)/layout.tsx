import { AppShell } from "@/components/shell/app-shell";
import { requireUser } from "@/lib/auth/guard.server";

export default async function DashboardLayout({ children }: { children: React.ReactNode }) {
  const user = await requireUser();
  return (
    <AppShell username={user.username} role={user.role}>
      {children}
    </AppShell>
  );
}
