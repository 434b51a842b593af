import type { KubeObject, StoreEvent } from "../types";
import { objectKey } from "./kinds";

function controllerUid(object: KubeObject): string | undefined {
  return object.metadata.ownerReferences?.find((ref) => ref.controller)?.uid;
}

/**
 * Objects of one kind grouped by their controller's uid, kept current from store events, so a
 * controller finds its children without listing the whole kind on every reconcile.
 */
export class OwnerIndex {
  private readonly byOwner = new Map<string, Map<string, KubeObject>>();
  private readonly ownerOfKey = new Map<string, string>();

  apply(type: StoreEvent["type"], object: KubeObject): void {
    const key = objectKey(object);
    const previousOwner = this.ownerOfKey.get(key);
    if (previousOwner) {
      this.byOwner.get(previousOwner)?.delete(key);
      if (this.byOwner.get(previousOwner)?.size === 0) this.byOwner.delete(previousOwner);
      this.ownerOfKey.delete(key);
    }
    const owner = controllerUid(object);
    if (type === "DELETED" || !owner) return;
    let children = this.byOwner.get(owner);
    if (!children) this.byOwner.set(owner, (children = new Map()));
    children.set(key, object);
    this.ownerOfKey.set(key, owner);
  }

  owned(ownerUid: string | undefined): KubeObject[] {
    if (!ownerUid) return [];
    return [...(this.byOwner.get(ownerUid)?.values() ?? [])];
  }
}
