export const SESSION_COOKIE = "ask_ci_session";
