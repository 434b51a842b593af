"use client";

import { createContext, useContext } from "react";
import { hasRole, type Role } from "@/lib/auth/roles";

const RoleContext = createContext<Role>("viewer");

/** The signed-in user's role for client components; the server checks it again on every request. */
export function RoleProvider({ role, children }: { role: Role; children: React.ReactNode }) {
  return <RoleContext.Provider value={role}>{children}</RoleContext.Provider>;
}

/** True when the user's role allows what `required` allows: used to hide what they may not do. */
export function useCan(required: Role): boolean {
  return hasRole(useContext(RoleContext), required);
}
