/**
 * What the audit log records: one dotted name per kind of change or sign-in, with the kind of thing it
 * changes. A feature adds its actions here (and their labels under teams.actions in lib/i18n/messages/<locale>/teams.json;
 * tests/audit-catalog.test.ts checks that every action has one).
 */
export const AUDIT_ACTIONS = {
  "auth.login": "user",
  "auth.login-failed": "user",
  "auth.logout": "session",
  "session.revoke": "session",
  "user.role": "user",
  "user.deactivate": "user",
  "user.activate": "user",
  "role-mapping.create": "role-mapping",
  "role-mapping.delete": "role-mapping",
  "settings.audit-retention": "settings",
  "connection.create": "connection",
  "connection.update": "connection",
  "connection.delete": "connection",
  "connection.default": "connection",
  "profile.save": "profile",
  "profile.delete": "profile",
  "profile.download-secrets": "profile",
  "runner.apply": "profile",
  "runner.dry-run": "profile",
  "runner.uninstall": "profile",
  "pod.delete": "pod",
  "pod.exec": "pod",
  "pod.exec-end": "pod",
  "price-book.save": "price-book",
  "price-book.reset": "price-book",
  "ecs-price.save": "ecs-price",
  "ecs-price.delete": "ecs-price",
  "gitlab-connection.create": "gitlab-connection",
  "gitlab-connection.update": "gitlab-connection",
  "gitlab-connection.delete": "gitlab-connection",
  "gitlab-runner.create": "gitlab-runner",
  "gitlab-runner.reset-token": "gitlab-runner",
  "gitlab-runner.delete": "gitlab-runner",
  "gitlab-pipeline.run": "gitlab-pipeline",
  "gitlab-job.retry": "gitlab-job",
  "gitlab-job.cancel": "gitlab-job",
  "budget.create": "budget",
  "budget.delete": "budget",
  "alert-rules.save": "settings",
  "alert-channel.create": "alert-channel",
  "alert-channel.update": "alert-channel",
  "alert-channel.delete": "alert-channel",
  "alert-channel.test": "alert-channel",
} as const;

export type AuditAction = keyof typeof AUDIT_ACTIONS;

export const AUDIT_RESULTS = ["ok", "error", "denied"] as const;
export type AuditResult = (typeof AUDIT_RESULTS)[number];

export function isAuditAction(value: unknown): value is AuditAction {
  return typeof value === "string" && Object.hasOwn(AUDIT_ACTIONS, value);
}
