import type { IPersistentVolume } from "kubernetes-models/v1/PersistentVolume";
import type { IPersistentVolumeClaim } from "kubernetes-models/v1/PersistentVolumeClaim";
import type { RunnerSettings } from "@/lib/runner-settings/schema";
import { metadata } from "./labels";
import { objectNames } from "./names";

type CacheVolume = RunnerSettings["storage"]["volumes"][number];

/**
 * NAS mount options from the seed (and Alibaba's NAS docs for NFSv3): noresvport survives a
 * mount-target failover, vers=3 is what Extreme NAS speaks.
 */
export const NAS_MOUNT_OPTIONS = [
  "nolock,noresvport,noacl,hard",
  "vers=3",
  "rsize=1048576",
  "wsize=1048576",
  "proto=tcp",
  "timeo=600",
  "retrans=2",
];

/**
 * Static NAS volume as a plain `nfs` PersistentVolume, as the seed does: ECI mounts NFS natively,
 * so no CSI driver has to be installed. ReadWriteMany because every concurrent job pod mounts
 * the same cache (the seed's ReadWriteOnce is wrong for that). claimRef pre-binds the PV to its
 * claim so no other PVC in the cluster can grab it.
 */
export function persistentVolume(settings: RunnerSettings, volume: CacheVolume): IPersistentVolume | undefined {
  if (volume.backend.kind !== "nas") return undefined;
  const names = objectNames(settings);
  return {
    apiVersion: "v1",
    kind: "PersistentVolume",
    metadata: metadata(settings, names.persistentVolume(volume.name), "cluster"),
    spec: {
      accessModes: ["ReadWriteMany"],
      capacity: { storage: volume.size },
      // Kubernetes never deletes NAS data of an nfs volume; say so explicitly.
      persistentVolumeReclaimPolicy: "Retain",
      storageClassName: "",
      mountOptions: [...NAS_MOUNT_OPTIONS],
      nfs: { server: volume.backend.server, path: volume.backend.path },
      claimRef: { namespace: names.namespace, name: names.persistentVolumeClaim(volume.name) },
    },
  };
}

export function persistentVolumeClaim(settings: RunnerSettings, volume: CacheVolume): IPersistentVolumeClaim {
  const names = objectNames(settings);
  const binding =
    volume.backend.kind === "nas"
      ? // Empty class: bind to the static PV above, never let a default StorageClass provision one.
        { storageClassName: "", volumeName: names.persistentVolume(volume.name) }
      : { storageClassName: volume.backend.storageClassName };
  return {
    apiVersion: "v1",
    kind: "PersistentVolumeClaim",
    metadata: metadata(settings, names.persistentVolumeClaim(volume.name)),
    spec: { accessModes: ["ReadWriteMany"], resources: { requests: { storage: volume.size } }, ...binding },
  };
}
