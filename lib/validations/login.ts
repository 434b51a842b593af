import { z } from "zod";

/** Messages are catalog keys under "login", translated by the form. */
export const loginSchema = z.object({
  username: z.string().trim().min(1, "usernameRequired").max(64, "usernameTooLong"),
  password: z.string().min(1, "passwordRequired").max(256, "passwordTooLong"),
});

export type LoginFieldErrors = Partial<Record<"username" | "password", string>>;

export type LoginState = { error?: "invalid" | "rateLimited"; fieldErrors?: LoginFieldErrors; username?: string };

/** Reads the login form without trusting its shape: missing or non-text fields become "". */
export function readLoginForm(form: FormData) {
  const text = (name: string) => {
    const value = form.get(name);
    return typeof value === "string" ? value : "";
  };
  return loginSchema.safeParse({ username: text("username"), password: text("password") });
}
