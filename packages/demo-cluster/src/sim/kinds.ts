import type { KindRef, KubeObject } from "../types";

export const POD: KindRef = { apiVersion: "v1", kind: "Pod" };
export const EVENT: KindRef = { apiVersion: "v1", kind: "Event" };
export const NODE: KindRef = { apiVersion: "v1", kind: "Node" };
export const CONFIG_MAP: KindRef = { apiVersion: "v1", kind: "ConfigMap" };
export const SECRET: KindRef = { apiVersion: "v1", kind: "Secret" };
export const DEPLOYMENT: KindRef = { apiVersion: "apps/v1", kind: "Deployment" };
export const REPLICA_SET: KindRef = { apiVersion: "apps/v1", kind: "ReplicaSet" };
export const IMAGE_CACHE: KindRef = { apiVersion: "eci.alibabacloud.com/v1", kind: "ImageCache" };

/** The single ECI virtual node every pod lands on, as on an ASK cluster in cn-hangzhou. */
export const VIRTUAL_NODE_NAME = "virtual-kubelet-cn-hangzhou-k";

export function isKind(object: KubeObject, ref: KindRef): boolean {
  return object.kind === ref.kind && object.apiVersion === ref.apiVersion;
}

export function objectKey(object: KubeObject): string {
  return `${object.metadata.namespace ?? ""}/${object.metadata.name}`;
}
