import { describe, expect, it } from "vitest";
import { parseAllDocuments } from "yaml";
import {
  PERMISSION_REQUIREMENTS,
  accessQuestions,
  buildPermissionReport,
  questionKey,
  type AccessAnswer,
  type PermissionRequirement,
} from "./permissions";

const NS = "gitlab-runner";

function answersWhere(allowed: (q: ReturnType<typeof accessQuestions>[number]) => boolean): Map<string, AccessAnswer> {
  return new Map(accessQuestions(NS).map((q) => [questionKey(q), allowed(q) ? "allowed" : "denied"] as const));
}

describe("accessQuestions", () => {
  it("asks namespaced questions in the namespace and cluster-scoped ones cluster-wide", () => {
    const questions = accessQuestions(NS);
    expect(questions).toContainEqual({ group: "", resource: "secrets", verb: "create", namespace: NS });
    expect(questions).toContainEqual({ group: "eci.alibabacloud.com", resource: "imagecaches", verb: "create" });
    expect(questions).toContainEqual({ group: "", resource: "pods", subresource: "log", verb: "get", namespace: NS });
    expect(questions).toContainEqual({ group: "", resource: "events", verb: "watch", namespace: NS });
    expect(questions.filter((q) => q.resource === "namespaces").every((q) => q.namespace === undefined)).toBe(true);
  });

  it("covers every verb of every requirement", () => {
    const expected = PERMISSION_REQUIREMENTS.reduce((sum, r) => sum + r.verbs.length, 0);
    expect(accessQuestions(NS)).toHaveLength(expected);
  });
});

describe("buildPermissionReport", () => {
  it("reports everything ready and no RBAC when all is allowed", () => {
    const report = buildPermissionReport({
      namespace: NS,
      username: "admin",
      answers: answersWhere(() => true),
      canEscalate: false,
    });
    expect(report.wizardReady).toBe(true);
    expect(report.monitorReady).toBe(true);
    expect(report.rbacYaml).toBeNull();
    expect(report.rows.every((row) => row.missing.length === 0)).toBe(true);
  });

  it("for a read-only monitor account: monitor verbs present, wizard missing, RBAC for the gaps", () => {
    const readOnly = (q: { resource: string; subresource?: string; verb: string; namespace?: string }) =>
      q.namespace === NS &&
      ["pods", "events"].includes(q.resource) &&
      (q.subresource === undefined || q.subresource === "log") &&
      ["get", "list", "watch"].includes(q.verb);
    const report = buildPermissionReport({
      namespace: NS,
      username: "system:serviceaccount:gitlab-runner:viewer",
      answers: answersWhere(readOnly),
      canEscalate: false,
    });
    const pods = report.rows.find((row) => row.id === "pods")!;
    expect(pods).toMatchObject({ allowed: ["list", "watch"], missing: ["delete"] });
    expect(report.rows.find((row) => row.id === "pods/log")).toMatchObject({ allowed: ["get"], missing: [] });
    expect(report.monitorReady).toBe(false);
    expect(report.wizardReady).toBe(false);

    const docs = parseAllDocuments(report.rbacYaml!).map((doc) => doc.toJS());
    expect(docs.map((doc) => doc.kind)).toEqual(["Role", "RoleBinding", "ClusterRole", "ClusterRoleBinding"]);
    const role = docs[0];
    expect(role.metadata.namespace).toBe(NS);
    const podRule = role.rules.find((rule: { resources: string[] }) => rule.resources[0] === "pods");
    expect(podRule.verbs).toContain("delete");
    expect(podRule.verbs).not.toContain("list");
    expect(role.rules.find((rule: { resources: string[] }) => rule.resources[0] === "pods/log")).toBeUndefined();
    expect(role.rules.find((rule: { resources: string[] }) => rule.resources[0] === "pods/exec").verbs).toContain(
      "create",
    );
    expect(docs[1].subjects).toEqual([{ kind: "ServiceAccount", name: "viewer", namespace: "gitlab-runner" }]);
    expect(docs[2].rules.map((rule: { resources: string[] }) => rule.resources[0]).sort()).toEqual([
      "imagecaches",
      "namespaces",
      "persistentvolumes",
    ]);
  });

  it("treats missing optional features as ready but still offers their RBAC", () => {
    const required = (q: { resource: string }) =>
      !["namespaces", "persistentvolumes", "imagecaches", "persistentvolumeclaims"].includes(q.resource);
    const report = buildPermissionReport({
      namespace: NS,
      username: "alice",
      answers: answersWhere(required),
      canEscalate: false,
    });
    expect(report.wizardReady).toBe(true);
    expect(report.monitorReady).toBe(true);
    const kinds = parseAllDocuments(report.rbacYaml!).map((doc) => doc.toJS().kind);
    expect(kinds).toEqual(["Role", "RoleBinding", "ClusterRole", "ClusterRoleBinding"]);
    expect(parseAllDocuments(report.rbacYaml!)[1].toJS().subjects).toEqual([
      { apiGroup: "rbac.authorization.k8s.io", kind: "User", name: "alice" },
    ]);
  });

  it("lets escalate on roles stand in for the runner's permissions", () => {
    const notRunnerOnly = (q: { resource: string; subresource?: string; verb: string }) =>
      !(q.resource === "pods" && (q.subresource === "exec" || q.subresource === "attach")) && q.resource !== "services";
    const without = buildPermissionReport({
      namespace: NS,
      username: null,
      answers: answersWhere(notRunnerOnly),
      canEscalate: false,
    });
    expect(without.wizardReady).toBe(false);
    expect(without.rbacYaml).toContain("pods/exec");
    expect(without.rbacYaml).toContain("REPLACE-WITH-YOUR-USER");
    const withEscalate = buildPermissionReport({
      namespace: NS,
      username: null,
      answers: answersWhere(notRunnerOnly),
      canEscalate: true,
    });
    expect(withEscalate.wizardReady).toBe(true);
    expect(withEscalate.rbacYaml).toBeNull();
  });

  it("does not count unanswered questions as granted", () => {
    const requirements: PermissionRequirement[] = [
      { id: "pods", purpose: "monitor", group: "", resource: "pods", verbs: ["list"] },
    ];
    const report = buildPermissionReport({
      namespace: NS,
      username: null,
      answers: new Map(),
      canEscalate: false,
      requirements,
    });
    expect(report.rows[0]).toMatchObject({ allowed: [], missing: [], unknown: ["list"] });
    expect(report.monitorReady).toBe(false);
  });
});
