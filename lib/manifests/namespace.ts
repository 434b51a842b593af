import type { INamespace } from "kubernetes-models/v1/Namespace";
import type { RunnerSettings } from "@/lib/runner-settings/schema";
import { metadata } from "./labels";

export function namespaceObject(settings: RunnerSettings): INamespace {
  return { apiVersion: "v1", kind: "Namespace", metadata: metadata(settings, settings.cluster.namespace, "cluster") };
}
